namespace WorkflowOrders.Engine;

/// <summary>Anchor for finding the engine assembly (tests, reflection-free registration).</summary>
public static class EngineAssembly
{
    public const string Name = "WorkflowOrders.Engine";
}
