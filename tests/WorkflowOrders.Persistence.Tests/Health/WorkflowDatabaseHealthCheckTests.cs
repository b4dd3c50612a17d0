using Microsoft.Extensions.Diagnostics.HealthChecks;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Health;
using WorkflowOrders.Persistence.Tests.Support;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Persistence.Tests.Health;

public abstract class WorkflowDatabaseHealthCheckTests : DatabaseTestBase
{
    [Fact]
    public async Task Check_OldestDueJobTwoMinutesLate_ReportsDegradedWithItsLateness()
    {
        await AddJobAsync(Clock.GetUtcNow().AddMinutes(-2));
        await AddJobAsync(Clock.GetUtcNow().AddSeconds(-30));
        await AddJobAsync(Clock.GetUtcNow().AddHours(1));

        var result = await new WorkflowDatabaseHealthCheck(Database.Factory, Clock).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal(120.0, result.Data["oldestDueJobLateSeconds"]);
        Assert.Equal(2, result.Data["dueJobs"]);
    }

    [Fact]
    public async Task Check_OnlyFutureJobs_ReportsHealthyAndNothingLate()
    {
        await AddJobAsync(Clock.GetUtcNow().AddMinutes(5));

        var result = await new WorkflowDatabaseHealthCheck(Database.Factory, Clock).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("reachable", result.Data["database"]);
        Assert.Equal(0.0, result.Data["oldestDueJobLateSeconds"]);
    }

    private async Task AddJobAsync(DateTimeOffset dueAt)
    {
        await using var db = CreateContext();
        db.Jobs.Add(new JobRow { Kind = JobKinds.Timer, Type = "t", DueAt = dueAt, CreatedAt = Clock.GetUtcNow() });
        await db.SaveChangesAsync();
    }
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresWorkflowDatabaseHealthCheckTests(PostgresCluster cluster) : WorkflowDatabaseHealthCheckTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreatePostgresAsync(cluster);
}

public sealed class SqliteWorkflowDatabaseHealthCheckTests : WorkflowDatabaseHealthCheckTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateSqliteAsync();

    [Fact]
    public async Task Check_DatabaseCannotBeOpened_ReportsUnhealthy()
    {
        var unreachable = new WorkflowDbContextFactory(PersistenceOptions.UseSqlite("Data Source=/nonexistent-folder/workflow.db"));

        var result = await new WorkflowDatabaseHealthCheck(unreachable, Clock).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("unreachable", result.Data["database"]);
    }
}
