using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Npgsql;
using WorkflowOrders.Bench.Durable;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Keys;

// dotnet run -c Release --project bench/WorkflowOrders.Bench.Durable -- [--clients 8,16] [--seconds 15] [--warmup 3] [--jit-warmup 15]
//     [--timers 10000] [--timer-rate 1000] [--timer-workers 8] [--timer-group 8] [--timer-batch 32] [--timer-min-poll-ms 50]
//     [--bpmn bench/order-review.bpmn] [--results bench/results]
// 1. Starts a throwaway PostgreSQL cluster with fsync, synchronous_commit and full_page_writes on.
// 2. For each client count: N clients drive order-review instances to completion through WorkflowRuntime on the EF
//    store (start, 6 reviews with {"reviewOutcome":"pass"}, the approval) for a fixed time; then pgbench's built-in
//    simple-update script (-N) with as many clients for as long, against the same server.
// 3. Timer lag: instances whose timers fall due at --timer-rate per second, fired by the job executor in this process.
// Prints a table and writes bench/results/durable-<UTC time>.json and durable-latest.json.
var settings = Settings.Parse(args);
var stamp = TimeProvider.System.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

Console.Error.WriteLine("starting PostgreSQL (fsync, synchronous_commit and full_page_writes on) ...");
using var cluster = await BenchCluster.StartAsync();
await cluster.ExecuteAsync("postgres", "CREATE DATABASE bench");
await cluster.ExecuteAsync("postgres", "CREATE DATABASE pgbench");
await cluster.ExecuteAsync("bench", "CREATE EXTENSION pg_stat_statements");
var engineConnection = cluster.ConnectionStringFor("bench");
var factory = new WorkflowDbContextFactory(PersistenceOptions.UsePostgres(engineConnection));
await factory.MigrateAsync();
var calendars = CalendarCatalog.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "workflows", "calendars"));
var keys = new EfKeyGenerator(factory);
var store = new EfWorkflowStore(factory, keys);
var runtime = new WorkflowRuntime(new WorkflowEngine(new EngineServices { Time = TimeProvider.System, Keys = keys, Calendars = calendars }), store);
await runtime.DeployAsync(
    [new DeploymentResource("order-review.bpmn", await File.ReadAllTextAsync(settings.Bpmn)), new DeploymentResource("timer-wait.bpmn", TimerProcess.Xml)],
    "bench");

Console.Error.WriteLine("pgbench -i -s 10 ...");
cluster.RunClient("pgbench", [.. PgbenchConnection(cluster), "-i", "-q", "-s", "10", "pgbench"]);

// Untimed: a fresh process compiles EF Core's and the engine's code paths for many seconds (longer on a busy machine);
// without this the first client count would be measured half in unoptimized code.
Console.Error.WriteLine($"warming up the JIT: {settings.Clients[0]} clients, {settings.JitWarmup} s ...");
await OrderReviewRun.RunAsync(runtime, engineConnection, settings.Clients[0], 0, settings.JitWarmup);

// The tables were empty when the migrations ran, and autovacuum analyzes them only after its first nap (a minute):
// until then the planner believes user_tasks holds a hundred rows and answers the inbox read below with a bitmap AND of
// the instance index and every entry of the state index ever written (~4 ms a call, more than the whole completion
// costs the server). A running system has statistics; so does the benchmark from here on.
await cluster.ExecuteAsync("bench", "ANALYZE");

var rows = new JsonArray();
foreach (var clients in settings.Clients)
{
    Console.Error.WriteLine($"engine: {clients} clients, {settings.Warmup} s warm-up + {settings.Seconds} s ...");
    var engine = await OrderReviewRun.RunAsync(runtime, engineConnection, clients, settings.Warmup, settings.Seconds);
    Console.Error.WriteLine($"pgbench -N: {clients} clients, {settings.Seconds} s ...");
    var pgbenchOutput = cluster.RunClient("pgbench", [.. PgbenchConnection(cluster), "-N", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", settings.Seconds.ToString(CultureInfo.InvariantCulture), "pgbench"]);
    var tps = ParseTps(pgbenchOutput);
    engine["clients"] = clients;
    engine["pgbenchTps"] = tps;
    engine["ratio"] = Math.Round(engine["completionsPerSecond"]!.GetValue<double>() / tps, 2);
    rows.Add(engine);
}

Console.Error.WriteLine($"timer lag: {settings.Timers} timers due at {settings.TimerRate} per second ...");
var lag = await TimerLagRun.RunAsync(runtime, factory, engineConnection, settings.Timers, settings.TimerRate, settings.TimerWorkers, settings.TimerGroup, settings.TimerBatch, settings.TimerMinPollMs);

var result = new JsonObject
{
    ["benchmark"] = "durable",
    ["at"] = stamp,
    ["bpmn"] = settings.Bpmn,
    ["postgres"] = new JsonObject { ["version"] = cluster.Version, ["fsync"] = "on", ["synchronous_commit"] = "on", ["full_page_writes"] = "on" },
    ["machine"] = new JsonObject { ["cpus"] = Environment.ProcessorCount, ["loadAverageAtStart"] = load },
    ["jitWarmupSeconds"] = settings.JitWarmup,
    ["warmupSeconds"] = settings.Warmup,
    ["seconds"] = settings.Seconds,
    ["runs"] = rows,
    ["timerLag"] = lag,
};
Directory.CreateDirectory(settings.Results);
var file = Path.Combine(settings.Results, $"durable-{stamp}.json");
var json = result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
await File.WriteAllTextAsync(file, json);
await File.WriteAllTextAsync(Path.Combine(settings.Results, "durable-latest.json"), json);

Console.WriteLine($"durable: {settings.Bpmn} on PostgreSQL {cluster.Version} (fsync, synchronous_commit on); {Environment.ProcessorCount} cores, load average at start {load}");
Console.WriteLine($"{"clients",8}{"completions/s",15}{"p50 ms",9}{"p99 ms",9}{"stmts/compl",13}{"CPU share",11}{"CPU ms/compl",14}{"pgbench TPS",13}{"ratio",8}");
foreach (var row in rows)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{row!["clients"],8}{row["completionsPerSecond"],15}{row["p50Ms"],9}{row["p99Ms"],9}{row["statementsPerCompletion"],13}{row["cpuShare"],11}{row["cpuMsPerCompletion"],14}{row["pgbenchTps"],13}{row["ratio"],8}"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"timer lag (fire − due), {lag["timers"]} timers at {lag["perSecond"]}/s: p50 {lag["p50Ms"]} ms, p99 {lag["p99Ms"]} ms, max {lag["maxMs"]} ms; fired {lag["fired"]}, duplicates {lag["duplicates"]}"));
Console.WriteLine($"written: {file}");
return 0;

static string[] PgbenchConnection(BenchCluster cluster) => ["-h", "127.0.0.1", "-p", cluster.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres"];

static double ParseTps(string output)
{
    var match = Regex.Match(output, @"tps = ([0-9.]+) \(without initial connection time\)");
    return match.Success
        ? Math.Round(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), 1)
        : throw new InvalidOperationException("pgbench printed no tps:\n" + output);
}

internal sealed record Settings(int[] Clients, int Seconds, int Warmup, int JitWarmup, int Timers, int TimerRate, int TimerWorkers, int TimerGroup, int TimerBatch, int TimerMinPollMs, string Bpmn, string Results)
{
    public static Settings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["--clients"] = "8,16",
            ["--seconds"] = "15",
            ["--warmup"] = "3",
            ["--jit-warmup"] = "15",
            ["--timers"] = "10000",
            ["--timer-rate"] = "1000",
            ["--timer-workers"] = "8",
            ["--timer-group"] = "8",
            ["--timer-batch"] = "32",
            ["--timer-min-poll-ms"] = "50",
            ["--bpmn"] = "bench/order-review.bpmn",
            ["--results"] = "bench/results",
        };
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!values.ContainsKey(args[i]))
            {
                throw new ArgumentException($"Unknown option {args[i]} (known: {string.Join(", ", values.Keys)}).");
            }

            values[args[i]] = args[i + 1];
        }

        static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
        return new Settings(
            [.. values["--clients"].Split(',').Select(Int)],
            Int(values["--seconds"]),
            Int(values["--warmup"]),
            Int(values["--jit-warmup"]),
            Int(values["--timers"]),
            Int(values["--timer-rate"]),
            Int(values["--timer-workers"]),
            Int(values["--timer-group"]),
            Int(values["--timer-batch"]),
            Int(values["--timer-min-poll-ms"]),
            values["--bpmn"],
            values["--results"]);
    }
}

/// <summary>A process that waits at a timer whose date is its variable fireAt, then ends.</summary>
internal static class TimerProcess
{
    public const string Id = "timer-wait";

    public const string Xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_TimerWait" targetNamespace="http://bpmn.io/schema/bpmn">
          <bpmn:process id="timer-wait" isExecutable="true">
            <bpmn:startEvent id="Start" />
            <bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">=date and time(fireAt)</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="End" />
            <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Wait" />
            <bpmn:sequenceFlow id="f2" sourceRef="Wait" targetRef="End" />
          </bpmn:process>
        </bpmn:definitions>
        """;
}

/// <summary>N clients driving order-review instances to their end; one user-task completion is the unit measured.</summary>
internal static class OrderReviewRun
{
    private static readonly JsonObject Pass = new() { ["reviewOutcome"] = "pass" };

    public static async Task<JsonObject> RunAsync(WorkflowRuntime runtime, string connectionString, int clients, int warmupSeconds, int seconds)
    {
        var clock = Stopwatch.StartNew();
        var measureFrom = TimeSpan.FromSeconds(warmupSeconds);
        var measureTo = measureFrom + TimeSpan.FromSeconds(seconds);
        var latencies = new List<double>[clients];
        var finished = new int[clients];
        Stats? before = null;
        var cpuBefore = TimeSpan.Zero;
        var window = Task.Run(async () =>
        {
            await Task.Delay(measureFrom);
            before = await Stats.ReadAsync(connectionString, reset: true);
            cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        });

        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = latencies[client] = [];
            await using var inbox = new NpgsqlConnection(connectionString);
            await inbox.OpenAsync();
            while (clock.Elapsed < measureTo)
            {
                var instance = await runtime.StartInstanceAsync("order-review", null, businessKey: null, actor: "bench");
                var reviews = instance.Elements.Where(e => e.UserTaskKey is not null).Select(e => e.UserTaskKey!.Value).ToList();
                if (reviews.Count != 6)
                {
                    throw new InvalidOperationException($"Expected 6 review tasks, found {reviews.Count}.");
                }

                foreach (var task in reviews)
                {
                    await CompleteAsync(runtime, task, Pass, clock, measureFrom, measureTo, mine);
                }

                var approval = await OpenTaskAsync(inbox, instance.Key);
                await CompleteAsync(runtime, approval, null, clock, measureFrom, measureTo, mine);
                finished[client]++;
            }
        })));
        await window;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var after = await Stats.ReadAsync(connectionString, reset: false);

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var completed = await CountCompletedAsync(connectionString);
        if (completed < finished.Sum())
        {
            throw new InvalidOperationException($"Clients finished {finished.Sum()} instances, but only {completed} are COMPLETED.");
        }

        return new JsonObject
        {
            ["completions"] = all.Length,
            ["completionsPerSecond"] = Math.Round(all.Length / (double)seconds, 1),
            ["p50Ms"] = Math.Round(Percentile(all, 0.50), 2),
            ["p99Ms"] = Math.Round(Percentile(all, 0.99), 2),
            ["instancesFinished"] = finished.Sum(),
            ["statementsPerCompletion"] = Math.Round(after.Statements / (double)Math.Max(1, all.Length), 1),
            ["transactionsPerCompletion"] = Math.Round((after.Commits - before!.Commits) / (double)Math.Max(1, all.Length), 2),
            ["topStatements"] = after.Top,
            ["hotUpdateShare"] = HotShares(before, after),
            ["cpuShare"] = $"{Math.Round(100 * cpu.TotalSeconds / seconds / Environment.ProcessorCount)}%",
            // The process's CPU time in the window (starts, inbox reads and completions alike) per completion: what one
            // completion costs on the client, far less sensitive to what else runs on the machine than the rate.
            ["cpuMsPerCompletion"] = Math.Round(cpu.TotalMilliseconds / Math.Max(1, all.Length), 3),
        };
    }

    private static async Task CompleteAsync(WorkflowRuntime runtime, long task, JsonObject? variables, Stopwatch clock, TimeSpan from, TimeSpan to, List<double> latencies)
    {
        var started = clock.Elapsed;
        await runtime.CompleteUserTaskAsync(task, (JsonObject?)variables?.DeepClone(), "bench-user");
        var ended = clock.Elapsed;
        if (started >= from && ended <= to)
        {
            latencies.Add((ended - started).TotalMilliseconds);
        }
    }

    private static async Task<long> OpenTaskAsync(NpgsqlConnection inbox, long instanceKey)
    {
        await using var command = new NpgsqlCommand("SELECT key FROM user_tasks WHERE instance_key = $1 AND state = 'CREATED'", inbox);
        command.Parameters.AddWithValue(instanceKey);
        return (long)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"Instance {instanceKey} has no open task after the reviews."));
    }

    private static async Task<long> CountCompletedAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM process_instances WHERE bpmn_process_id = 'order-review' AND state = 'COMPLETED'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static JsonObject HotShares(Stats before, Stats after)
    {
        var shares = new JsonObject();
        foreach (var (table, (updates, hot)) in after.Updates)
        {
            var (updatesBefore, hotBefore) = before.Updates.GetValueOrDefault(table);
            var window = updates - updatesBefore;
            shares[table] = window == 0 ? null : $"{Math.Round(100.0 * (hot - hotBefore) / window)}%";
        }

        return shares;
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

/// <summary>Statements and commits of the bench database (pg_stat_statements, pg_stat_database).</summary>
internal sealed record Stats(long Statements, long Commits, JsonArray Top, Dictionary<string, (long Updates, long Hot)> Updates)
{
    public static async Task<Stats> ReadAsync(string connectionString, bool reset)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        if (reset)
        {
            await using var resetCommand = new NpgsqlCommand("SELECT pg_stat_statements_reset()", connection);
            await resetCommand.ExecuteNonQueryAsync();
        }

        await using (var command = new NpgsqlCommand("SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())", connection))
        {
            var statements = (long)(await command.ExecuteScalarAsync())!;
            await using var commits = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", connection);
            var commitCount = (long)(await commits.ExecuteScalarAsync())!;
            var top = new JsonArray();
            await using var topCommand = new NpgsqlCommand(
                "SELECT calls, round(total_exec_time::numeric, 1), left(regexp_replace(query, '\\s+', ' ', 'g'), 160) FROM pg_stat_statements " +
                "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY calls DESC LIMIT 12", connection);
            await using var reader = await topCommand.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                top.Add(new JsonObject { ["calls"] = reader.GetInt64(0), ["totalMs"] = reader.GetDecimal(1), ["query"] = reader.GetString(2) });
            }

            await reader.DisposeAsync();
            // Updates that stayed on their page without new index entries (HOT), per hot table.
            var updates = new Dictionary<string, (long Updates, long Hot)>(StringComparer.Ordinal);
            await using var tables = new NpgsqlCommand(
                "SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname IN ('process_instances', 'user_tasks')", connection);
            await using var tableReader = await tables.ExecuteReaderAsync();
            while (await tableReader.ReadAsync())
            {
                updates[tableReader.GetString(0)] = (tableReader.GetInt64(1), tableReader.GetInt64(2));
            }

            return new Stats(statements, commitCount, top, updates);
        }
    }
}

/// <summary>Timers falling due at a steady rate, fired by a job executor in this process (bench/README.md, durable, item 3).</summary>
internal static class TimerLagRun
{
    public static async Task<JsonObject> RunAsync(WorkflowRuntime runtime, WorkflowDbContextFactory factory, string connectionString, int timers, int perSecond, int workers, int groupSize, int batchSize, int minPollMs)
    {
        // One job executor, as a node runs it (default options but workers, group and batch size, shortest pause),
        // started before anything is due.
        var options = new JobExecutorOptions
        {
            OwnerId = "bench-node", WorkerCount = workers, GroupSize = groupSize, BatchSize = batchSize, MinPollInterval = TimeSpan.FromMilliseconds(minPollMs),
        };
        using var incidentKeys = new KeyAllocator();
        var executor = new JobExecutor(factory, [new TimerJobHandler(runtime, (EfWorkflowStore)runtime.Store)], options, TimeProvider.System, incidentKeys);
        using var service = new JobExecutorService(executor, TimeProvider.System);
        await service.StartAsync(CancellationToken.None);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        // Untimed: 1,000 timers due at once warm up the firing path (a running node has compiled it long ago) and
        // calibrate the start rate; then the first measured due time is placed far enough ahead that every measured
        // instance exists before its timer is due.
        var calibration = Stopwatch.StartNew();
        var now = TimeProvider.System.GetUtcNow();
        await StartAsync(runtime, 1000, _ => now);
        var startsPerSecond = 1000 / calibration.Elapsed.TotalSeconds;
        await WaitForFiredAsync(connection, 1000, TimeSpan.FromSeconds(120));
        var warmupFiresPerSecond = 1000 / calibration.Elapsed.TotalSeconds;

        var firstDue = TimeProvider.System.GetUtcNow().AddSeconds(2 + (1.3 * timers / startsPerSecond));
        var spacing = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / perSecond);
        await StartAsync(runtime, timers, i => firstDue + (spacing * i));
        var margin = firstDue - TimeProvider.System.GetUtcNow();
        var statsBefore = await Stats.ReadAsync(connectionString, reset: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        await WaitForFiredAsync(connection, 1000 + timers, margin + (spacing * timers) + TimeSpan.FromSeconds(120));
        var cpuMsPerFire = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / timers;
        var statsAfter = await Stats.ReadAsync(connectionString, reset: false);

        await service.StopAsync(CancellationToken.None);
        var lags = new List<double>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT extract(epoch FROM f.at - (s.details::jsonb ->> 'dueAt')::timestamptz) * 1000
            FROM audit_events f JOIN audit_events s ON s.instance_key = f.instance_key AND s.kind = 'timer-scheduled'
            WHERE f.kind = 'timer-fired' AND (s.details::jsonb ->> 'dueAt')::timestamptz >= @firstDue
            """, connection) { Parameters = { new("firstDue", firstDue.ToUniversalTime()) } })
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lags.Add((double)reader.GetDecimal(0));
            }
        }

        // How the lag developed: the largest lag among the timers due in each second of the run (growing means the
        // node fired fewer than were due), and the rate the node fired at from the first measured fire to the last.
        var worstBySecond = new JsonArray();
        await using (var command = new NpgsqlCommand(
            """
            SELECT floor(extract(epoch FROM (s.details::jsonb ->> 'dueAt')::timestamptz - @firstDue)) AS second,
                   max(extract(epoch FROM f.at - (s.details::jsonb ->> 'dueAt')::timestamptz) * 1000)
            FROM audit_events f JOIN audit_events s ON s.instance_key = f.instance_key AND s.kind = 'timer-scheduled'
            WHERE f.kind = 'timer-fired' AND (s.details::jsonb ->> 'dueAt')::timestamptz >= @firstDue
            GROUP BY 1 ORDER BY 1
            """, connection) { Parameters = { new("firstDue", firstDue.ToUniversalTime()) } })
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                worstBySecond.Add(Math.Round((double)reader.GetDecimal(1)));
            }
        }

        var firedSeconds = (double)await DecimalAsync(
            connection,
            "SELECT extract(epoch FROM max(at) - min(at)) FROM audit_events WHERE kind = 'timer-fired' AND at >= @firstDue",
            firstDue);
        var sorted = lags.Order().ToArray();
        return new JsonObject
        {
            ["timers"] = timers,
            ["perSecond"] = perSecond,
            ["fired"] = sorted.Length,
            ["duplicates"] = await ScalarAsync(connection, "SELECT count(*) FROM (SELECT instance_key FROM audit_events WHERE kind = 'timer-fired' GROUP BY instance_key HAVING count(*) > 1) d"),
            ["p50Ms"] = Math.Round(OrderReviewRun.Percentile(sorted, 0.50), 1),
            ["p99Ms"] = Math.Round(OrderReviewRun.Percentile(sorted, 0.99), 1),
            ["maxMs"] = Math.Round(sorted.Length == 0 ? double.NaN : sorted[^1], 1),
            ["startsPerSecond"] = Math.Round(startsPerSecond, 1),
            ["warmupFiresPerSecond"] = Math.Round(warmupFiresPerSecond, 1),
            ["firesPerSecond"] = firedSeconds > 0 ? Math.Round(timers / firedSeconds, 1) : null,
            ["worstLagMsBySecond"] = worstBySecond,
            ["cpuMsPerFire"] = Math.Round(cpuMsPerFire, 3),
            ["statementsPerFire"] = Math.Round(statsAfter.Statements / (double)timers, 2),
            ["transactionsPerFire"] = Math.Round((statsAfter.Commits - statsBefore.Commits) / (double)timers, 3),
            ["topStatements"] = statsAfter.Top,
            ["secondsToSpareBeforeFirstDue"] = Math.Round(margin.TotalSeconds, 1),
            ["executor"] = $"1 node, {options.WorkerCount} workers, batches of {options.BatchSize}, timers in groups of up to {options.GroupSize}, polls {options.MinPollInterval.TotalMilliseconds}–{options.PollInterval.TotalMilliseconds} ms apart",
        };
    }

    /// <summary>Set-up, not measured: 4 clients, 50 instances per command (one transaction each).</summary>
    private static async Task StartAsync(WorkflowRuntime runtime, int count, Func<int, DateTimeOffset> fireAt)
    {
        const int clients = 4;
        var batches = Enumerable.Range(0, count).Chunk(50).ToList();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (var b = client; b < batches.Count; b += clients)
            {
                var batch = batches[b];
                await runtime.RunAsync(async session =>
                {
                    var definition = await session.UnitOfWork.FindLatestDefinitionAsync(TimerProcess.Id)
                        ?? throw new InvalidOperationException($"{TimerProcess.Id} is not deployed.");
                    foreach (var i in batch)
                    {
                        var variables = new JsonObject { ["fireAt"] = fireAt(i).ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) };
                        await session.StartAsync(definition, variables, null, "bench");
                    }

                    return batch.Length;
                });
            }
        })));
    }

    /// <summary>
    /// Waits until no timer job is left (a fired timer's job is deleted with its effects), then checks that the
    /// expected number fired. Polled cheaply: counting the audit trail every few milliseconds would itself cost the
    /// server a visible share of its CPU.
    /// </summary>
    private static async Task WaitForFiredAsync(NpgsqlConnection connection, int count, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (await ScalarAsync(connection, "SELECT count(*) FROM (SELECT 1 FROM jobs LIMIT 1) j") > 0)
        {
            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException("The timers did not all fire in time.");
            }

            await Task.Delay(50);
        }

        var fired = await ScalarAsync(connection, "SELECT count(*) FROM audit_events WHERE kind = 'timer-fired'");
        if (fired != count)
        {
            throw new InvalidOperationException($"{fired} timers fired, {count} expected.");
        }
    }

    private static async Task<decimal> DecimalAsync(NpgsqlConnection connection, string sql, DateTimeOffset firstDue)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new("firstDue", firstDue.ToUniversalTime()) } };
        return await command.ExecuteScalarAsync() is decimal value ? value : 0m;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
