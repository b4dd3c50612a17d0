using System.Globalization;

namespace WorkflowOrders.Testing;

/// <summary>A clock the test moves by hand; nothing in a test waits in real time.</summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public static FakeTimeProvider At(string instant) => new(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture));

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now.ToUniversalTime();
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }

    public void SetTo(DateTimeOffset instant)
    {
        lock (_gate)
        {
            _now = instant;
        }
    }
}
