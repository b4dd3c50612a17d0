using System.Globalization;

namespace WorkflowOrders.Conformance;

/// <summary>A clock the scenario moves by hand; nothing waits in real time.</summary>
public sealed class FakeClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    /// <summary>An instant written with its offset, e.g. "2026-03-10T10:00:00+08:00".</summary>
    public static FakeClock At(string instant) => new(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture));

    public override DateTimeOffset GetUtcNow() => _now.ToUniversalTime();

    public void Advance(TimeSpan by) => _now += by;

    public void SetTo(DateTimeOffset instant) => _now = instant;
}
