using WorkflowOrders.Engine.Bpmn;

namespace WorkflowOrders.Engine.Runtime;

/// <summary>One deployed version of one process: the parsed model plus its identity and provenance.</summary>
public sealed class ProcessDefinition
{
    public required long Key { get; init; }
    public required string ProcessId { get; init; }
    public required int Version { get; init; }
    public required ProcessModel Model { get; init; }
    public required string Xml { get; init; }
    public required string ResourceName { get; init; }
    public required string ContentHash { get; init; }
    public long DeploymentKey { get; init; }
    public DateTimeOffset DeployedAt { get; init; }
    public string? DeployedBy { get; init; }
    public string? Name => Model.Name;
}
