using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WorkflowOrders.Persistence.Jobs;

/// <summary>
/// Hosts the <see cref="JobExecutor"/>: polls at once while full batches come back (a backlog after start-up is worked
/// off oldest first, without pauses), otherwise when the next job falls due — at most
/// <see cref="JobExecutorOptions.PollInterval"/> and at least <see cref="JobExecutorOptions.MinPollInterval"/> later.
/// A database outage is logged once when it begins and once when it ends; the loop keeps polling throughout and
/// recovers by itself.
/// </summary>
public sealed partial class JobExecutorService(JobExecutor executor, TimeProvider time, ILogger<JobExecutorService>? logger = null) : BackgroundService
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;
    private DateTimeOffset? _outageSince;
    private int _failedPolls;

    /// <summary>True while polls fail (the database is unreachable).</summary>
    public bool InOutage => _outageSince is not null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(executor.Options.OwnerId, executor.Options.WorkerCount, executor.Options.BatchSize);
        while (!stoppingToken.IsCancellationRequested)
        {
            var leased = await PollAsync(stoppingToken).ConfigureAwait(false);
            if (leased >= executor.Options.BatchSize)
            {
                continue;
            }

            try
            {
                await Task.Delay(await PauseAsync(stoppingToken).ConfigureAwait(false), time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Until the next job falls due (within the executor's bounds); the longest pause while the database is away.</summary>
    private async Task<TimeSpan> PauseAsync(CancellationToken stoppingToken)
    {
        if (_outageSince is not null)
        {
            return executor.Options.PollInterval;
        }

        try
        {
            return await executor.PauseBeforeNextPollAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The next poll finds and logs an outage; here the longest pause is the safe answer.
        catch (Exception)
#pragma warning restore CA1031
        {
            return executor.Options.PollInterval;
        }
    }

    /// <summary>One poll with outage bookkeeping; returns the number of jobs leased (0 when the poll failed).</summary>
    public async Task<int> PollAsync(CancellationToken stoppingToken)
    {
        try
        {
            var leased = await executor.RunOnceAsync(stoppingToken).ConfigureAwait(false);
            if (_outageSince is { } since)
            {
                var duration = time.GetUtcNow() - since;
                LogRecovered(duration, _failedPolls);
                _outageSince = null;
                _failedPolls = 0;
            }

            return leased;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return 0;
        }
#pragma warning disable CA1031 // The executor must outlive any database failure; the outage is logged and polling goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _failedPolls++;
            if (_outageSince is null)
            {
                _outageSince = time.GetUtcNow();
                LogOutage(ex.GetType().Name, ex.Message, ex);
            }

            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job executor {OwnerId} started: {Workers} workers, batches of {BatchSize}")]
    private partial void LogStarted(string ownerId, int workers, int batchSize);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job executor cannot reach the database ({ErrorType}: {Error}); it keeps polling and will resume by itself")]
    private partial void LogOutage(string errorType, string error, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job executor reached the database again after {Duration} ({FailedPolls} failed polls)")]
    private partial void LogRecovered(TimeSpan duration, int failedPolls);
}
