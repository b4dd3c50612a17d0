namespace WorkflowOrders.Persistence.Jobs;

/// <summary>
/// Runs the jobs of one <see cref="Kind"/>. The executor opens a transaction on <c>db</c> before calling and commits
/// the handler's changes together with the job's deletion; if the lease was lost meanwhile, everything rolls back.
/// So a handler writes through <c>db</c> only (no side effects outside the database unless they are idempotent, e.g.
/// an email with a fixed Message-ID), and a job re-run after a crash changes nothing twice.
/// </summary>
public interface IJobHandler
{
    string Kind { get; }

    /// <summary>
    /// True when the handler's effects are database writes only, so several of its jobs may share one transaction
    /// (one commit, one disk flush; <see cref="JobExecutorOptions.GroupSize"/>). Such a handler may be run a second
    /// time for the same attempt: when another job of its group fails, the group rolls back and each job runs again
    /// alone. A handler that talks to anything outside the database leaves this false.
    /// </summary>
    bool RunsInGroups => false;

    Task HandleAsync(JobExecution job, WorkflowDbContext db, CancellationToken cancellationToken);
}

/// <summary>The job being run, as leased (the row itself is not tracked by the handler's context).</summary>
public sealed class JobExecution
{
    public required long Id { get; init; }
    public required string Kind { get; init; }
    public required string Type { get; init; }
    public long? InstanceKey { get; init; }
    public long? ElementInstanceKey { get; init; }
    public string? Payload { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    /// <summary>1 on the first run.</summary>
    public required int Attempt { get; init; }
    public required int MaxAttempts { get; init; }
    public required string OwnerId { get; init; }
    /// <summary>The executor's clock when the job was leased.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Set by <see cref="RescheduleAt"/>: the job stays, due again then, instead of being deleted.</summary>
    public DateTimeOffset? RescheduledAt { get; private set; }

    /// <summary>Keeps the job for another run (a cycle timer, a wait) in the same transaction as the effects.</summary>
    public void RescheduleAt(DateTimeOffset dueAt) => RescheduledAt = dueAt;
}
