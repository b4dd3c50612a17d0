using WorkflowOrders.Engine.Ports;

namespace WorkflowOrders.Engine.InMemory;

/// <summary>Keys for a single process (tests, benchmark): a counter.</summary>
public sealed class SequentialKeyGenerator(long start = 2_251_799_813_685_248) : IKeyGenerator
{
    private long _next = start;

    public long Next() => Interlocked.Increment(ref _next);
}
