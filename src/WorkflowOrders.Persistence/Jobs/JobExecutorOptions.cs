namespace WorkflowOrders.Persistence.Jobs;

/// <summary>Settings of the job executor (configuration section <c>Jobs</c>).</summary>
public sealed class JobExecutorOptions
{
    /// <summary>Who holds a lease; unique per process so a restarted process never mistakes old leases for its own.</summary>
    public string OwnerId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Jobs run at the same time by this node.</summary>
    public int WorkerCount { get; set; } = 4;

    /// <summary>
    /// Longest pause between polls when the last poll found less than a full batch. The executor wakes sooner when a
    /// job it knows of falls due sooner, but not sooner than <see cref="MinPollInterval"/>.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Shortest pause after a poll that found less than a full batch: jobs falling due closer together than this are
    /// leased together, in one statement and (for timers) in groups, instead of one poll each.
    /// </summary>
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    public int BatchSize { get; set; } = 32;

    /// <summary>
    /// The most jobs of a kind whose handler <see cref="IJobHandler.RunsInGroups"/> (timers) that run in one
    /// transaction. A leased batch is first spread over the workers, so groups grow only when the batch holds more
    /// such jobs than there are workers. 1 runs every job in a transaction of its own.
    /// </summary>
    public int GroupSize { get; set; } = 8;

    /// <summary>How long a node may hold a job before another node takes it over; longer than any handler runs.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Attempts of a job whose row says 0.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay before the second attempt; doubled for each further one, up to <see cref="BackoffMax"/>.</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromHours(1);

    /// <summary>On shutdown, how long running handlers may go on before they are cancelled.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);
}
