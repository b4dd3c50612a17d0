using Microsoft.Extensions.Logging;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Tests.Support;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Persistence.Tests.Jobs;

[Collection(SharedPostgres.Name)]
public sealed class PostgresJobExecutorServiceTests(PostgresCluster cluster) : JobExecutorTestsBase
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreatePostgresAsync(cluster);

    [Fact]
    public async Task PollAsync_DatabaseStoppedThenStarted_LogsTheOutageOnceAndCatchesUp()
    {
        var first = await AddJobAsync("before-outage", Clock.GetUtcNow().AddSeconds(-5));
        var second = await AddJobAsync("during-outage", Clock.GetUtcNow().AddSeconds(5));
        var logger = new ListLogger<JobExecutorService>();
        var service = new JobExecutorService(NewExecutor("node-a"), Clock, logger);

        cluster.Stop();
        var failedPolls = new List<int>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                failedPolls.Add(await service.PollAsync(CancellationToken.None));
                Clock.Advance(TimeSpan.FromSeconds(5));
            }
        }
        finally
        {
            cluster.Start();
        }

        var inOutage = service.InOutage;
        // The first poll after the restart may still meet a pooled connection the restart broke.
        for (var i = 0; i < 5 && service.InOutage; i++)
        {
            await service.PollAsync(CancellationToken.None);
        }

        Assert.Equal([0, 0, 0], failedPolls);
        Assert.True(inOutage);
        Assert.False(service.InOutage);
        Assert.Equal([first, second], (await EffectsAsync()).Select(e => e.JobId).Order());
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("cannot reach the database", StringComparison.Ordinal));
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("reached the database again", StringComparison.Ordinal));
    }
}
