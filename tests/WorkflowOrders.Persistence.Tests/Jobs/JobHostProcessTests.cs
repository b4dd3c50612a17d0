using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using WorkflowOrders.Conformance;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Tests.Support;
using WorkflowOrders.Testing;
using Xunit.Abstractions;
using static WorkflowOrders.Conformance.BpmnText;

namespace WorkflowOrders.Persistence.Tests.Jobs;

/// <summary>
/// The engine's timers in real engine nodes (WorkflowOrders.Persistence.JobHost: WorkflowRuntime on the EF store with
/// the job executor) on PostgreSQL: a node killed with SIGKILL mid-run, two nodes side by side, the database stopped
/// under a node. Instances are started through WorkflowRuntime in this process; each waits at a timer catch event
/// whose date comes from its variable <c>fireAt</c>, then ends. A timer's effect is the instance's completion and its
/// one <c>timer-fired</c> audit row, whose actor names the node that fired it. These tests wait for other processes
/// (polling the database), the one place where the suite spends real time; every wait is bounded.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class JobHostProcessTests(PostgresCluster cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private const string ProcessId = "timer-wait";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    private static readonly string TimerProcess = Process(ProcessId, $"""
        <bpmn:startEvent id="Start" />
        <bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">=date and time(fireAt)</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:endEvent id="End" />
        {Flow("f1", "Start", "Wait")}
        {Flow("f2", "Wait", "End")}
        """);

    private TestDatabase? _database;
    private WorkflowRuntime? _runtime;

    private TestDatabase Database => _database!;

    private string ConnectionString => Database.Options.ConnectionString;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreatePostgresAsync(cluster);
        var keys = new EfKeyGenerator(Database.Factory);
        var engine = new WorkflowEngine(new EngineServices { Time = TimeProvider.System, Keys = keys, Calendars = WorkflowHarness.Calendars });
        _runtime = new WorkflowRuntime(engine, new EfWorkflowStore(Database.Factory, keys));
        await _runtime.DeployAsync([new DeploymentResource("timer-wait.bpmn", TimerProcess)], "test");
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();

    [Fact]
    public async Task Host_KilledMidRunThenRestarted_FiresEveryTimerExactlyOnce()
    {
        // Due over 2 s from shortly after the last start; each job's transaction is held 5 ms, so the kill lands mid-run
        // with transactions open.
        var dueFrom = TimeProvider.System.GetUtcNow().AddSeconds(2);
        await StartInstancesAsync(1000, i => dueFrom.AddMilliseconds(2 * i));

        int firedAtKill;
        using (var first = await JobHostProcess.StartAsync(ConnectionString, "host-1", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(5)))
        {
            await WaitUntilAsync(async () => await CountAsync("SELECT count(*) FROM audit_events WHERE kind = 'timer-fired'") >= 300);
            first.Kill();
            firedAtKill = await CountAsync("SELECT count(*) FROM audit_events WHERE kind = 'timer-fired'");
        }

        // The dead host's leases (2 s) run out, then the second host takes its jobs over.
        using var second = await JobHostProcess.StartAsync(ConnectionString, "host-2", TimeSpan.FromSeconds(2));
        await WaitUntilAsync(async () => await CountAsync("SELECT count(*) FROM jobs") == 0);

        var outcome = await OutcomeAsync();
        output.WriteLine($"fired before the kill: {firedAtKill}; {outcome}");
        Assert.InRange(firedAtKill, 300, 999);
        AssertEachFiredOnce(outcome, 1000);
        // A COMMIT already on its way to the server when the process died may still land after the count above.
        Assert.InRange(outcome.FiredBy.GetValueOrDefault("host-1"), firedAtKill, firedAtKill + 4);
        Assert.Equal(1000, outcome.FiredBy.GetValueOrDefault("host-1") + outcome.FiredBy.GetValueOrDefault("host-2"));
    }

    [Fact]
    public async Task Hosts_TwoNodesOnTenThousandTimersDueAtOnce_FireEachExactlyOnceAndBothTakePart()
    {
        var due = TimeProvider.System.GetUtcNow().AddSeconds(1);
        var starting = Stopwatch.StartNew();
        await StartInstancesAsync(10_000, _ => due);
        var started = starting.Elapsed;

        var firing = Stopwatch.StartNew();
        var nodes = await Task.WhenAll(
            JobHostProcess.StartAsync(ConnectionString, "node-a", TimeSpan.FromSeconds(30)),
            JobHostProcess.StartAsync(ConnectionString, "node-b", TimeSpan.FromSeconds(30)));
        try
        {
            await WaitUntilAsync(async () => await CountAsync("SELECT count(*) FROM jobs") == 0);
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }

        var outcome = await OutcomeAsync();
        output.WriteLine($"10,000 instances started in {started.TotalSeconds:F1} s; fired in {firing.Elapsed.TotalSeconds:F1} s; {outcome}");
        AssertEachFiredOnce(outcome, 10_000);
        Assert.Equal(["node-a", "node-b"], outcome.FiredBy.Keys.Order(StringComparer.Ordinal));
        Assert.All(outcome.FiredBy.Values, n => Assert.True(n > 0));
    }

    [Fact]
    public async Task Host_DatabaseStoppedTenSecondsWhileTimersAreDue_LogsTheOutageOnceRecoversAndLosesNothing()
    {
        // Due over 8 s: most fall due while the database is down.
        var dueFrom = TimeProvider.System.GetUtcNow().AddSeconds(1);
        await StartInstancesAsync(2000, i => dueFrom.AddMilliseconds(4 * i));
        using var host = await JobHostProcess.StartAsync(ConnectionString, "host-1", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(2));
        await WaitUntilAsync(async () => await CountAsync("SELECT count(*) FROM audit_events WHERE kind = 'timer-fired'") >= 100);

        cluster.Stop();
        try
        {
            // The outage itself is what is tested: 10 s with the database down (the host polls every 100 ms).
            await Task.Delay(TimeSpan.FromSeconds(10));
        }
        finally
        {
            cluster.Start();
        }

        await WaitUntilAsync(async () => await TryCountAsync("SELECT count(*) FROM jobs") == 0);

        var outcome = await OutcomeAsync();
        output.WriteLine(outcome.ToString());
        output.WriteLine(string.Join('\n', host.Lines.Where(l => !l.StartsWith("Information: Job executor", StringComparison.Ordinal) || l.Contains("database", StringComparison.Ordinal))));
        AssertEachFiredOnce(outcome, 2000);
        Assert.Single(host.Lines, l => l.Contains("cannot reach the database", StringComparison.Ordinal));
        Assert.Single(host.Lines, l => l.Contains("reached the database again", StringComparison.Ordinal));
    }

    private static void AssertEachFiredOnce(Outcome outcome, int instances)
    {
        Assert.Equal(instances, outcome.Instances);
        Assert.Equal(instances, outcome.Completed);
        Assert.Equal(instances, outcome.TimerFired);
        Assert.Equal(instances, outcome.InstancesFired);
        Assert.Equal(0, outcome.Duplicates);
        Assert.Equal(0, outcome.JobsLeft);
        Assert.Equal(0, outcome.Incidents);
    }

    /// <summary>
    /// Starts the instances through WorkflowRuntime: 4 concurrent clients, each starting 50 instances per command
    /// (one transaction), so that 10,000 instances take seconds, not minutes.
    /// </summary>
    private async Task StartInstancesAsync(int count, Func<int, DateTimeOffset> fireAt)
    {
        const int clients = 4;
        const int perCommand = 50;
        var batches = Enumerable.Range(0, count).Chunk(perCommand).ToList();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (var b = client; b < batches.Count; b += clients)
            {
                var batch = batches[b];
                await _runtime!.RunAsync(async session =>
                {
                    var definition = await session.UnitOfWork.FindLatestDefinitionAsync(ProcessId)
                        ?? throw new InvalidOperationException($"{ProcessId} is not deployed.");
                    foreach (var i in batch)
                    {
                        var variables = new JsonObject { ["fireAt"] = fireAt(i).ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) };
                        await session.StartAsync(definition, variables, $"order-{i}", "test");
                    }

                    return batch.Length;
                });
            }
        })));
        Assert.Equal(count, await CountAsync("SELECT count(*) FROM jobs WHERE kind = 'timer'"));
    }

    private async Task<Outcome> OutcomeAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var firedBy = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT coalesce(actor, '(none)'), count(*) FROM audit_events WHERE kind = 'timer-fired' GROUP BY 1", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                firedBy[reader.GetString(0)] = (int)reader.GetInt64(1);
            }
        }

        return new Outcome(
            Instances: await ScalarAsync(connection, "SELECT count(*) FROM process_instances"),
            Completed: await ScalarAsync(connection, "SELECT count(*) FROM process_instances WHERE state = 'COMPLETED'"),
            TimerFired: firedBy.Values.Sum(),
            InstancesFired: await ScalarAsync(connection, "SELECT count(DISTINCT instance_key) FROM audit_events WHERE kind = 'timer-fired'"),
            Duplicates: await ScalarAsync(connection, "SELECT count(*) FROM (SELECT instance_key FROM audit_events WHERE kind = 'timer-fired' GROUP BY instance_key HAVING count(*) > 1) d"),
            JobsLeft: await ScalarAsync(connection, "SELECT count(*) FROM jobs"),
            Incidents: await ScalarAsync(connection, "SELECT count(*) FROM incidents"),
            FiredBy: firedBy);
    }

    private async Task<int> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return await ScalarAsync(connection, sql);
    }

    /// <summary>While the database comes back, a pooled connection the restart broke may fail once.</summary>
    private async Task<int> TryCountAsync(string sql)
    {
        try
        {
            return await CountAsync(sql);
        }
        catch (NpgsqlException)
        {
            return -1;
        }
    }

    private static async Task<int> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > Limit)
            {
                throw new TimeoutException($"Condition not reached within {Limit}.");
            }

            await Task.Delay(50);
        }
    }

    private sealed record Outcome(int Instances, int Completed, int TimerFired, int InstancesFired, int Duplicates, int JobsLeft, int Incidents, Dictionary<string, int> FiredBy)
    {
        public override string ToString() =>
            $"instances {Instances}, completed {Completed}, timer-fired rows {TimerFired} on {InstancesFired} instances, duplicates {Duplicates}, " +
            $"jobs left {JobsLeft}, incidents {Incidents}, fired by {string.Join(", ", FiredBy.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"))}";
    }
}
