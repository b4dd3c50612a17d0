using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Tests.Support;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Persistence.Tests.Jobs;

/// <summary>
/// The job executor in real host processes on PostgreSQL: killed with SIGKILL mid-run, two nodes side by side, the
/// database restarted under it. These tests wait for other processes to do their work (polling the database),
/// the one place where the suite spends real time; every wait is bounded.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class JobHostProcessTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private TestDatabase? _database;

    private TestDatabase Database => _database!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreatePostgresAsync(cluster);
        await Database.ExecuteAsync("CREATE TABLE timer_effects (job_id bigint NOT NULL, owner text NOT NULL)");
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();

    [Fact]
    public async Task Host_KilledMidRunThenRestarted_RunsEveryTimerExactlyOnce()
    {
        await AddDueTimersAsync(1000);

        int effectsAtKill;
        using (var first = await JobHostProcess.StartAsync(Database.Options.ConnectionString, "host-1", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(5)))
        {
            await WaitUntilAsync(async () => await CountEffectsAsync() >= 300);
            first.Kill();
            effectsAtKill = await CountEffectsAsync();
        }

        using var second = await JobHostProcess.StartAsync(Database.Options.ConnectionString, "host-2", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1));
        await WaitUntilAsync(async () => await CountJobsAsync() == 0);

        var effects = await EffectsAsync();
        Assert.InRange(effectsAtKill, 300, 999);
        Assert.Equal(1000, effects.Count);
        Assert.Equal(1000, effects.Select(e => e.JobId).Distinct().Count());
        Assert.Contains(effects, e => e.Owner == "host-2");
    }

    [Fact]
    public async Task Hosts_TwoNodesOnTheSameDueTimers_RunEachExactlyOnceAndBothTakePart()
    {
        using var nodeA = await JobHostProcess.StartAsync(Database.Options.ConnectionString, "node-a", TimeSpan.FromSeconds(30), TimeSpan.Zero);
        using var nodeB = await JobHostProcess.StartAsync(Database.Options.ConnectionString, "node-b", TimeSpan.FromSeconds(30), TimeSpan.Zero);
        await AddDueTimersAsync(3000);

        await WaitUntilAsync(async () => await CountJobsAsync() == 0);

        var effects = await EffectsAsync();
        Assert.Equal(3000, effects.Count);
        Assert.Equal(3000, effects.Select(e => e.JobId).Distinct().Count());
        Assert.Contains(effects, e => e.Owner == "node-a");
        Assert.Contains(effects, e => e.Owner == "node-b");
    }

    [Fact]
    public async Task Host_DatabaseRestartedWhileTimersAreDue_LogsTheOutageOnceAndLosesNothing()
    {
        await AddDueTimersAsync(1000);
        using var host = await JobHostProcess.StartAsync(Database.Options.ConnectionString, "host-1", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(5));
        await WaitUntilAsync(async () => await CountEffectsAsync() >= 100);

        cluster.Stop();
        try
        {
            // Down long enough for several polls (every 100 ms) to fail.
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        finally
        {
            cluster.Start();
        }

        await WaitUntilAsync(async () => await TryCountJobsAsync() == 0);

        var effects = await EffectsAsync();
        Assert.Equal(1000, effects.Count);
        Assert.Equal(1000, effects.Select(e => e.JobId).Distinct().Count());
        Assert.Single(host.Lines, l => l.Contains("cannot reach the database", StringComparison.Ordinal));
        Assert.Single(host.Lines, l => l.Contains("reached the database again", StringComparison.Ordinal));
    }

    private async Task AddDueTimersAsync(int count)
    {
        var now = TimeProvider.System.GetUtcNow();
        await using var db = Database.CreateContext();
        db.Jobs.AddRange(Enumerable.Range(0, count).Select(i => new JobRow
        {
            Kind = JobKinds.Timer, Type = "deadline", DueAt = now.AddMilliseconds(i - count), CreatedAt = now,
        }));
        await db.SaveChangesAsync();
    }

    private async Task<int> CountJobsAsync()
    {
        await using var db = Database.CreateContext();
        return await db.Jobs.CountAsync();
    }

    /// <summary>While the database comes back, a pooled connection the restart broke may fail once.</summary>
    private async Task<int> TryCountJobsAsync()
    {
        try
        {
            return await CountJobsAsync();
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException || ex.InnerException is Npgsql.NpgsqlException)
        {
            return -1;
        }
    }

    private async Task<int> CountEffectsAsync() => (await EffectsAsync()).Count;

    private async Task<List<(long JobId, string Owner)>> EffectsAsync()
    {
        await using var db = Database.CreateContext();
        return (await db.Database.SqlQueryRaw<EffectRow>("SELECT job_id AS \"JobId\", owner AS \"Owner\" FROM timer_effects").ToListAsync())
            .Select(e => (e.JobId, e.Owner))
            .ToList();
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

    private sealed record EffectRow(long JobId, string Owner);
}
