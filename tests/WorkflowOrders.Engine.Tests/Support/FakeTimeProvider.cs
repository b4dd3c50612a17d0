using System.Globalization;

namespace WorkflowOrders.Engine.Tests.Support;

/// <summary>A clock the test moves by hand; nothing in a test waits in real time.</summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public static FakeTimeProvider At(string instant) => new(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture));

    public override DateTimeOffset GetUtcNow() => _now.ToUniversalTime();

    public void Advance(TimeSpan by) => _now += by;

    public void SetTo(DateTimeOffset instant) => _now = instant;
}
