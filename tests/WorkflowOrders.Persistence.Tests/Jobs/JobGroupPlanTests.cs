using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;

namespace WorkflowOrders.Persistence.Tests.Jobs;

/// <summary>How a leased batch is split into units of work (<see cref="JobExecutor.PlanUnits"/>): no database.</summary>
public sealed class JobGroupPlanTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 8, 0, 0, TimeSpan.Zero);

    private static List<JobRow> Batch(int count, string kind = "timer") =>
        [.. Enumerable.Range(1, count).Select(i => Job(i, kind, instanceKey: 1000 + i))];

    private static JobRow Job(long id, string kind, long? instanceKey = null) => new()
    {
        Id = id, Kind = kind, Type = "t", InstanceKey = instanceKey, DueAt = T0.AddSeconds(id), CreatedAt = T0,
    };

    private static bool Timers(JobRow job) => job.Kind == "timer";

    [Fact]
    public void PlanUnits_FewerGroupableJobsThanWorkers_RunsEachAlone()
    {
        var units = JobExecutor.PlanUnits(Batch(3), Timers, workers: 8, groupSize: 8);

        Assert.Equal([[1], [2], [3]], units.Select(u => u.Select(j => j.Id).ToArray()));
    }

    [Fact]
    public void PlanUnits_FullBatchOnFourWorkers_FourGroupsOfConsecutiveJobs()
    {
        var units = JobExecutor.PlanUnits(Batch(32), Timers, workers: 4, groupSize: 8);

        Assert.Equal(4, units.Count);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), units[0].Select(j => j.Id));
        Assert.Equal(Enumerable.Range(25, 8).Select(i => (long)i), units[3].Select(j => j.Id));
    }

    [Fact]
    public void PlanUnits_FullBatchOnEightWorkers_SpreadsOverEveryWorkerFirst()
    {
        var units = JobExecutor.PlanUnits(Batch(32), Timers, workers: 8, groupSize: 8);

        Assert.Equal(8, units.Count);
        Assert.All(units, u => Assert.Equal(4, u.Count));
    }

    [Fact]
    public void PlanUnits_MoreJobsThanWorkersTimesGroupSize_NoGroupExceedsTheGroupSize()
    {
        var units = JobExecutor.PlanUnits(Batch(100), Timers, workers: 4, groupSize: 8);

        Assert.Equal(13, units.Count);
        Assert.All(units, u => Assert.InRange(u.Count, 7, 8));
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), units.SelectMany(u => u).Select(j => j.Id).Order());
    }

    [Fact]
    public void PlanUnits_GroupSizeOne_RunsEveryJobAlone()
    {
        var units = JobExecutor.PlanUnits(Batch(32), Timers, workers: 4, groupSize: 1);

        Assert.Equal(32, units.Count);
    }

    [Fact]
    public void PlanUnits_KindsNotInGroups_StayAloneAndUnitsComeOldestFirst()
    {
        List<JobRow> batch = [Job(1, "email"), Job(2, "timer", 7), Job(3, "timer", 5), Job(4, "email"), Job(5, "timer", 6), Job(6, "timer", 8)];

        var units = JobExecutor.PlanUnits(batch, Timers, workers: 1, groupSize: 8);

        // The group's oldest job is 2, so it runs between the emails 1 and 4; inside, by instance key.
        Assert.Equal([[1], [3, 5, 2, 6], [4]], units.Select(u => u.Select(j => j.Id).ToArray()));
    }
}
