using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Engine.Ports;

/// <summary>
/// A built-in task handler: the work behind a service or send task whose zeebe:taskDefinition type equals
/// <see cref="Type"/>. Handlers run inside the job's transaction, so what they write commits together with the
/// engine's state; they must be idempotent, because a job whose transaction did not commit runs again.
/// </summary>
public interface ITaskHandler
{
    string Type { get; }

    ValueTask<TaskOutcome> HandleAsync(TaskContext context, CancellationToken cancellationToken);
}

/// <summary>What a handler sees: the job, the instance's variables (root plus the element's inputs) and the store it runs in.</summary>
public sealed class TaskContext
{
    public required JobRecord Job { get; init; }
    public required JsonObject Variables { get; init; }
    public string? BusinessKey { get; init; }

    /// <summary>Attempt number, starting at 1.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The unit of work the job runs in (adapters expose their transaction through it).</summary>
    public required IWorkflowUnitOfWork UnitOfWork { get; init; }
}

/// <summary>A handler's result: complete with variables, fail (retried, then an incident), or throw a BPMN error.</summary>
public abstract record TaskOutcome
{
    public static TaskOutcome Complete(JsonObject? variables = null) => new Completed(variables);

    public static TaskOutcome Fail(string message) => new Failed(message);

    public static TaskOutcome Error(string errorCode, string? message = null) => new BpmnError(errorCode, message);

    public sealed record Completed(JsonObject? Variables) : TaskOutcome;

    public sealed record Failed(string Message) : TaskOutcome;

    public sealed record BpmnError(string ErrorCode, string? Message) : TaskOutcome;
}
