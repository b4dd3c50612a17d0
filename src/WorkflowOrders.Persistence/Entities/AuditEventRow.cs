namespace WorkflowOrders.Persistence.Entities;

/// <summary>Append-only history: who did what to which instance, and when.</summary>
public sealed class AuditEventRow
{
    public long Id { get; set; }
    public long? InstanceKey { get; set; }
    public string? ElementId { get; set; }
    public long? ElementInstanceKey { get; set; }
    public required string Kind { get; set; }
    public string? Actor { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>JSON object text.</summary>
    public string? Details { get; set; }
}
