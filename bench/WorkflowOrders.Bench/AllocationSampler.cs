using System.Diagnostics.Tracing;

namespace WorkflowOrders.Bench;

/// <summary>
/// Which types the run allocates, from the runtime's own allocation sampling (one event per ~100 KB allocated,
/// naming the type that crossed the threshold): enough to see where the allocation volume comes from
/// without an external profiler.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    // GC keyword of the Microsoft-Windows-DotNETRuntime provider; GCAllocationTick is its event 10 at verbose level.
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int AllocationTickEventId = 10;

    private readonly Dictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private volatile bool _recording;

    public void Start() => _recording = true;

    public void Stop() => _recording = false;

    public IReadOnlyList<(string Type, double Share)> Top(int count)
    {
        lock (_gate)
        {
            var total = (double)Math.Max(1, _bytesByType.Values.Sum());
            return [.. _bytesByType.OrderByDescending(p => p.Value).Take(count).Select(p => (p.Key, p.Value / total))];
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventId != AllocationTickEventId || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload[t] as string ?? "?" : "?";
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload[a], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        lock (_gate)
        {
            _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
        }
    }
}
