using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Engine.InMemory;

/// <summary>
/// Runs due jobs of an <see cref="InMemoryWorkflowStore"/> one by one: timers fire, task handlers run (with
/// retries counted per job, then an incident). Tests call <see cref="RunDueAsync"/> after moving the fake clock.
/// </summary>
public sealed class InMemoryJobRunner(WorkflowRuntime runtime, InMemoryWorkflowStore store, IEnumerable<ITaskHandler> handlers)
{
    private readonly Dictionary<string, ITaskHandler> _handlers = handlers.ToDictionary(h => h.Type, StringComparer.Ordinal);
    private readonly Dictionary<long, int> _attempts = [];

    /// <summary>Runs every job due now (including jobs that running ones make due); returns how many ran.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var ran = 0;
        var now = runtime.Engine.Services.Time.GetUtcNow();
        while (store.NextDueJob(now) is { } job)
        {
            ran++;
            if (job.Kind == JobKind.Timer)
            {
                await runtime.FireTimerAsync(job.Key, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await RunTaskAsync(job, now, cancellationToken).ConfigureAwait(false);
        }

        return ran;
    }

    /// <summary>
    /// The handler and the outcome it leads to share one unit of work, as on the database stores; a failure with
    /// attempts left only reschedules the job (the in-memory store cannot undo what the handler wrote).
    /// </summary>
    private async Task RunTaskAsync(JobRecord job, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attempt = _attempts.GetValueOrDefault(job.Key) + 1;
        var rescheduled = await runtime.RunAsync(async session =>
        {
            TaskOutcome outcome;
            var last = attempt >= job.Retries;
            if (!_handlers.TryGetValue(job.Type, out var handler))
            {
                outcome = TaskOutcome.Fail($"No task handler is registered for type '{job.Type}'.");
                last = true;
            }
            else
            {
                var read = await WorkflowRuntime.ReadJobVariablesAsync(session.UnitOfWork, job).ConfigureAwait(false);
                var context = new TaskContext
                {
                    Job = job,
                    Variables = read?.Variables ?? [],
                    BusinessKey = read?.BusinessKey,
                    Attempt = attempt,
                    UnitOfWork = session.UnitOfWork,
                };
                try
                {
                    outcome = await handler.HandleAsync(context, cancellationToken).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // a handler's crash is the job's failure, recorded and retried, never the runner's
                catch (Exception e)
#pragma warning restore CA1031
                {
                    outcome = TaskOutcome.Fail(e.Message);
                }
            }

            if (outcome is TaskOutcome.Failed && !last)
            {
                await session.UnitOfWork.RescheduleJobAsync(job.Key, now + Backoff(attempt)).ConfigureAwait(false);
                return true;
            }

            await runtime.ApplyTaskOutcomeAsync(session.UnitOfWork, job.Key, outcome).ConfigureAwait(false);
            return false;
        }, cancellationToken).ConfigureAwait(false);

        if (rescheduled)
        {
            _attempts[job.Key] = attempt;
        }
        else
        {
            _attempts.Remove(job.Key);
        }
    }

    /// <summary>Exponential back-off: 10 s, 20 s, 40 s … capped at 10 minutes.</summary>
    public static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(600, 10 * Math.Pow(2, attempt - 1)));
}
