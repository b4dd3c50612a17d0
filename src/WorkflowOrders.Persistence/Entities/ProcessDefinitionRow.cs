namespace WorkflowOrders.Persistence.Entities;

/// <summary>One deployed version of a BPMN process; every version is kept because running instances stay on theirs.</summary>
public sealed class ProcessDefinitionRow
{
    public long Key { get; set; }
    public required string BpmnProcessId { get; set; }
    public int Version { get; set; }
    public string? Name { get; set; }
    public required string ResourceName { get; set; }
    public required string Xml { get; set; }
    /// <summary>SHA-256 of the XML, hex; redeploying unchanged XML finds the existing version by it.</summary>
    public required string ContentHash { get; set; }
    public long DeploymentKey { get; set; }
    public string? DeployedBy { get; set; }
    public DateTimeOffset DeployedAt { get; set; }
}
