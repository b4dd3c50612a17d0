using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Keys;
using WorkflowOrders.Persistence.Tests.Support;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Persistence.Tests.Jobs;

public abstract class JobExecutorTests : JobExecutorTestsBase
{
    [Fact]
    public async Task RunOnce_DueJobsAddedOutOfOrder_RunsOldestFirst()
    {
        var c = await AddJobAsync("c", Clock.GetUtcNow().AddMinutes(-1));
        var a = await AddJobAsync("a", Clock.GetUtcNow().AddMinutes(-3));
        var b = await AddJobAsync("b", Clock.GetUtcNow().AddMinutes(-2));

        var leased = await NewExecutor("node-a").RunOnceAsync();

        Assert.Equal(3, leased);
        Assert.Equal([a, b, c], (await EffectsAsync()).Select(e => e.JobId));
    }

    [Fact]
    public async Task RunOnce_JobDueLater_RunsOnlyOnceTheClockReachesIt()
    {
        var job = await AddJobAsync("later", Clock.GetUtcNow().AddMinutes(1));
        var executor = NewExecutor("node-a");

        await executor.RunOnceAsync();
        var effectsBefore = await EffectsAsync();
        Clock.Advance(TimeSpan.FromMinutes(1));
        await executor.RunOnceAsync();

        Assert.Empty(effectsBefore);
        Assert.Equal([job], (await EffectsAsync()).Select(e => e.JobId));
        Assert.Null(await FindJobAsync(job));
    }

    [Fact]
    public async Task RunOnce_HandlerThrows_RetriesWithDoublingBackoff()
    {
        var job = await AddJobAsync("fail", Clock.GetUtcNow(), maxAttempts: 5);
        var executor = NewExecutor("node-a", o => o.BackoffBase = TimeSpan.FromSeconds(10));

        await executor.RunOnceAsync();
        var afterFirst = (await FindJobAsync(job))!;
        Clock.Advance(TimeSpan.FromSeconds(9));
        await executor.RunOnceAsync();
        var tooEarly = (await FindJobAsync(job))!;
        Clock.Advance(TimeSpan.FromSeconds(1));
        await executor.RunOnceAsync();
        var afterSecond = (await FindJobAsync(job))!;

        Assert.Equal(1, afterFirst.Attempts);
        Assert.Equal(Clock.GetUtcNow().AddSeconds(-10).AddSeconds(10), afterFirst.DueAt);
        Assert.Contains("handler failure on attempt 1", afterFirst.LastError, StringComparison.Ordinal);
        Assert.Null(afterFirst.LeaseOwner);
        Assert.Equal(1, tooEarly.Attempts);
        Assert.Equal(2, afterSecond.Attempts);
        Assert.Equal(Clock.GetUtcNow().AddSeconds(20), afterSecond.DueAt);
        Assert.Empty(await EffectsAsync());
    }

    [Fact]
    public async Task RunOnce_LastAttemptFails_ParksJobBehindAnIncident()
    {
        await AddInstanceAsync(7001);
        var job = await AddJobAsync("fail", Clock.GetUtcNow(), maxAttempts: 2, instanceKey: 7001);
        var executor = NewExecutor("node-a", o => o.BackoffBase = TimeSpan.FromSeconds(10));

        await executor.RunOnceAsync();
        Clock.Advance(TimeSpan.FromSeconds(10));
        await executor.RunOnceAsync();
        Clock.Advance(TimeSpan.FromDays(1));
        await executor.RunOnceAsync();

        await using var db = CreateContext();
        var incident = await db.Incidents.SingleAsync();
        var parked = (await FindJobAsync(job))!;
        Assert.Equal(IncidentState.Active, incident.State);
        Assert.Equal(IncidentErrorTypes.JobNoRetries, incident.ErrorType);
        Assert.Equal(job, incident.JobId);
        Assert.Equal(7001, incident.InstanceKey);
        Assert.Equal("order-review", incident.BpmnProcessId);
        Assert.Contains("handler failure on attempt 2", incident.ErrorMessage, StringComparison.Ordinal);
        Assert.Null(parked.DueAt);
        Assert.Equal(2, parked.Attempts);
        Assert.True((await db.ProcessInstances.SingleAsync(i => i.Key == 7001)).HasIncident);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Kind == "incident-created" && e.InstanceKey == 7001));
    }

    [Fact]
    public async Task ResolveIncident_ParkedJob_RunsAgainAndClearsTheInstanceFlag()
    {
        await AddInstanceAsync(7002);
        var job = await AddJobAsync("fail", Clock.GetUtcNow(), maxAttempts: 1, instanceKey: 7002);
        var executor = NewExecutor("node-a");
        await executor.RunOnceAsync();
        Handler.Failing = false;

        await using (var db = CreateContext())
        {
            var incidentKey = await db.Incidents.Select(i => i.Key).SingleAsync();
            Assert.True(await JobIncidents.ResolveAsync(db, incidentKey, "admin", Clock.GetUtcNow()));
        }

        await executor.RunOnceAsync();

        await using var read = CreateContext();
        Assert.Equal([job], (await EffectsAsync()).Select(e => e.JobId));
        Assert.Null(await FindJobAsync(job));
        var incident = await read.Incidents.SingleAsync();
        Assert.Equal(IncidentState.Resolved, incident.State);
        Assert.Equal("admin", incident.ResolvedBy);
        Assert.False((await read.ProcessInstances.SingleAsync(i => i.Key == 7002)).HasIncident);
    }

    [Fact]
    public async Task RunOnce_LeaseOfCrashedOwnerRanOut_TakesTheJobOver()
    {
        var job = await AddJobAsync("orphan", Clock.GetUtcNow().AddMinutes(-5), leaseOwner: "crashed-node", leaseUntil: Clock.GetUtcNow().AddSeconds(-1));

        await NewExecutor("node-a").RunOnceAsync();

        Assert.Equal([(job, "node-a")], await EffectsAsync());
    }

    [Fact]
    public async Task RunOnce_LeaseStillHeldByAnotherNode_LeavesTheJobAlone()
    {
        var job = await AddJobAsync("busy", Clock.GetUtcNow().AddMinutes(-5), leaseOwner: "node-b", leaseUntil: Clock.GetUtcNow().AddSeconds(30));

        var leased = await NewExecutor("node-a").RunOnceAsync();

        Assert.Equal(0, leased);
        Assert.Empty(await EffectsAsync());
        Assert.Equal("node-b", (await FindJobAsync(job))!.LeaseOwner);
    }

    [Fact]
    public async Task RunOnce_StopRequestedDuringFirstJob_FinishesItAndReleasesTheOthers()
    {
        var first = await AddJobAsync("first", Clock.GetUtcNow().AddMinutes(-4));
        for (var i = 0; i < 3; i++)
        {
            await AddJobAsync("waiting", Clock.GetUtcNow().AddMinutes(-3 + i));
        }

        using var stopping = new CancellationTokenSource();
        Handler.During = async (job, _) => await stopping.CancelAsync();

        var leased = await NewExecutor("node-a", o => o.WorkerCount = 1).RunOnceAsync(stopping.Token);

        await using var db = CreateContext();
        Assert.Equal(4, leased);
        Assert.Equal([first], (await EffectsAsync()).Select(e => e.JobId));
        var rest = await db.Jobs.ToListAsync();
        Assert.Equal(3, rest.Count);
        Assert.All(rest, j => Assert.True(j.LeaseOwner is null && j.LeaseUntil is null, $"job {j.Id} still leased by {j.LeaseOwner}"));
    }

    [Fact]
    public async Task RunOnce_HandlerReschedules_KeepsTheJobDueAgainWithFreshAttempts()
    {
        var job = await AddJobAsync("cycle", Clock.GetUtcNow());
        Handler.RescheduleTo = Clock.GetUtcNow().AddHours(1);

        await NewExecutor("node-a").RunOnceAsync();

        var row = (await FindJobAsync(job))!;
        Assert.Equal(Clock.GetUtcNow().AddHours(1), row.DueAt);
        Assert.Null(row.LeaseOwner);
        Assert.Single(await EffectsAsync());
    }

    [Fact]
    public async Task RunOnce_NoHandlerForTheKind_CountsAsAFailedAttempt()
    {
        var job = await AddJobAsync("x", Clock.GetUtcNow(), kind: "unknown-kind", maxAttempts: 3);

        await NewExecutor("node-a").RunOnceAsync();

        var row = (await FindJobAsync(job))!;
        Assert.Equal(1, row.Attempts);
        Assert.Contains("No handler is registered for job kind 'unknown-kind'", row.LastError, StringComparison.Ordinal);
    }
    [Fact]
    public async Task RunOnce_HandlerRunsInGroups_CommitsTheGroupsJobsTogether()
    {
        Handler.RunsInGroups = true;
        var committedBefore = RecordCommittedEffectsBeforeEachJob();
        var jobs = await AddJobsAsync("a", "b", "c", "d");

        await NewExecutor("node-a", o => o.GroupSize = 4).RunOnceAsync();

        // Seen from another connection while the group ran: nothing of it had committed.
        Assert.Equal([0, 0, 0, 0], committedBefore);
        Assert.Equal(jobs, (await EffectsAsync()).Select(e => e.JobId));
        Assert.Equal(0, await JobCountAsync());
    }

    [Fact]
    public async Task RunOnce_HandlerNotInGroups_CommitsEachJobAlone()
    {
        var committedBefore = RecordCommittedEffectsBeforeEachJob();
        var jobs = await AddJobsAsync("a", "b", "c", "d");

        await NewExecutor("node-a", o => o.GroupSize = 4).RunOnceAsync();

        Assert.Equal([0, 1, 2, 3], committedBefore);
        Assert.Equal(jobs, (await EffectsAsync()).Select(e => e.JobId));
    }

    [Fact]
    public async Task RunOnce_OneJobOfAGroupFails_TheOthersTakeEffectOnceAndOnlyItIsRetried()
    {
        Handler.RunsInGroups = true;
        var jobs = await AddJobsAsync("a", "fail", "c");

        await NewExecutor("node-a", o => o.GroupSize = 3).RunOnceAsync();

        var failed = (await FindJobAsync(jobs[1]))!;
        Assert.Equal([jobs[0], jobs[2]], (await EffectsAsync()).Select(e => e.JobId));
        Assert.Equal(1, failed.Attempts);
        Assert.Contains("handler failure on attempt 1", failed.LastError, StringComparison.Ordinal);
        Assert.Null(failed.LeaseOwner);
        Assert.Null(await FindJobAsync(jobs[0]));
        Assert.Null(await FindJobAsync(jobs[2]));
    }

    [Fact]
    public async Task RunOnce_GroupedHandlerReschedules_KeepsThatJobDueAgain()
    {
        Handler.RunsInGroups = true;
        var next = Clock.GetUtcNow().AddHours(1);
        Handler.During = (job, _) =>
        {
            if (job.Type == "again")
            {
                job.RescheduleAt(next);
            }

            return Task.CompletedTask;
        };
        var jobs = await AddJobsAsync("a", "again");

        await NewExecutor("node-a", o => o.GroupSize = 2).RunOnceAsync();

        var kept = (await FindJobAsync(jobs[1]))!;
        Assert.Equal(jobs, (await EffectsAsync()).Select(e => e.JobId));
        Assert.Null(await FindJobAsync(jobs[0]));
        Assert.Equal(next, kept.DueAt);
        Assert.Null(kept.LeaseOwner);
    }

    [Fact]
    public async Task PauseBeforeNextPoll_NextJobDueSoon_WakesWhenItFallsDue()
    {
        await AddJobAsync("now", Clock.GetUtcNow().AddMinutes(-1));
        await AddJobAsync("soon", Clock.GetUtcNow().AddMilliseconds(200));
        await AddJobAsync("later", Clock.GetUtcNow().AddMilliseconds(400));

        var pause = await NewExecutor("node-a").PauseBeforeNextPollAsync();

        Assert.Equal(TimeSpan.FromMilliseconds(200), pause);
    }

    [Fact]
    public async Task PauseBeforeNextPoll_NextJobDueWithinTheShortestPause_WaitsTheShortestPause()
    {
        await AddJobAsync("soon", Clock.GetUtcNow().AddMilliseconds(5));

        var pause = await NewExecutor("node-a", o => o.MinPollInterval = TimeSpan.FromMilliseconds(50)).PauseBeforeNextPollAsync();

        Assert.Equal(TimeSpan.FromMilliseconds(50), pause);
    }

    [Fact]
    public async Task PauseBeforeNextPoll_NothingDueBeforeThePollInterval_WaitsThePollInterval()
    {
        var executor = NewExecutor("node-a", o => o.PollInterval = TimeSpan.FromMilliseconds(500));
        var empty = await executor.PauseBeforeNextPollAsync();
        await AddJobAsync("tomorrow", Clock.GetUtcNow().AddDays(1));

        var farAhead = await executor.PauseBeforeNextPollAsync();

        Assert.Equal(TimeSpan.FromMilliseconds(500), empty);
        Assert.Equal(TimeSpan.FromMilliseconds(500), farAhead);
    }

    /// <summary>Jobs due one minute apart, in the order given.</summary>
    protected async Task<List<long>> AddJobsAsync(params string[] types)
    {
        var ids = new List<long>();
        for (var i = 0; i < types.Length; i++)
        {
            ids.Add(await AddJobAsync(types[i], Clock.GetUtcNow().AddMinutes(i - types.Length)));
        }

        return ids;
    }

    /// <summary>Before each job's effect, counts the effects another connection sees committed.</summary>
    private List<int> RecordCommittedEffectsBeforeEachJob()
    {
        var seen = new List<int>();
        Handler.During = async (_, _) => seen.Add((await EffectsAsync()).Count);
        return seen;
    }

    protected async Task<int> JobCountAsync()
    {
        await using var db = CreateContext();
        return await db.Jobs.CountAsync();
    }
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresJobExecutorTests(PostgresCluster cluster) : JobExecutorTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreatePostgresAsync(cluster);

    [Fact]
    public async Task RunOnce_TwoNodesOnTheSame2000DueJobs_RunEachExactlyOnce()
    {
        await using (var db = CreateContext())
        {
            db.Jobs.AddRange(Enumerable.Range(0, 2000).Select(i => new JobRow
            {
                Kind = EffectHandler.TestKind, Type = "bulk", DueAt = Clock.GetUtcNow().AddMilliseconds(-i), CreatedAt = Clock.GetUtcNow(),
            }));
            await db.SaveChangesAsync();
        }

        async Task DrainAsync(JobExecutor executor)
        {
            while (await executor.RunOnceAsync() > 0)
            {
            }
        }

        var nodeA = NewExecutor("node-a", o => o.WorkerCount = 4);
        var nodeB = NewExecutor("node-b", o => o.WorkerCount = 4);
        await Task.WhenAll(Task.Run(() => DrainAsync(nodeA)), Task.Run(() => DrainAsync(nodeB)));

        var effects = await EffectsAsync();
        await using var read = CreateContext();
        Assert.Equal(2000, effects.Count);
        Assert.Equal(2000, effects.Select(e => e.JobId).Distinct().Count());
        Assert.Equal(0, await read.Jobs.CountAsync());
        Assert.Contains(effects, e => e.Owner == "node-a");
        Assert.Contains(effects, e => e.Owner == "node-b");
    }

    [Fact]
    public async Task RunOnce_LeaseTakenOverWhileRunning_RollsBackThisRunsEffects()
    {
        var job = await AddJobAsync("slow", Clock.GetUtcNow());
        // Another node whose clock says our lease ran out takes the job over while our handler still runs.
        Handler.During = (running, _) => TakeOverAsync(running.Id, "node-b");

        await NewExecutor("node-a").RunOnceAsync();

        Assert.Empty(await EffectsAsync());
        Assert.Equal("node-b", (await FindJobAsync(job))!.LeaseOwner);
    }

    [Fact]
    public async Task RunOnce_LeaseTakenOverWhileRunning_WarnsNamingTheNewOwner()
    {
        var job = await AddJobAsync("slow", Clock.GetUtcNow());
        Handler.During = (running, _) => TakeOverAsync(running.Id, "node-b");
        var logger = new ListLogger<JobExecutor>();

        await NewExecutor("node-a", logger: logger).RunOnceAsync();

        Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains($"Job {job} (test) was taken over by another node (node-b)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunOnce_JobCancelledWhileRunning_RollsBackAndSaysTheJobWasGone()
    {
        var job = await AddJobAsync("cancelled", Clock.GetUtcNow());
        Handler.During = async (running, _) =>
        {
            // An engine command ends the element meanwhile and deletes its timer job.
            await using var other = CreateContext();
            await other.Jobs.Where(j => j.Id == running.Id).ExecuteDeleteAsync();
        };
        var logger = new ListLogger<JobExecutor>();

        await NewExecutor("node-a", logger: logger).RunOnceAsync();

        Assert.Empty(await EffectsAsync());
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains($"Job {job} (test) was gone when this run ended", StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task RunOnce_LeaseOfOneGroupedJobTakenOver_RollsBackOnlyThatJobsEffects()
    {
        Handler.RunsInGroups = true;
        var jobs = await AddJobsAsync("a", "slow", "c");
        Handler.During = (running, _) => running.Type == "slow" ? TakeOverAsync(running.Id, "node-b") : Task.CompletedTask;

        await NewExecutor("node-a", o => o.GroupSize = 3).RunOnceAsync();

        Assert.Equal([jobs[0], jobs[2]], (await EffectsAsync()).Select(e => e.JobId));
        Assert.Equal("node-b", (await FindJobAsync(jobs[1]))!.LeaseOwner);
        Assert.Equal(1, await JobCountAsync());
    }

    /// <summary>Another node leases the job, as one whose clock says this node's lease ran out would.</summary>
    private async Task TakeOverAsync(long jobId, string node)
    {
        await using var other = CreateContext();
        await other.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseOwner, node));
    }
}

public sealed class SqliteJobExecutorTests : JobExecutorTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateSqliteAsync();
}
