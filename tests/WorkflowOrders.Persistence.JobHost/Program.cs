using System.Globalization;
using Microsoft.Extensions.Logging;
using WorkflowOrders.Email;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Keys;

// dotnet WorkflowOrders.Persistence.JobHost.dll <postgres-connection-string> <node-id> [--lease-ms N] [--workers N]
//     [--batch N] [--poll-ms N] [--hold-ms N] [--smtp-port N]
// One node of the engine: the job executor firing the engine's timers and running its service tasks
// (WorkflowRuntime on the EF store), until SIGTERM/SIGINT. The node id is the executor's lease owner and the audit
// actor of every timer it fires. --hold-ms keeps each job's transaction open that long after the engine's work
// (before the commit), so that a SIGKILL lands while transactions are in flight.
if (args.Length < 2 || args.Length % 2 != 0)
{
    await Console.Error.WriteLineAsync("usage: JobHost <postgres-connection-string> <node-id> [--lease-ms N] [--workers N] [--batch N] [--poll-ms N] [--hold-ms N] [--smtp-port N]");
    return 2;
}

var settings = new Dictionary<string, int>(StringComparer.Ordinal)
{
    ["--lease-ms"] = 60_000,
    ["--workers"] = 4,
    ["--batch"] = 32,
    ["--poll-ms"] = 100,
    ["--hold-ms"] = 0,
    ["--smtp-port"] = 0,
};
for (var i = 2; i < args.Length; i += 2)
{
    if (!settings.ContainsKey(args[i]) || !int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
    {
        await Console.Error.WriteLineAsync($"unknown option or bad value: {args[i]} {args[i + 1]}");
        return 2;
    }

    settings[args[i]] = value;
}

var factory = new WorkflowDbContextFactory(PersistenceOptions.UsePostgres(args[0]));
var nodeId = args[1];
var calendars = CalendarCatalog.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "workflows", "calendars"));
var keys = new EfKeyGenerator(factory);
var store = new EfWorkflowStore(factory, keys);
var runtime = new WorkflowRuntime(new WorkflowEngine(new EngineServices { Time = TimeProvider.System, Keys = keys, Calendars = calendars }), store);
var hold = TimeSpan.FromMilliseconds(settings["--hold-ms"]);
List<IJobHandler> handlers =
[
    new HoldingHandler(new TimerJobHandler(runtime, store), hold),
    new HoldingHandler(new ServiceTaskJobHandler(runtime, store, Array.Empty<ITaskHandler>()), hold),
];
if (settings["--smtp-port"] > 0)
{
    // The SMTP timeout stays below the lease (docs/email.md), so a hung conversation cannot outlive the job's lease;
    // a failed send is retried within seconds rather than the production 30 s, as the process tests wait for delivery.
    var mail = new MailOptions
    {
        Transport = MailTransportKind.Smtp,
        Smtp = new SmtpOptions { Host = "127.0.0.1", Port = settings["--smtp-port"], TimeoutSeconds = Math.Max(1, settings["--lease-ms"] / 2000) },
        RetryBaseSeconds = 1,
        RetryMaxSeconds = 5,
    };
    handlers.Add(new HoldingHandler(new OutboxSendJobHandler(new SystemNetMailTransport(mail), mail), hold));
}

var options = new JobExecutorOptions
{
    OwnerId = nodeId,
    LeaseDuration = TimeSpan.FromMilliseconds(settings["--lease-ms"]),
    WorkerCount = settings["--workers"],
    BatchSize = settings["--batch"],
    PollInterval = TimeSpan.FromMilliseconds(settings["--poll-ms"]),
};

using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new ConsoleLineLoggerProvider()));
using var incidentKeys = new KeyAllocator();
var executor = new JobExecutor(factory, handlers, options, TimeProvider.System, incidentKeys, loggerFactory.CreateLogger<JobExecutor>());
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

// The first key block is reserved before "ready", so a test that kills the host right away still kills a working node.
keys.Initialize();
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

/// <summary>The engine's handler, then a pause inside the still-open job transaction.</summary>
internal sealed class HoldingHandler(IJobHandler inner, TimeSpan hold) : IJobHandler
{
    public string Kind => inner.Kind;

    public bool RunsInGroups => inner.RunsInGroups;

    public async Task HandleAsync(JobExecution job, WorkflowDbContext db, CancellationToken cancellationToken)
    {
        await inner.HandleAsync(job, db, cancellationToken);
        if (hold > TimeSpan.Zero)
        {
            await Task.Delay(hold, cancellationToken);
        }
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
