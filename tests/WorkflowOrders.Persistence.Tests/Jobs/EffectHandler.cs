using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence.Jobs;

namespace WorkflowOrders.Persistence.Tests.Jobs;

/// <summary>
/// A job handler whose effect is one row in the test table <c>test_effects</c>, written in the job's transaction.
/// Jobs of type "fail" throw while <see cref="Failing"/> is true.
/// </summary>
internal sealed class EffectHandler : IJobHandler
{
    public const string TestKind = "test";

    public string Kind => TestKind;

    public bool Failing { get; set; } = true;

    /// <summary>Declares the effects database-only, so the executor may run several jobs in one transaction.</summary>
    public bool RunsInGroups { get; set; }

    /// <summary>Runs inside the job's transaction before the effect is written.</summary>
    public Func<JobExecution, WorkflowDbContext, Task>? During { get; set; }

    /// <summary>Set to make the handler keep the job for another run at this time.</summary>
    public DateTimeOffset? RescheduleTo { get; set; }

    public static string CreateTableSql(bool sqlite) => sqlite
        ? "CREATE TABLE test_effects (seq INTEGER PRIMARY KEY AUTOINCREMENT, job_id INTEGER NOT NULL, owner TEXT NOT NULL)"
        : "CREATE TABLE test_effects (seq bigserial PRIMARY KEY, job_id bigint NOT NULL, owner text NOT NULL)";

    public async Task HandleAsync(JobExecution job, WorkflowDbContext db, CancellationToken cancellationToken)
    {
        if (During is not null)
        {
            await During(job, db);
        }

        if (job.Type == "fail" && Failing)
        {
            throw new InvalidOperationException($"handler failure on attempt {job.Attempt}");
        }

        await db.Database.ExecuteSqlAsync($"INSERT INTO test_effects (job_id, owner) VALUES ({job.Id}, {job.OwnerId})", cancellationToken);
        if (RescheduleTo is { } at)
        {
            job.RescheduleAt(at);
        }
    }
}
