using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;

namespace WorkflowOrders.Persistence.Engine;

/// <summary>Fires an engine timer inside the job's transaction: the timer's effect and the job's deletion commit together.</summary>
public sealed class TimerJobHandler(WorkflowRuntime runtime, EfWorkflowStore store) : IJobHandler
{
    public string Kind => JobKinds.Timer;

    /// <summary>Firing a timer writes the instance and its rows only: timers due together share a transaction.</summary>
    public bool RunsInGroups => true;

    public async Task HandleAsync(JobExecution job, WorkflowDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var unitOfWork = store.JoinSaving(db, job.Id);
        await runtime.FireTimerAsync(unitOfWork, job.Id, job.OwnerId).ConfigureAwait(false);
        await unitOfWork.CommitAsync(cancellationToken).ConfigureAwait(false); // saves; the executor commits
    }
}

/// <summary>
/// Runs the built-in task handler of a service or send task inside the job's transaction. A failure before the last
/// attempt is thrown, so the executor rolls the attempt back and retries with back-off; the last failure becomes the
/// engine's incident on the element (resolving it schedules the job afresh).
/// </summary>
public sealed class ServiceTaskJobHandler(WorkflowRuntime runtime, EfWorkflowStore store, IEnumerable<ITaskHandler> handlers) : IJobHandler
{
    private readonly Dictionary<string, ITaskHandler> _handlers = handlers.ToDictionary(h => h.Type, StringComparer.Ordinal);

    public string Kind => JobKinds.ServiceTask;

    public async Task HandleAsync(JobExecution job, WorkflowDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var uow = store.Join(db, job.Id);
        var record = await uow.FindJobAsync(job.Id).ConfigureAwait(false);
        if (record is null)
        {
            return;
        }

        TaskOutcome outcome;
        var lastAttempt = job.Attempt >= job.MaxAttempts;
        if (!_handlers.TryGetValue(job.Type, out var handler))
        {
            outcome = TaskOutcome.Fail($"No task handler is registered for type '{job.Type}'; check the task type in the definition.");
            lastAttempt = true;
        }
        else
        {
            var read = await WorkflowRuntime.ReadJobVariablesAsync(uow, record).ConfigureAwait(false);
            if (read is null)
            {
                return;
            }

            outcome = await handler.HandleAsync(new TaskContext
            {
                Job = record,
                Variables = read.Value.Variables,
                BusinessKey = read.Value.BusinessKey,
                Attempt = job.Attempt,
                UnitOfWork = uow,
            }, cancellationToken).ConfigureAwait(false);
        }

        if (outcome is TaskOutcome.Failed failed && !lastAttempt)
        {
            throw new TaskHandlerFailedException(job.Type, failed.Message);
        }

        await runtime.ApplyTaskOutcomeAsync(uow, job.Id, outcome, job.OwnerId).ConfigureAwait(false);
    }
}

/// <summary>A task handler reported a failure; the job is retried with back-off.</summary>
public sealed class TaskHandlerFailedException(string type, string message)
    : Exception($"Task handler '{type}' failed: {message}")
{
    public string TaskType { get; } = type;
}
