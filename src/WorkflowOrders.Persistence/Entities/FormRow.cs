namespace WorkflowOrders.Persistence.Entities;

/// <summary>One deployed version of a Camunda Form (JSON schema).</summary>
public sealed class FormRow
{
    public long Key { get; set; }
    public required string FormId { get; set; }
    public int Version { get; set; }
    public required string Schema { get; set; }
    public required string ContentHash { get; set; }
    public long DeploymentKey { get; set; }
    public DateTimeOffset DeployedAt { get; set; }
}
