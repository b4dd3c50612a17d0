using WorkflowOrders.Engine.Ports;

namespace WorkflowOrders.Conformance;

/// <summary>A task handler whose behaviour a scenario writes inline; it counts its calls.</summary>
public sealed class DelegateTaskHandler(string type, Func<TaskContext, TaskOutcome> handle) : ITaskHandler
{
    private int _calls;

    public string Type { get; } = type;

    public int Calls => _calls;

    public ValueTask<TaskOutcome> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return ValueTask.FromResult(handle(context));
    }
}
