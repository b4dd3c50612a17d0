using System.Collections;
using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Engine.InMemory;

/// <summary>
/// The in-memory store's audit history, kept as rows the way the database stores keep it: one value per event in
/// fixed-size blocks, details as JSON text. A long run keeps millions of events; as objects (an event, its details
/// object, its dictionary, its values) every one of them would be traced and copied by each collection of the
/// garbage collector until it reached the oldest generation, and that dominated the in-memory throughput.
/// Reading gives <see cref="AuditEvent"/> values equal to the ones written (details parsed back from their text).
/// </summary>
internal sealed class AuditTrail : IReadOnlyList<AuditEvent>
{
    // 4,096 rows of 80 bytes: blocks are never copied when the trail grows, unlike one growing array.
    private const int BlockShift = 10;
    private const int BlockSize = 1 << BlockShift;

    private readonly List<Row[]> _blocks = [];

    public int Count { get; private set; }

    public AuditEvent this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _blocks[index >> BlockShift][index & (BlockSize - 1)].ToEvent();
        }
    }

    public void AddRange(IReadOnlyList<AuditEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            Add(events[i]);
        }
    }

    public void Add(AuditEvent auditEvent)
    {
        var offset = Count & (BlockSize - 1);
        if (offset == 0)
        {
            _blocks.Add(new Row[BlockSize]);
        }

        _blocks[^1][offset] = new Row(auditEvent);
        Count++;
    }

    public IEnumerator<AuditEvent> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _blocks[i >> BlockShift][i & (BlockSize - 1)].ToEvent();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private readonly struct Row(AuditEvent e)
    {
        private readonly long? _instanceKey = e.InstanceKey;
        private readonly string _kind = e.Kind;
        private readonly string? _elementId = e.ElementId;
        private readonly long? _elementInstanceKey = e.ElementInstanceKey;
        private readonly string? _actor = e.Actor;
        private readonly DateTimeOffset _at = e.At;
        private readonly string? _details = e.Details?.ToJsonString();

        public AuditEvent ToEvent() => new(
            _instanceKey,
            _kind,
            _elementId,
            _elementInstanceKey,
            _actor,
            _at,
            _details is null ? null : JsonNode.Parse(_details)!.AsObject());
    }
}
