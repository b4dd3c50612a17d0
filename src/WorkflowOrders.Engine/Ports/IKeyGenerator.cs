namespace WorkflowOrders.Engine.Ports;

/// <summary>Unique 64-bit keys for instances, element instances, tasks, jobs, incidents — unique across every node.</summary>
public interface IKeyGenerator
{
    long Next();
}
