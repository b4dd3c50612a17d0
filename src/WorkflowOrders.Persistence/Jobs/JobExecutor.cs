using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Keys;

namespace WorkflowOrders.Persistence.Jobs;

/// <summary>
/// Runs due jobs on every node. One poll (<see cref="RunOnceAsync"/>) leases a batch of due jobs, oldest first, in one
/// short statement (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so nodes never wait for each other; SQLite: one
/// <c>UPDATE … RETURNING</c>, SQLite having one writer), then runs each in its own transaction — or, for handlers with
/// database effects only (timers), several in one (<see cref="JobExecutorOptions.GroupSize"/>). A job's effects and its
/// deletion — which only matches while this node still holds the lease — commit together: a job is done exactly once
/// even when a node crashes or loses its lease mid-run. Time comes from the <see cref="TimeProvider"/> only.
/// </summary>
public sealed partial class JobExecutor
{
    private const int MaxErrorLength = 4000;

    private readonly WorkflowDbContextFactory _contexts;
    private readonly Dictionary<string, IJobHandler> _handlers;
    private readonly JobExecutorOptions _options;
    private readonly TimeProvider _time;
    private readonly KeyAllocator _keys;
    private readonly ILogger _logger;

    public JobExecutor(
        WorkflowDbContextFactory contexts,
        IEnumerable<IJobHandler> handlers,
        JobExecutorOptions options,
        TimeProvider time,
        KeyAllocator keys,
        ILogger<JobExecutor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        _contexts = contexts;
        _options = options;
        _time = time;
        _keys = keys;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _handlers = [];
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Kind, handler))
            {
                throw new ArgumentException($"Two job handlers for kind '{handler.Kind}'.", nameof(handlers));
            }
        }
    }

    public JobExecutorOptions Options => _options;

    /// <summary>
    /// One poll: lease up to a batch of due jobs and run them with up to <see cref="JobExecutorOptions.WorkerCount"/>
    /// at a time. When <paramref name="stopping"/> fires, no further job starts, running ones get
    /// <see cref="JobExecutorOptions.ShutdownGrace"/> to finish, and the leases of unstarted ones are released.
    /// Returns the number of jobs leased (a full batch means more may be due).
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken stopping = default)
    {
        if (stopping.IsCancellationRequested)
        {
            return 0;
        }

        var now = _time.GetUtcNow();
        // Not cancellable: a lease committed but not read back would be held by nobody until it runs out.
        var batch = await LeaseDueJobsAsync(now, CancellationToken.None).ConfigureAwait(false);
        if (batch.Count == 0)
        {
            return 0;
        }

        using var hardStop = new CancellationTokenSource();
        using var slots = new SemaphoreSlim(_options.WorkerCount);
        await using var onStop = stopping.Register(() => hardStop.CancelAfter(_options.ShutdownGrace));
        var units = PlanUnits(batch, job => _handlers.TryGetValue(job.Kind, out var h) && h.RunsInGroups, _options.WorkerCount, _options.GroupSize);
        var running = new List<Task>(units.Count);
        var unstarted = new List<long>();
        foreach (var unit in units)
        {
            if (!await TryWaitAsync(slots, stopping).ConfigureAwait(false))
            {
                unstarted.AddRange(unit.Select(j => j.Id));
                continue;
            }

            running.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        if (unit.Count == 1)
                        {
                            await ExecuteAsync(unit[0], now, hardStop.Token).ConfigureAwait(false);
                        }
                        else
                        {
                            await ExecuteGroupAsync(unit, now, hardStop.Token).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        slots.Release();
                    }
                },
                CancellationToken.None));
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        if (unstarted.Count > 0)
        {
            await ReleaseLeasesAsync(unstarted).ConfigureAwait(false);
            LogReleased(unstarted.Count);
        }

        return batch.Count;
    }

    /// <summary>
    /// The pause after a poll that leased less than a full batch: until the next job falls due, but at least
    /// <see cref="JobExecutorOptions.MinPollInterval"/> and at most <see cref="JobExecutorOptions.PollInterval"/> (a job
    /// written meanwhile, by this node or another, is found by the next poll at the latest).
    /// </summary>
    public async Task<TimeSpan> PauseBeforeNextPollAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        DateTimeOffset? next;
        await using (var db = _contexts.CreateDbContext())
        {
            next = await db.Jobs.Where(j => j.DueAt > now).OrderBy(j => j.DueAt).Select(j => j.DueAt).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }

        var pause = next is { } due ? due - now : _options.PollInterval;
        return pause < _options.MinPollInterval ? _options.MinPollInterval
            : pause > _options.PollInterval ? _options.PollInterval
            : pause;
    }

    /// <summary>Delay before attempt <paramref name="failedAttempts"/> + 1: base × 2^(failed − 1), capped.</summary>
    public TimeSpan BackoffAfter(int failedAttempts)
    {
        var ticks = _options.BackoffBase.Ticks * Math.Pow(2, Math.Max(0, failedAttempts - 1));
        return TimeSpan.FromTicks((long)Math.Min(_options.BackoffMax.Ticks, ticks));
    }

    /// <summary>
    /// Splits a leased batch (oldest first) into units of work, each run by one worker in one transaction. A job whose
    /// handler does not run in groups is a unit of its own. The groupable jobs are spread over the workers first, so a
    /// group holds more than one job only when the batch holds more of them than there are workers, and never more
    /// than <paramref name="groupSize"/>; each group takes consecutive jobs, so the oldest run first, ordered inside
    /// by instance key so that concurrent groups lock instance rows in one order. Units come back oldest first.
    /// </summary>
    internal static List<IReadOnlyList<JobRow>> PlanUnits(IReadOnlyList<JobRow> batch, Func<JobRow, bool> groupable, int workers, int groupSize)
    {
        var units = new List<IReadOnlyList<JobRow>>();
        var grouped = new List<JobRow>();
        foreach (var job in batch)
        {
            if (groupSize > 1 && groupable(job))
            {
                grouped.Add(job);
            }
            else
            {
                units.Add([job]);
            }
        }

        if (grouped.Count > 0)
        {
            var groups = Math.Max(Math.Min(Math.Max(1, workers), grouped.Count), (grouped.Count + groupSize - 1) / groupSize);
            var start = 0;
            for (var g = 0; g < groups; g++)
            {
                // The first (count mod groups) groups take one job more.
                var size = (grouped.Count / groups) + (g < grouped.Count % groups ? 1 : 0);
                units.Add([.. grouped.GetRange(start, size).OrderBy(j => j.InstanceKey ?? long.MaxValue).ThenBy(j => j.DueAt).ThenBy(j => j.Id)]);
                start += size;
            }
        }

        units.Sort((a, b) => Oldest(a).CompareTo(Oldest(b)));
        return units;

        static (DateTimeOffset, long) Oldest(IReadOnlyList<JobRow> unit) =>
            unit.Select(j => (j.DueAt ?? DateTimeOffset.MinValue, j.Id)).Min();
    }

    private static async Task<bool> TryWaitAsync(SemaphoreSlim slots, CancellationToken stopping)
    {
        if (stopping.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            await slots.WaitAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        // A slot freed in the same instant as the stop request may win over the wait's cancellation.
        if (stopping.IsCancellationRequested)
        {
            slots.Release();
            return false;
        }

        return true;
    }

    private async Task<List<JobRow>> LeaseDueJobsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = _contexts.CreateDbContext();
        var lockClause = db.IsSqlite ? "" : "FOR UPDATE SKIP LOCKED";
        // Constant text apart from the lock clause; all values are parameters.
        var sql = $$"""
            UPDATE jobs SET lease_owner = {0}, lease_until = {1}
            WHERE id IN (
                SELECT id FROM jobs
                WHERE due_at <= {2} AND (lease_until IS NULL OR lease_until < {3})
                ORDER BY due_at, id
                LIMIT {4}
                {{lockClause}})
            RETURNING id, kind, type, instance_key, element_instance_key, payload, due_at, attempts, max_attempts,
                      last_error, lease_owner, lease_until, created_at
            """;
        var jobs = await db.Jobs
            .FromSqlRaw(sql, _options.OwnerId, Instant(db, now + _options.LeaseDuration), Instant(db, now), Instant(db, now), _options.BatchSize)
            .AsNoTracking()
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        // RETURNING keeps no order.
        jobs.Sort((a, b) => (a.DueAt, a.Id).CompareTo((b.DueAt, b.Id)));
        return jobs;
    }

    /// <summary>A parameter value in the column's stored form (raw SQL bypasses the model's converters).</summary>
    private static object Instant(WorkflowDbContext db, DateTimeOffset value) =>
        db.IsSqlite ? value.UtcTicks : value.ToUniversalTime();

    private JobExecution NewExecution(JobRow job, DateTimeOffset leasedAt) => new()
    {
        Id = job.Id,
        Kind = job.Kind,
        Type = job.Type,
        InstanceKey = job.InstanceKey,
        ElementInstanceKey = job.ElementInstanceKey,
        Payload = job.Payload,
        DueAt = job.DueAt ?? leasedAt,
        Attempt = job.Attempts + 1,
        MaxAttempts = EffectiveMaxAttempts(job),
        OwnerId = _options.OwnerId,
        Now = leasedAt,
    };

    private async Task ExecuteAsync(JobRow job, DateTimeOffset leasedAt, CancellationToken cancellationToken)
    {
        if (!_handlers.TryGetValue(job.Kind, out var handler))
        {
            await RecordFailureAsync(job, $"No handler is registered for job kind '{job.Kind}'.").ConfigureAwait(false);
            return;
        }

        try
        {
            await using var db = _contexts.CreateDbContext();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (!await RunInTransactionAsync(handler, job, leasedAt, db, cancellationToken).ConfigureAwait(false))
            {
                // The row is no longer ours: another node's run counts, or the job was cancelled meanwhile; ours must not.
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                await LogNotOwnedAsync(db, job).ConfigureAwait(false);
                return;
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCancelled(job.Id, job.Kind);
            await TryAsync(() => ReleaseLeasesAsync([job.Id]), job.Id).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A handler may fail in any way; every failure is recorded on the job, never lost or rethrown into the loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await RecordFailureAsync(job, $"{ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a group of jobs whose handlers have database effects only in one transaction: each job's effects and its
    /// deletion are saved in turn (the next job reads what the previous one wrote), and one commit ends them all. Any
    /// failure — a handler's, a lost lease, the commit's — rolls the whole group back, and each job then runs alone as
    /// <see cref="ExecuteAsync"/> does, so one job's failure is recorded on that job only.
    /// </summary>
    private async Task ExecuteGroupAsync(IReadOnlyList<JobRow> group, DateTimeOffset leasedAt, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = _contexts.CreateDbContext();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var complete = true;
            foreach (var job in group)
            {
                if (!await RunInTransactionAsync(_handlers[job.Kind], job, leasedAt, db, cancellationToken).ConfigureAwait(false))
                {
                    complete = false;
                    break;
                }

                // The next job starts from the database's state (this transaction's), not from rows tracked for this one.
                db.ChangeTracker.Clear();
            }

            if (complete)
            {
                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                return;
            }

            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            LogGroupLeaseLost(group.Count);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogGroupCancelled(group.Count);
            await TryAsync(() => ReleaseLeasesAsync([.. group.Select(j => j.Id)]), group[0].Id).ConfigureAwait(false);
            return;
        }
#pragma warning disable CA1031 // Whatever failed is found again, and recorded on its own job, by the runs one at a time.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogGroupFailed(group.Count, ex);
        }

        foreach (var job in group)
        {
            await ExecuteAsync(job, leasedAt, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs one job's handler in the transaction open on <paramref name="db"/> and saves its effects with the job's
    /// deletion (or rescheduling). False when the job's row is no longer ours (the lease was lost): the caller rolls back.
    /// </summary>
    private async Task<bool> RunInTransactionAsync(IJobHandler handler, JobRow job, DateTimeOffset leasedAt, WorkflowDbContext db, CancellationToken cancellationToken)
    {
        var execution = NewExecution(job, leasedAt);
        await handler.HandleAsync(execution, db, cancellationToken).ConfigureAwait(false);
        if (execution.RescheduledAt is { } next)
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return await db.Jobs.Where(j => j.Id == job.Id && j.LeaseOwner == _options.OwnerId).ExecuteUpdateAsync(
                s => s.SetProperty(j => j.DueAt, next)
                    .SetProperty(j => j.Attempts, 0)
                    .SetProperty(j => j.LastError, (string?)null)
                    .SetProperty(j => j.LeaseOwner, (string?)null)
                    .SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null),
                cancellationToken).ConfigureAwait(false) > 0;
        }

        // The deletion goes in the same batch as the handler's writes (one round trip fewer per job).
        DeleteOwnedJob(db, job);
        return await SaveUnlessLeaseLostAsync(db, job.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Says why a run was rolled back: another node holds the row (its lease ran out here), or the row is gone — most
    /// often cancelled by an earlier command (a timer whose element ended, say by a sibling timer fired just before),
    /// otherwise finished by another node after this node's lease ran out.
    /// </summary>
    private async Task LogNotOwnedAsync(WorkflowDbContext db, JobRow job)
    {
        string? owner = null;
        var exists = false;
        try
        {
            var row = await db.Jobs.AsNoTracking().Where(j => j.Id == job.Id).Select(j => new { j.LeaseOwner }).FirstOrDefaultAsync().ConfigureAwait(false);
            exists = row is not null;
            owner = row?.LeaseOwner;
        }
#pragma warning disable CA1031 // Only the log line depends on this lookup.
        catch (Exception)
#pragma warning restore CA1031
        {
            exists = true;
        }

        if (exists)
        {
            LogLeaseLost(job.Id, job.Kind, owner ?? "nobody");
        }
        else
        {
            LogJobGone(job.Id, job.Kind);
        }
    }

    /// <summary>
    /// Marks the job deleted on the condition that this node still holds its lease: the DELETE matches
    /// <c>lease_owner</c> = this node (a concurrency token), whatever the handler read, so 0 rows means the lease was lost.
    /// </summary>
    private void DeleteOwnedJob(WorkflowDbContext db, JobRow job)
    {
        var entry = db.Jobs.Local.FindEntry(job.Id)
            ?? db.Jobs.Attach(new JobRow { Id = job.Id, Kind = job.Kind, Type = job.Type, LeaseOwner = _options.OwnerId });
        entry.Property(j => j.LeaseOwner).OriginalValue = _options.OwnerId;
        entry.State = EntityState.Deleted;
    }

    /// <summary>Saves; false when the only conflict was the job's own row (its lease is no longer ours).</summary>
    private static async Task<bool> SaveUnlessLeaseLostAsync(WorkflowDbContext db, long jobId, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConcurrencyConflictException e) when (e.InnerException is DbUpdateConcurrencyException inner
            && inner.Entries.Count > 0 && inner.Entries.All(x => x.Entity is JobRow row && row.Id == jobId))
        {
            return false;
        }
    }

    private int EffectiveMaxAttempts(JobRow job) => job.MaxAttempts > 0 ? job.MaxAttempts : _options.MaxAttempts;

    private Task RecordFailureAsync(JobRow job, string error) =>
        TryAsync(() => RecordFailureCoreAsync(job, error), job.Id);

    private async Task RecordFailureCoreAsync(JobRow job, string error)
    {
        if (error.Length > MaxErrorLength)
        {
            error = error[..MaxErrorLength];
        }

        var now = _time.GetUtcNow();
        var attempts = job.Attempts + 1;
        await using var db = _contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync().ConfigureAwait(false);
        var owned = db.Jobs.Where(j => j.Id == job.Id && j.LeaseOwner == _options.OwnerId);

        if (attempts < EffectiveMaxAttempts(job))
        {
            DateTimeOffset? retryAt = now + BackoffAfter(attempts);
            var updated = await owned.ExecuteUpdateAsync(
                s => s.SetProperty(j => j.Attempts, attempts)
                    .SetProperty(j => j.DueAt, retryAt)
                    .SetProperty(j => j.LastError, error)
                    .SetProperty(j => j.LeaseOwner, (string?)null)
                    .SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null)).ConfigureAwait(false);
            await FinishAsync(transaction, updated).ConfigureAwait(false);
            LogRetry(job.Id, job.Kind, attempts, retryAt.Value, error);
            return;
        }

        // No retries left: park the job (due_at NULL) behind an incident; resolving the incident re-arms it.
        var parked = await owned.ExecuteUpdateAsync(
            s => s.SetProperty(j => j.Attempts, attempts)
                .SetProperty(j => j.DueAt, (DateTimeOffset?)null)
                .SetProperty(j => j.LastError, error)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null)).ConfigureAwait(false);
        if (parked == 0)
        {
            await FinishAsync(transaction, parked).ConfigureAwait(false);
            return;
        }

        var processId = job.InstanceKey is { } instanceKey
            ? await db.ProcessInstances.Where(i => i.Key == instanceKey).Select(i => i.BpmnProcessId).FirstOrDefaultAsync().ConfigureAwait(false)
            : null;
        var incident = new IncidentRow
        {
            Key = await _keys.NextAsync(db).ConfigureAwait(false),
            InstanceKey = job.InstanceKey,
            ElementInstanceKey = job.ElementInstanceKey,
            BpmnProcessId = processId,
            ErrorType = IncidentErrorTypes.JobNoRetries,
            ErrorMessage = $"The {job.Kind} job '{job.Type}' failed {attempts} time(s); last error: {error}",
            State = IncidentState.Active,
            JobId = job.Id,
            CreatedAt = now,
        };
        db.Incidents.Add(incident);
        db.AuditEvents.Add(new AuditEventRow
        {
            InstanceKey = job.InstanceKey,
            ElementInstanceKey = job.ElementInstanceKey,
            Kind = "incident-created",
            At = now,
            Details = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["incidentKey"] = incident.Key.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["jobId"] = job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["errorType"] = incident.ErrorType,
            }),
        });
        await db.SaveChangesAsync().ConfigureAwait(false);
        if (job.InstanceKey is { } key)
        {
            await db.ProcessInstances.Where(i => i.Key == key).ExecuteUpdateAsync(s => s.SetProperty(i => i.HasIncident, true)).ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        LogIncident(job.Id, job.Kind, attempts, incident.Key, error);
    }

    private static async Task FinishAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, int affected)
    {
        if (affected == 0)
        {
            await transaction.RollbackAsync().ConfigureAwait(false);
        }
        else
        {
            await transaction.CommitAsync().ConfigureAwait(false);
        }
    }

    private async Task ReleaseLeasesAsync(IReadOnlyCollection<long> ids)
    {
        await using var db = _contexts.CreateDbContext();
        var idList = ids.ToList();
        await db.Jobs
            .Where(j => idList.Contains(j.Id) && j.LeaseOwner == _options.OwnerId)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseOwner, (string?)null).SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null))
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Bookkeeping after a run may fail too (the database went away): then the lease simply runs out and the job is
    /// leased again later, so the error is logged, not thrown.
    /// </summary>
    private async Task TryAsync(Func<Task> action, long jobId)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // See the summary: the lease's expiry is the fallback for any failure here.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogBookkeepingFailed(jobId, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) failed on attempt {Attempt}; retry at {RetryAt:O}: {Error}")]
    private partial void LogRetry(long jobId, string kind, int attempt, DateTimeOffset retryAt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({Kind}) failed on its last attempt ({Attempt}); incident {IncidentKey} raised: {Error}")]
    private partial void LogIncident(long jobId, string kind, int attempt, long incidentKey, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) was taken over by another node ({Owner}) after this node's lease ran out; this run was rolled back")]
    private partial void LogLeaseLost(long jobId, string kind, string owner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) was gone when this run ended (cancelled by an earlier command, or finished by another node after this node's lease ran out); this run was rolled back")]
    private partial void LogJobGone(long jobId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) was cancelled at shutdown and released")]
    private partial void LogCancelled(long jobId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "A group of {Count} jobs was rolled back (one job's row was no longer this node's: taken over by another node, or removed by an earlier job of the group); each runs again alone")]
    private partial void LogGroupLeaseLost(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "A group of {Count} jobs was rolled back after a failure; each runs again alone, and the failure is recorded on its job")]
    private partial void LogGroupFailed(int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "A group of {Count} jobs was cancelled at shutdown and released")]
    private partial void LogGroupCancelled(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released the leases of {Count} job(s) not started before shutdown")]
    private partial void LogReleased(int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not record the outcome of job {JobId}; its lease will run out and it will run again")]
    private partial void LogBookkeepingFailed(long jobId, Exception exception);
}
