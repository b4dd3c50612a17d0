using System.Buffers;
using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Engine.InMemory;

/// <summary>
/// The in-memory store's audit history, kept as rows the way the database stores keep it: one value per event in
/// fixed-size blocks, details as UTF-8 JSON text in shared byte blocks. A long run keeps millions of events; as
/// objects (an event, its details object, its dictionary, its values, its text) every one of them would be traced
/// and copied by each collection of the garbage collector until it reached the oldest generation, and that dominated
/// the in-memory throughput. Reading gives <see cref="AuditEvent"/> values equal to the ones written (details parsed
/// back from their text). Not thread-safe: the store adds under its lock.
/// </summary>
internal sealed class AuditTrail : IReadOnlyList<AuditEvent>, IDisposable
{
    // Blocks stay below the large-object threshold (85,000 bytes) and are never copied when the trail grows.
    private const int RowBlockShift = 10;
    private const int RowBlockSize = 1 << RowBlockShift;
    private const int TextBlockSize = 64 * 1024;

    private readonly List<Row[]> _rows = [];
    private readonly List<byte[]> _text = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _writer;
    private int _textUsed = TextBlockSize;

    public AuditTrail() => _writer = new Utf8JsonWriter(_buffer);

    public int Count { get; private set; }

    public AuditEvent this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return Read(index);
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
        var offset = Count & (RowBlockSize - 1);
        if (offset == 0)
        {
            _rows.Add(new Row[RowBlockSize]);
        }

        var (textBlock, textStart, textLength) = auditEvent.Details is null ? (-1, 0, 0) : Store(auditEvent.Details);
        _rows[^1][offset] = new Row(auditEvent, textBlock, textStart, textLength);
        Count++;
    }

    public void Dispose() => _writer.Dispose();

    public IEnumerator<AuditEvent> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return Read(i);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Writes the details as JSON (the same text as <see cref="JsonNode.ToJsonString"/>) into the current text block.</summary>
    private (int Block, int Start, int Length) Store(JsonObject details)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        details.WriteTo(_writer);
        _writer.Flush();
        var json = _buffer.WrittenSpan;
        if (json.Length > TextBlockSize - _textUsed)
        {
            // A text longer than a block (a long incident message) gets a block of its own size.
            _text.Add(new byte[Math.Max(TextBlockSize, json.Length)]);
            _textUsed = 0;
        }

        json.CopyTo(_text[^1].AsSpan(_textUsed));
        var start = _textUsed;
        _textUsed += json.Length;
        return (_text.Count - 1, start, json.Length);
    }

    private AuditEvent Read(int index)
    {
        var row = _rows[index >> RowBlockShift][index & (RowBlockSize - 1)];
        var details = row.TextBlock < 0 ? null : JsonNode.Parse(_text[row.TextBlock].AsSpan(row.TextStart, row.TextLength))!.AsObject();
        return new AuditEvent(row.InstanceKey, row.Kind, row.ElementId, row.ElementInstanceKey, row.Actor, row.At, details);
    }

    private readonly struct Row(AuditEvent e, int textBlock, int textStart, int textLength)
    {
        public long? InstanceKey { get; } = e.InstanceKey;
        public string Kind { get; } = e.Kind;
        public string? ElementId { get; } = e.ElementId;
        public long? ElementInstanceKey { get; } = e.ElementInstanceKey;
        public string? Actor { get; } = e.Actor;
        public DateTimeOffset At { get; } = e.At;

        /// <summary>Text block of the details, or -1 when the event has none.</summary>
        public int TextBlock { get; } = textBlock;

        public int TextStart { get; } = textStart;
        public int TextLength { get; } = textLength;
    }
}
