using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Tests.Support;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Persistence.Tests;

public abstract class WorkflowDbContextTests : DatabaseTestBase
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 17, 30, 0, China);

    [Fact]
    public async Task Rows_EveryColumnWritten_ReadBackEqual()
    {
        object[] rows =
        [
            new ProcessDefinitionRow
            {
                Key = 11, BpmnProcessId = "order-review", Version = 2, Name = "Order review", ResourceName = "order-review.bpmn",
                Xml = "<definitions/>", ContentHash = "ab12", DeploymentKey = 10, DeployedBy = "li.wei", DeployedAt = T0,
            },
            new FormRow { Key = 12, FormId = "review-form", Version = 1, Schema = "{\"components\":[]}", ContentHash = "cd34", DeploymentKey = 10, DeployedAt = T0 },
            new ProcessInstanceRow
            {
                Key = 13, DefinitionKey = 11, BpmnProcessId = "order-review", DefinitionVersion = 2, BusinessKey = "ORD-42",
                State = ProcessInstanceState.Terminated, HasIncident = true, StateJson = "{\"tokens\":[]}", StartedAt = T0,
                EndedAt = T0.AddHours(1), ParentInstanceKey = 9, ParentElementInstanceKey = 8, Revision = 1,
            },
            new UserTaskRow
            {
                Key = 14, InstanceKey = 13, ElementInstanceKey = 15, ElementId = "review", Name = "Review order", BpmnProcessId = "order-review",
                DefinitionKey = 11, DefinitionVersion = 2, BusinessKey = "ORD-42", State = UserTaskState.Canceled, Assignee = "zhang.san",
                CandidateGroups = "[\"sales\"]", CandidateUsers = "[\"li.wei\"]", DueDate = T0.AddDays(1), FollowUpDate = T0.AddHours(20),
                Priority = 75, FormKey = 12, CustomHeaders = "{\"ladder\":\"default\"}", CreatedAt = T0, ClaimedAt = T0.AddMinutes(5),
                CompletedAt = T0.AddMinutes(50), CompletedBy = "zhang.san", Revision = 1,
            },
            new UserTaskCandidateRow { TaskKey = 14, Kind = CandidateKinds.Group, Value = "sales" },
            new JobRow
            {
                Kind = JobKinds.Timer, Type = "review-deadline", InstanceKey = 13, ElementInstanceKey = 15, Payload = "{}", DueAt = T0.AddDays(1),
                Attempts = 1, MaxAttempts = 3, LastError = "boom", LeaseOwner = "node-a", LeaseUntil = T0.AddMinutes(1), CreatedAt = T0,
            },
            new MessageSubscriptionRow { InstanceKey = 13, ElementInstanceKey = 15, ElementId = "wait-change", MessageName = "order-changed", CorrelationKey = "ORD-42", CreatedAt = T0 },
            new BufferedMessageRow
            {
                Key = 16, Name = "order-changed", CorrelationKey = "ORD-42", Variables = "{\"qty\":3}", MessageId = "m-1", PublishedAt = T0, ExpiresAt = T0.AddHours(1),
            },
            new IncidentRow
            {
                Key = 17, InstanceKey = 13, ElementInstanceKey = 15, ElementId = "notify", BpmnProcessId = "order-review", ErrorType = IncidentErrorTypes.JobNoRetries,
                ErrorMessage = "smtp down", State = IncidentState.Resolved, JobId = 5, CreatedAt = T0, ResolvedAt = T0.AddHours(2), ResolvedBy = "admin",
            },
            new AuditEventRow { InstanceKey = 13, ElementId = "review", ElementInstanceKey = 15, Kind = "task-completed", Actor = "zhang.san", At = T0, Details = "{\"x\":1}" },
        ];

        await using (var db = CreateContext())
        {
            db.AddRange(rows);
            await db.SaveChangesAsync();
        }

        await using var read = CreateContext();
        foreach (var expected in rows)
        {
            var entityType = read.Model.FindEntityType(expected.GetType())!;
            var keyValues = entityType.FindPrimaryKey()!.Properties.Select(p => p.PropertyInfo!.GetValue(expected)).ToArray();
            var actual = await read.FindAsync(expected.GetType(), keyValues);
            Assert.NotNull(actual);
            foreach (var property in expected.GetType().GetProperties())
            {
                Assert.True(Equals(property.GetValue(expected), property.GetValue(actual)), $"{expected.GetType().Name}.{property.Name}: wrote {property.GetValue(expected)}, read {property.GetValue(actual)}");
            }
        }
    }

    [Fact]
    public async Task Instants_InMixedOffsets_CompareAndSortByInstantInSql()
    {
        // 09:00+08:00 is 01:00Z, earlier than 02:00Z although its wall-clock reads later.
        var early = new DateTimeOffset(2026, 11, 23, 9, 0, 0, China);
        var late = new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);
        await using (var db = CreateContext())
        {
            db.Jobs.AddRange(
                new JobRow { Kind = JobKinds.Timer, Type = "late", DueAt = late, CreatedAt = T0 },
                new JobRow { Kind = JobKinds.Timer, Type = "early", DueAt = early, CreatedAt = T0 });
            await db.SaveChangesAsync();
        }

        await using var read = CreateContext();
        var ordered = await read.Jobs.OrderBy(j => j.DueAt).Select(j => j.Type).ToListAsync();
        var dueBy0130 = await read.Jobs.Where(j => j.DueAt <= new DateTimeOffset(2026, 11, 23, 1, 30, 0, TimeSpan.Zero)).Select(j => j.Type).ToListAsync();

        Assert.Equal(["early", "late"], ordered);
        Assert.Equal(["early"], dueBy0130);
    }

    [Fact]
    public async Task ProcessInstance_SavedTwice_RevisionCountsSaves()
    {
        await using var db = CreateContext();
        var instance = NewInstance(21);
        db.ProcessInstances.Add(instance);
        await db.SaveChangesAsync();
        instance.StateJson = "{\"step\":2}";
        await db.SaveChangesAsync();

        await using var read = CreateContext();
        Assert.Equal(2, (await read.ProcessInstances.SingleAsync(i => i.Key == 21)).Revision);
    }

    [Fact]
    public async Task ProcessInstance_StaleSave_ThrowsConflictAndKeepsTheWinner()
    {
        await using (var db = CreateContext())
        {
            db.ProcessInstances.Add(NewInstance(22));
            await db.SaveChangesAsync();
        }

        await using var first = CreateContext();
        await using var second = CreateContext();
        var winner = await first.ProcessInstances.SingleAsync(i => i.Key == 22);
        var loser = await second.ProcessInstances.SingleAsync(i => i.Key == 22);
        winner.StateJson = "{\"by\":\"first\"}";
        await first.SaveChangesAsync();
        loser.StateJson = "{\"by\":\"second\"}";

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => second.SaveChangesAsync());

        Assert.Equal("process_instances", conflict.Table);
        Assert.Equal(1, conflict.ExpectedRevision);
        Assert.Contains("process_instances 22 was changed by someone else", conflict.Message, StringComparison.Ordinal);
        await using var read = CreateContext();
        Assert.Equal("{\"by\":\"first\"}", (await read.ProcessInstances.SingleAsync(i => i.Key == 22)).StateJson);
    }

    [Fact]
    public async Task UserTask_SecondCompletionFromStaleRead_ThrowsConflict()
    {
        await using (var db = CreateContext())
        {
            db.UserTasks.Add(new UserTaskRow
            {
                Key = 31, InstanceKey = 22, ElementInstanceKey = 23, ElementId = "review", BpmnProcessId = "order-review", State = UserTaskState.Created, CreatedAt = T0,
            });
            await db.SaveChangesAsync();
        }

        await using var alice = CreateContext();
        await using var bob = CreateContext();
        var aliceTask = await alice.UserTasks.SingleAsync(t => t.Key == 31);
        var bobTask = await bob.UserTasks.SingleAsync(t => t.Key == 31);
        aliceTask.State = UserTaskState.Completed;
        aliceTask.CompletedBy = "alice";
        await alice.SaveChangesAsync();
        bobTask.State = UserTaskState.Completed;
        bobTask.CompletedBy = "bob";

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => bob.SaveChangesAsync());

        Assert.Equal("user_tasks", conflict.Table);
        await using var read = CreateContext();
        Assert.Equal("alice", (await read.UserTasks.SingleAsync(t => t.Key == 31)).CompletedBy);
    }

    private static ProcessInstanceRow NewInstance(long key) => new()
    {
        Key = key, DefinitionKey = 1, BpmnProcessId = "order-review", DefinitionVersion = 1, State = ProcessInstanceState.Active, StateJson = "{}", StartedAt = T0,
    };
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresWorkflowDbContextTests(PostgresCluster cluster) : WorkflowDbContextTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreatePostgresAsync(cluster);
}

public sealed class SqliteWorkflowDbContextTests : WorkflowDbContextTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateSqliteAsync();

    [Fact]
    public async Task Instants_OnSqlite_AreStoredAsIntegerUtcTicks()
    {
        var due = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));
        await using (var db = CreateContext())
        {
            db.Jobs.Add(new JobRow { Kind = JobKinds.Timer, Type = "t", DueAt = due, LeaseUntil = due, CreatedAt = due });
            await db.SaveChangesAsync();
        }

        await using var read = CreateContext();
        var stored = await read.Database.SqlQueryRaw<long>("SELECT due_at AS \"Value\" FROM jobs WHERE typeof(due_at) = 'integer' AND typeof(created_at) = 'integer'").ToListAsync();

        Assert.Equal([due.UtcTicks], stored);
    }
}
