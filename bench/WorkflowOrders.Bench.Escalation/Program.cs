using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Bench.Durable;
using WorkflowOrders.Bench.Escalation;
using WorkflowOrders.Email;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Keys;

// Issue 6: "10,000 tasks become overdue at the same moment → time until every reminder is accepted by a local SMTP
// server, and emails per second; goal: all accepted within 60 s." (bench/README.md, section escalation)
// 1. A throwaway PostgreSQL cluster (fsync on) and aiosmtpd with a handler that logs each accepted Message-ID.
// 2. Through the real runtime (WorkflowRuntime on EfWorkflowStore with the EscalationLadder observer): deploy a
//    one-user-task process and start N instances, each task assigned and due at the same instant T, a day ahead.
//    The ladder writes each task's three escalation jobs in the transaction that creates it.
// 3. Job executors as the product runs them (JobExecutorService, default JobExecutorOptions: 4 workers, batches of 32,
//    500 ms poll) with EscalationJobHandler and OutboxSendJobHandler over SystemNetMailTransport (SMTP).
// 4. The clock jumps to T: every level-0 job is due at once. Measured: wall time from the jump until the server has
//    accepted N reminders (the last acceptance time in the server's log), emails/s, and duplicates (must be 0).
var settings = Settings.Parse(args);
var stamp = TimeProvider.System.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
var load = LoadAverage();

Console.Error.WriteLine("starting PostgreSQL (fsync, synchronous_commit and full_page_writes on) and aiosmtpd ...");
using var cluster = await BenchCluster.StartAsync();
await cluster.ExecuteAsync("postgres", "CREATE DATABASE bench");
var factory = new WorkflowDbContextFactory(PersistenceOptions.UsePostgres(cluster.ConnectionStringFor("bench")));
await factory.MigrateAsync();
using var smtp = CountingSmtpServer.Start();

var clock = new ShiftedClock();
var calendars = CalendarCatalog.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "workflows", "calendars"));
var keys = new EfKeyGenerator(factory);
var store = new EfWorkflowStore(factory, keys);
var ladder = new EscalationLadder(new EscalationOptions(), calendars);
var runtime = new WorkflowRuntime(new WorkflowEngine(new EngineServices { Time = clock, Keys = keys, Calendars = calendars }), store, [ladder]);
await runtime.DeployAsync([new DeploymentResource("reminder.bpmn", ReminderProcess.Xml)], "bench");

// T: whole seconds, a day ahead, so no level falls due while the instances are created.
var dueAt = TimeProvider.System.GetUtcNow().AddDays(1);
dueAt = new DateTimeOffset(dueAt.Year, dueAt.Month, dueAt.Day, dueAt.Hour, dueAt.Minute, dueAt.Second, TimeSpan.Zero);
Console.Error.WriteLine($"starting {settings.Tasks} instances with {settings.Clients} clients, every task due at {dueAt:O} ...");
var setup = Stopwatch.StartNew();
var next = -1;
await Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(_ => Task.Run(async () =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < settings.Tasks)
    {
        var variables = new JsonObject
        {
            ["orderNo"] = string.Create(CultureInfo.InvariantCulture, $"SO-2026-{i:D5}"),
            ["customer"] = new JsonObject { ["name"] = BenchDirectory.CustomerName(i) },
            ["assignee"] = BenchDirectory.UserName(i),
            ["dueAt"] = dueAt.ToString("O", CultureInfo.InvariantCulture),
        };
        await runtime.StartInstanceAsync("reminder", variables, variables["orderNo"]!.GetValue<string>(), "bench");
    }
})));
setup.Stop();
await using (var db = factory.CreateDbContext())
{
    var levels = await db.Jobs.CountAsync(j => j.Kind == JobKinds.Escalation && j.Type == "level-0" && j.DueAt == dueAt);
    if (levels != settings.Tasks)
    {
        throw new InvalidOperationException($"Expected {settings.Tasks} level-0 escalation jobs due at {dueAt:O}, found {levels}.");
    }

    // As autovacuum would soon after such a load; the figure is about the sending, not a cold planner.
    await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE");
}

Console.Error.WriteLine($"created {settings.Tasks} tasks in {setup.Elapsed.TotalSeconds:F1} s; starting {settings.Nodes} job executor(s) ...");
var mail = new MailOptions
{
    Transport = MailTransportKind.Smtp,
    Smtp = new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port },
    BaseUrl = "https://orders.example.com",
};
if (settings.Connections is { } maxConnections)
{
    mail.Smtp.MaxConnections = maxConnections;
}

if (settings.SendBatch is { } sendBatch)
{
    mail.SendBatchSize = sendBatch;
}

var nodes = new List<(JobExecutorService Service, KeyAllocator Keys, SystemNetMailTransport Transport)>();
for (var n = 0; n < settings.Nodes; n++)
{
    // Per node, as in the product: its own executor, key allocator and SMTP connections.
    var transport = new SystemNetMailTransport(mail);
    var allocator = new KeyAllocator();
    var options = new JobExecutorOptions { OwnerId = $"bench-node-{n}" };
    if (settings.Workers is { } workers)
    {
        options.WorkerCount = workers;
    }

    if (settings.Batch is { } batch)
    {
        options.BatchSize = batch;
    }

    var executor = new JobExecutor(
        factory,
        [new EscalationJobHandler(store, new BenchDirectory(), mail, calendars), new OutboxSendJobHandler(transport, mail)],
        options,
        clock,
        allocator);
    var service = new JobExecutorService(executor, clock);
    await service.StartAsync(CancellationToken.None);
    nodes.Add((service, allocator, transport));
}

var workerCount = new JobExecutorOptions().WorkerCount;
var batchSize = new JobExecutorOptions().BatchSize;
Console.Error.WriteLine($"executors idle (workers {settings.Workers ?? workerCount}, batch {settings.Batch ?? batchSize}); load average {LoadAverage()}; the clock jumps to the due moment ...");
await Task.Delay(TimeSpan.FromSeconds(1));

var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var smtpCpuBefore = smtp.CpuTime;
var postgresCpuBefore = ServerCpu.Of(cluster.DataDirectory);
clock.JumpTo(dueAt);
var jumpedAt = TimeProvider.System.GetUtcNow();
var run = Stopwatch.StartNew();
DateTimeOffset? escalationsDoneAt = null;
var cpuAtEscalationsDone = TimeSpan.Zero;
var lastReport = TimeSpan.Zero;
while (true)
{
    var received = smtp.Count();
    if (escalationsDoneAt is null)
    {
        await using var db = factory.CreateDbContext();
        if (!await db.Jobs.AnyAsync(j => j.Kind == JobKinds.Escalation && j.Type == "level-0"))
        {
            escalationsDoneAt = TimeProvider.System.GetUtcNow();
            cpuAtEscalationsDone = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        }
    }

    if (received >= settings.Tasks)
    {
        break;
    }

    if (run.Elapsed > TimeSpan.FromSeconds(settings.TimeoutSeconds))
    {
        throw new TimeoutException($"Only {received} of {settings.Tasks} reminders accepted after {settings.TimeoutSeconds} s.");
    }

    if (run.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
    {
        lastReport = run.Elapsed;
        Console.Error.WriteLine($"  {run.Elapsed.TotalSeconds,5:F0} s: {received} accepted{(escalationsDoneAt is null ? "" : ", escalation jobs done")}");
    }

    await Task.Delay(100);
}

var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
var smtpCpu = smtp.CpuTime - smtpCpuBefore;
var postgresCpu = ServerCpu.Of(cluster.DataDirectory) - postgresCpuBefore;
// A late duplicate would arrive after the count was reached: give the executors a moment, then stop them.
await Task.Delay(TimeSpan.FromSeconds(2));
foreach (var (service, allocator, transport) in nodes)
{
    await service.StopAsync(CancellationToken.None);
    service.Dispose();
    allocator.Dispose();
    transport.Dispose();
}

var accepted = smtp.Read();
var lastAccepted = accepted.OrderBy(a => a.At).Take(settings.Tasks).Last().At;
var firstAccepted = accepted.Min(a => a.At);
var seconds = (lastAccepted - jumpedAt).TotalSeconds;
var duplicates = accepted.CountBy(a => a.MessageId).Count(p => p.Value > 1);
var connections = accepted.Select(a => a.ClientPort).Distinct().Count();
await using (var db = factory.CreateDbContext())
{
    var outbox = await db.OutboxMessages.AsNoTracking().Where(m => m.CauseKind == "escalation-0").Select(m => new { m.MessageId, m.Status }).ToListAsync();
    var notSent = outbox.Count(m => m.Status != OutboxStatus.Sent);
    var missing = outbox.Select(m => m.MessageId).Except(accepted.Select(a => a.MessageId), StringComparer.Ordinal).Count();
    var foreign = accepted.Select(a => a.MessageId).Except(outbox.Select(m => m.MessageId), StringComparer.Ordinal).Count();
    if (outbox.Count != settings.Tasks || notSent > 0 || missing > 0 || foreign > 0 || duplicates > 0)
    {
        throw new InvalidOperationException(
            $"Check failed: {outbox.Count} reminder rows for {settings.Tasks} tasks, {notSent} not sent, {missing} never received, " +
            $"{foreign} received without a row, {duplicates} Message-IDs received twice.");
    }
}

var perSecond = settings.Tasks / seconds;
var result = new JsonObject
{
    ["benchmark"] = "escalation",
    ["at"] = stamp,
    ["tasks"] = settings.Tasks,
    ["nodes"] = settings.Nodes,
    ["workers"] = settings.Workers ?? workerCount,
    ["batch"] = settings.Batch ?? batchSize,
    ["smtpMaxConnections"] = mail.Smtp.MaxConnections,
    ["sendBatchSize"] = mail.SendBatchSize,
    ["seconds"] = Math.Round(seconds, 2),
    ["perSecond"] = Math.Round(perSecond, 1),
    ["firstAcceptedSeconds"] = Math.Round((firstAccepted - jumpedAt).TotalSeconds, 2),
    ["escalationJobsDoneSeconds"] = escalationsDoneAt is { } done ? Math.Round((done - jumpedAt).TotalSeconds, 2) : null,
    ["smtpConnections"] = connections,
    ["duplicates"] = duplicates,
    ["goalSeconds"] = 60,
    ["goalMet"] = seconds <= 60,
    ["cpuSeconds"] = Math.Round(cpu.TotalSeconds, 2),
    ["cpuShare"] = Math.Round(cpu.TotalSeconds / run.Elapsed.TotalSeconds / Environment.ProcessorCount, 2),
    ["cpuSecondsUntilEscalationJobsDone"] = Math.Round(cpuAtEscalationsDone.TotalSeconds, 2),
    ["smtpServerCpuSeconds"] = Math.Round(smtpCpu.TotalSeconds, 2),
    ["postgresCpuSeconds"] = Math.Round(postgresCpu.TotalSeconds, 2),
    ["setupSeconds"] = Math.Round(setup.Elapsed.TotalSeconds, 1),
    ["postgres"] = cluster.Version,
    ["machine"] = new JsonObject { ["cpus"] = Environment.ProcessorCount, ["loadAverageAtStart"] = load, ["loadAverageAtEnd"] = LoadAverage() },
};
Console.WriteLine($"escalation: {settings.Tasks} tasks overdue at one moment, PostgreSQL {cluster.Version} (fsync on), aiosmtpd on loopback");
Console.WriteLine($"executors: {settings.Nodes} × {result["workers"]} workers, batches of {result["batch"]}; sender: {mail.SendBatchSize} messages per job, {mail.Smtp.MaxConnections} SMTP connections per node; machine: {Environment.ProcessorCount} cores, load {load} → {LoadAverage()}");
Console.WriteLine($"all {settings.Tasks} reminders accepted in {seconds:F1} s → {perSecond:F0} emails/s (goal: within 60 s: {(seconds <= 60 ? "met" : "NOT met")})");
Console.WriteLine($"first accepted after {(firstAccepted - jumpedAt).TotalSeconds:F2} s; escalation jobs done after {(escalationsDoneAt is { } d ? (d - jumpedAt).TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s" : "-")}; " +
    $"{connections} SMTP connection(s); Message-IDs received twice: {duplicates}; CPU: benchmark process {cpu.TotalSeconds:F1} s ({cpuAtEscalationsDone.TotalSeconds:F1} s of it until the escalation jobs were done), PostgreSQL {postgresCpu.TotalSeconds:F1} s, aiosmtpd {smtpCpu.TotalSeconds:F1} s " +
    $"({(cpu + postgresCpu + smtpCpu).TotalMilliseconds / settings.Tasks:F2} ms per reminder)");
Console.WriteLine(result.ToJsonString());

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

namespace WorkflowOrders.Bench.Escalation
{
    internal sealed record Settings(int Tasks, int Clients, int Nodes, int? Workers, int? Batch, int? Connections, int? SendBatch, int TimeoutSeconds)
    {
        public static Settings Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["--tasks"] = "10000",
                ["--clients"] = "8",
                ["--nodes"] = "1",
                ["--workers"] = "",
                ["--batch"] = "",
                ["--connections"] = "",
                ["--send-batch"] = "",
                ["--timeout"] = "600",
            };
            for (var i = 0; i < args.Length; i += 2)
            {
                if (!values.ContainsKey(args[i]) || i + 1 >= args.Length)
                {
                    throw new ArgumentException($"Unknown option or missing value: {args[i]} (known: {string.Join(", ", values.Keys)}).");
                }

                values[args[i]] = args[i + 1];
            }

            static int? Optional(string text) => text.Length == 0 ? null : int.Parse(text, CultureInfo.InvariantCulture);
            return new Settings(
                int.Parse(values["--tasks"], CultureInfo.InvariantCulture),
                int.Parse(values["--clients"], CultureInfo.InvariantCulture),
                int.Parse(values["--nodes"], CultureInfo.InvariantCulture),
                Optional(values["--workers"]),
                Optional(values["--batch"]),
                Optional(values["--connections"]),
                Optional(values["--send-batch"]),
                int.Parse(values["--timeout"], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Real time plus an offset that the benchmark moves forward once: every timer of the runtime stays real.</summary>
    internal sealed class ShiftedClock : TimeProvider
    {
        private long _offsetTicks;

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

        public void JumpTo(DateTimeOffset instant) => Interlocked.Exchange(ref _offsetTicks, (instant - System.GetUtcNow()).Ticks);
    }

    /// <summary>One user task, assigned to <c>assignee</c> and due at <c>dueAt</c> (both instance variables).</summary>
    internal static class ReminderProcess
    {
        public const string Xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="reminder-bench" targetNamespace="http://bpmn.io/schema/bpmn">
              <bpmn:process id="reminder" name="订单评审" isExecutable="true">
                <bpmn:startEvent id="Start" />
                <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Task_Review" />
                <bpmn:userTask id="Task_Review" name="评审订单">
                  <bpmn:extensionElements>
                    <zeebe:assignmentDefinition assignee="=assignee" candidateGroups="sales" />
                    <zeebe:taskSchedule dueDate="=dueAt" />
                    <zeebe:properties><zeebe:property name="name.en" value="Review the order" /></zeebe:properties>
                  </bpmn:extensionElements>
                </bpmn:userTask>
                <bpmn:sequenceFlow id="f2" sourceRef="Task_Review" targetRef="End" />
                <bpmn:endEvent id="End" />
              </bpmn:process>
            </bpmn:definitions>
            """;
    }

    /// <summary>200 sales staff, half writing Chinese, half English; two managers.</summary>
    internal sealed class BenchDirectory : IMailDirectory
    {
        private const int Staff = 200;

        public static string UserName(int i) => string.Create(CultureInfo.InvariantCulture, $"user{i % Staff:D3}");

        public static string CustomerName(int i) => (i % 3) switch
        {
            0 => "宁波海曙精工机械有限公司",
            1 => "Northwind Traders GmbH",
            _ => "苏州工业园区恒达电子",
        };

        public Task<MailRecipient?> UserAsync(string userName, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(userName);
            if (!userName.StartsWith("user", StringComparison.Ordinal) || !int.TryParse(userName.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return Task.FromResult<MailRecipient?>(null);
            }

            var chinese = n % 2 == 0;
            return Task.FromResult<MailRecipient?>(new MailRecipient(
                userName, chinese ? "员工" + userName[4..] : "Staff " + userName[4..], userName + "@example.test", chinese ? "zh-CN" : "en", "sales"));
        }

        public Task<IReadOnlyList<MailRecipient>> UsersInRolesAsync(IReadOnlyCollection<string> roles, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<MailRecipient>>([]);

        public Task<MailRecipient?> ManagerOfDepartmentAsync(string departmentKey, CancellationToken cancellationToken) =>
            Task.FromResult<MailRecipient?>(new MailRecipient("manager", "经理", "manager@example.test", "zh-CN", departmentKey));

        public Task<string?> DepartmentOfRoleAsync(string role, CancellationToken cancellationToken) => Task.FromResult<string?>("sales");
    }
}
