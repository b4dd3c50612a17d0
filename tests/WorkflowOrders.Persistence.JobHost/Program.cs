using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Keys;

// dotnet WorkflowOrders.Persistence.JobHost.dll <postgres-connection-string> <owner-id> <lease-ms> <handler-delay-ms>
// Runs the job executor until SIGTERM/SIGINT; each "timer" job adds a row (job_id, owner) to the test table
// timer_effects in the job's transaction, after <handler-delay-ms> so that a kill can land mid-run.
if (args.Length != 4)
{
    await Console.Error.WriteLineAsync("usage: JobHost <postgres-connection-string> <owner-id> <lease-ms> <handler-delay-ms>");
    return 2;
}

var factory = new WorkflowDbContextFactory(PersistenceOptions.UsePostgres(args[0]));
var options = new JobExecutorOptions
{
    OwnerId = args[1],
    LeaseDuration = TimeSpan.FromMilliseconds(int.Parse(args[2], CultureInfo.InvariantCulture)),
    PollInterval = TimeSpan.FromMilliseconds(100),
    WorkerCount = 4,
    BatchSize = 32,
};
var delay = TimeSpan.FromMilliseconds(int.Parse(args[3], CultureInfo.InvariantCulture));
using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new ConsoleLineLoggerProvider()));
using var keys = new KeyAllocator();
var executor = new JobExecutor(factory, [new RecordingTimerHandler(delay)], options, TimeProvider.System, keys, loggerFactory.CreateLogger<JobExecutor>());
using var service = new JobExecutorService(executor, TimeProvider.System, loggerFactory.CreateLogger<JobExecutorService>());

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    stop.Cancel();
});

await service.StartAsync(CancellationToken.None);
Console.WriteLine("ready");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

await service.StopAsync(CancellationToken.None);
Console.WriteLine("stopped");
return 0;

internal sealed class RecordingTimerHandler(TimeSpan delay) : IJobHandler
{
    public string Kind => "timer";

    public async Task HandleAsync(JobExecution job, WorkflowDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"INSERT INTO timer_effects (job_id, owner) VALUES ({job.Id}, {job.OwnerId})", cancellationToken);
        await Task.Delay(delay, cancellationToken);
    }
}

/// <summary>One line per entry on stdout, read by the process tests.</summary>
internal sealed class ConsoleLineLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new LineLogger();

    public void Dispose()
    {
    }

    private sealed class LineLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Console.WriteLine($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
