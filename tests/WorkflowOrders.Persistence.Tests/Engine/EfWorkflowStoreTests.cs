using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Conformance;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Tests.Support;
using WorkflowOrders.Testing;
using static WorkflowOrders.Conformance.BpmnText;
using RowTaskState = WorkflowOrders.Persistence.Entities.UserTaskState;

namespace WorkflowOrders.Persistence.Tests.Engine;

/// <summary>
/// The store's PostgreSQL path for units of work that own their transaction or join the job executor's with
/// JoinSaving (instance, tasks and audit in plain SQL, one batch per save): the revision guard and the rows it writes.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class EfWorkflowStorePostgresTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly string ReviewProcess = Process("p", $"""
        <bpmn:startEvent id="Start" />
        {UserTask("Review", group: "sales, quality")}
        <bpmn:endEvent id="End" />
        {Flow("f1", "Start", "Review")}
        {Flow("f2", "Review", "End")}
        """);

    private static readonly string WaitProcess = Process("w", $"""
        <bpmn:startEvent id="Start" />
        <bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:endEvent id="End" />
        {Flow("f1", "Start", "Wait")}
        {Flow("f2", "Wait", "End")}
        """);

    private TestDatabase _database = null!;
    private EfWorkflowStore _store = null!;
    private WorkflowRuntime _runtime = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreatePostgresAsync(cluster);
        var keys = new EfKeyGenerator(_database.Factory);
        _store = new EfWorkflowStore(_database.Factory, keys);
        var clock = new FakeClock(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var calendars = CalendarCatalog.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "workflows", "calendars"));
        _runtime = new WorkflowRuntime(new WorkflowEngine(new EngineServices { Time = clock, Keys = keys, Calendars = calendars }), _store);
        await _runtime.DeployAsync([new DeploymentResource("p.bpmn", ReviewProcess), new DeploymentResource("w.bpmn", WaitProcess)], "test");
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task CompleteUserTask_TwoUnitsFromTheSameRead_SecondCommitThrowsConflictAndKeepsTheWinner()
    {
        var instance = await _runtime.StartInstanceAsync("p", null);
        var taskKey = await OpenTaskKeyAsync(instance.Key);
        await using var alice = await _store.BeginAsync();
        await using var bob = await _store.BeginAsync();
        var aliceTask = (await alice.FindUserTaskAsync(taskKey))!;
        var aliceState = (await alice.LoadInstanceAsync(instance.Key))!;
        var bobTask = (await bob.FindUserTaskAsync(taskKey))!;
        var bobState = (await bob.LoadInstanceAsync(instance.Key))!;

        aliceTask.State = UserTaskState.Completed;
        aliceTask.CompletedBy = "alice";
        await alice.UpdateUserTaskAsync(aliceTask);
        await alice.SaveInstanceAsync(aliceState, isNew: false);
        await alice.CommitAsync();
        bobTask.State = UserTaskState.Completed;
        bobTask.CompletedBy = "bob";
        await bob.UpdateUserTaskAsync(bobTask);
        await bob.SaveInstanceAsync(bobState, isNew: false);
        var conflict = await Assert.ThrowsAsync<WorkflowOrders.Engine.Runtime.ConcurrencyConflictException>(async () => await bob.CommitAsync());

        Assert.Equal(instance.Key, conflict.InstanceKey);
        var cause = Assert.IsType<Persistence.ConcurrencyConflictException>(conflict.InnerException);
        Assert.Equal("process_instances", cause.Table);
        await using var db = _database.CreateContext();
        var row = await db.UserTasks.AsNoTracking().SingleAsync(t => t.Key == taskKey);
        Assert.Equal("alice", row.CompletedBy);
        Assert.Equal(2, row.Revision);
    }

    [Fact]
    public async Task CompleteUserTask_TwoPeopleAtOnce_OneSucceedsAndTheOtherIsToldWhoCompletedIt()
    {
        var instance = await _runtime.StartInstanceAsync("p", null);
        var taskKey = await OpenTaskKeyAsync(instance.Key);

        var outcomes = await Task.WhenAll(
            CompleteAsync(taskKey, "alice"),
            CompleteAsync(taskKey, "bob"));

        var refused = Assert.Single(outcomes, o => o is not null);
        var winner = outcomes[0] is null ? "alice" : "bob";
        Assert.Contains($"already completed by {winner}", refused!.Message, StringComparison.Ordinal);
        await using var db = _database.CreateContext();
        Assert.Equal(Entities.ProcessInstanceState.Completed, (await db.ProcessInstances.AsNoTracking().SingleAsync(i => i.Key == instance.Key)).State);
    }

    [Fact]
    public async Task UserTask_CreatedThenAssignedThenCompleted_RowsFollowTheRecordAndCountRevisions()
    {
        var instance = await _runtime.StartInstanceAsync("p", null);
        var taskKey = await OpenTaskKeyAsync(instance.Key);
        await using (var db = _database.CreateContext())
        {
            var created = await db.UserTasks.AsNoTracking().SingleAsync(t => t.Key == taskKey);
            Assert.Equal((RowTaskState.Created, 1, "sales,quality"), (created.State, created.Revision, created.CandidateGroups));
            var candidates = await db.UserTaskCandidates.AsNoTracking().Where(c => c.TaskKey == taskKey).OrderBy(c => c.Value).Select(c => c.Kind + ":" + c.Value).ToListAsync();
            Assert.Equal(["group:quality", "group:sales"], candidates);
        }

        await _runtime.AssignUserTaskAsync(taskKey, "carol", "carol");
        await _runtime.CompleteUserTaskAsync(taskKey, null, "carol");

        await using var read = _database.CreateContext();
        var task = await read.UserTasks.AsNoTracking().SingleAsync(t => t.Key == taskKey);
        Assert.Equal((RowTaskState.Completed, "carol", "carol", 3), (task.State, task.Assignee, task.CompletedBy, task.Revision));
        Assert.NotNull(task.ClaimedAt);
        var row = await read.ProcessInstances.AsNoTracking().SingleAsync(i => i.Key == instance.Key);
        Assert.Equal((Entities.ProcessInstanceState.Completed, 2), (row.State, row.Revision));
        Assert.NotNull(row.EndedAt);
        var ids = await read.AuditEvents.AsNoTracking().Where(a => a.InstanceKey == instance.Key).OrderBy(a => a.Id).Select(a => a.Kind).ToListAsync();
        Assert.Equal("instance-started", ids[0]);
        Assert.Equal("instance-completed", ids[^1]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task JoinSaving_TimerFiredInAnOwnersTransaction_TakesEffectOnlyWithTheOwnersCommit(bool commit)
    {
        var instance = await _runtime.StartInstanceAsync("w", null);
        long jobId;
        await using (var read = _database.CreateContext())
        {
            jobId = await read.Jobs.Where(j => j.InstanceKey == instance.Key).Select(j => j.Id).SingleAsync();
        }

        await using var db = _database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var unit = _store.JoinSaving(db, jobId);
        await _runtime.FireTimerAsync(unit, jobId, "node-a");
        await unit.CommitAsync();
        var stateBeforeOwnerEnds = await InstanceStateAsync(instance.Key);
        if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }

        await using var after = _database.CreateContext();
        var fired = await after.AuditEvents.CountAsync(a => a.InstanceKey == instance.Key && a.Kind == "timer-fired");
        Assert.Equal(Entities.ProcessInstanceState.Active, stateBeforeOwnerEnds);
        Assert.Equal(commit ? Entities.ProcessInstanceState.Completed : Entities.ProcessInstanceState.Active, await InstanceStateAsync(instance.Key));
        Assert.Equal(commit ? 1 : 0, fired);
        // The executing job is the owner's to delete (with its lease check), never the unit's.
        Assert.True(await after.Jobs.AnyAsync(j => j.Id == jobId));
    }

    private async Task<Entities.ProcessInstanceState> InstanceStateAsync(long key)
    {
        await using var db = _database.CreateContext();
        return await db.ProcessInstances.Where(i => i.Key == key).Select(i => i.State).SingleAsync();
    }

    private async Task<Exception?> CompleteAsync(long taskKey, string actor)
    {
        try
        {
            await _runtime.CompleteUserTaskAsync(taskKey, null, actor);
            return null;
        }
        catch (CommandRejectedException e)
        {
            return e;
        }
    }

    private async Task<long> OpenTaskKeyAsync(long instanceKey)
    {
        await using var db = _database.CreateContext();
        return await db.UserTasks.Where(t => t.InstanceKey == instanceKey && t.State == RowTaskState.Created).Select(t => t.Key).SingleAsync();
    }
}
