namespace WorkflowOrders.Persistence.Entities;

/// <summary>
/// A running or finished process instance. The engine's whole instance document (element instances, tokens,
/// variables) is one JSON text in <see cref="StateJson"/>; the other columns are what queries filter on.
/// </summary>
public sealed class ProcessInstanceRow : IRevisioned
{
    public long Key { get; set; }
    public long DefinitionKey { get; set; }
    public required string BpmnProcessId { get; set; }
    public int DefinitionVersion { get; set; }
    public string? BusinessKey { get; set; }
    public ProcessInstanceState State { get; set; }
    public bool HasIncident { get; set; }
    public required string StateJson { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public long? ParentInstanceKey { get; set; }
    public long? ParentElementInstanceKey { get; set; }
    public int Revision { get; set; }
}
