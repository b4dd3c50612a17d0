using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Conformance;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Keys;
using WorkflowOrders.Persistence.Tests.Support;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Persistence.Tests.Engine;

/// <summary>The engine on the EF store (PostgreSQL or SQLite) with the real job executor driven by the fake clock.</summary>
public sealed class EfHarness : WorkflowHarness
{
    private readonly TestDatabase _database;
    private readonly JobExecutor _executor;

    private EfHarness(TestDatabase database, JobExecutor executor)
    {
        _database = database;
        _executor = executor;
    }

    public TestDatabase Database => _database;

    public static Task<WorkflowHarness> CreateAsync(TestDatabase database, FakeClock clock, IReadOnlyList<ITaskHandler> handlers) =>
        CreateAsync(database, clock, _ => handlers);

    /// <summary>For handlers that need the runtime they run in (publishing a message, starting a procedure).</summary>
    public static async Task<WorkflowHarness> CreateAsync(TestDatabase database, FakeClock clock, Func<WorkflowRuntime, IReadOnlyList<ITaskHandler>> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var keys = new EfKeyGenerator(database.Factory);
        var store = new EfWorkflowStore(database.Factory, keys);
        var engine = new WorkflowEngine(new EngineServices { Time = clock, Keys = keys, Calendars = Calendars });
        var runtime = new WorkflowRuntime(engine, store);
        var executor = new JobExecutor(
            database.Factory,
            [new TimerJobHandler(runtime, store), new ServiceTaskJobHandler(runtime, store, handlers(runtime))],
            new JobExecutorOptions { OwnerId = "test-node", WorkerCount = 1, BatchSize = 100 },
            clock,
            new KeyAllocator());
        await Task.CompletedTask;
        return new EfHarness(database, executor) { Clock = clock, Runtime = runtime };
    }

    private WorkflowDbContext Db() => _database.CreateContext();

    public override async Task<IReadOnlyList<UserTaskRecord>> OpenTasksAsync(long instanceKey) =>
        (await AllTasksAsync(instanceKey)).Where(t => t.State == UserTaskState.Created).ToList();

    public override async Task<IReadOnlyList<UserTaskRecord>> AllTasksAsync(long instanceKey)
    {
        await using var db = Db();
        var rows = await db.UserTasks.AsNoTracking().Where(t => t.InstanceKey == instanceKey).OrderBy(t => t.Key).ToListAsync();
        return [.. rows.Select(EfWorkflowStoreRows.ToRecord)];
    }

    public override async Task<InstanceState> InstanceAsync(long instanceKey)
    {
        await using var uow = await Runtime.Store.BeginAsync();
        return await uow.LoadInstanceAsync(instanceKey) ?? throw new InvalidOperationException($"no instance {instanceKey}");
    }

    public override async Task<IReadOnlyList<InstanceState>> ChildrenAsync(long parentInstanceKey)
    {
        await using var db = Db();
        var keys = await db.ProcessInstances.Where(i => i.ParentInstanceKey == parentInstanceKey).OrderBy(i => i.Key).Select(i => i.Key).ToListAsync();
        var result = new List<InstanceState>();
        foreach (var key in keys)
        {
            result.Add(await InstanceAsync(key));
        }

        return result;
    }

    public override async Task<IReadOnlyList<IncidentRecord>> ActiveIncidentsAsync(long instanceKey)
    {
        await using var uow = await Runtime.Store.BeginAsync();
        await using var db = Db();
        var keys = await db.Incidents.Where(i => i.InstanceKey == instanceKey && i.State == Entities.IncidentState.Active).Select(i => i.Key).ToListAsync();
        var result = new List<IncidentRecord>();
        foreach (var key in keys)
        {
            result.Add((await uow.FindIncidentAsync(key))!);
        }

        return result;
    }

    public override async Task<IReadOnlyList<JobRecord>> JobsAsync(long instanceKey)
    {
        await using var uow = await Runtime.Store.BeginAsync();
        await using var db = Db();
        var keys = await db.Jobs.Where(j => j.InstanceKey == instanceKey).OrderBy(j => j.DueAt).Select(j => j.Id).ToListAsync();
        var result = new List<JobRecord>();
        foreach (var key in keys)
        {
            result.Add((await uow.FindJobAsync(key))!);
        }

        return result;
    }

    public override async Task<IReadOnlyList<AuditEvent>> AuditAsync(long instanceKey)
    {
        await using var db = Db();
        var rows = await db.AuditEvents.AsNoTracking().Where(a => a.InstanceKey == instanceKey).OrderBy(a => a.Id).ToListAsync();
        return [.. rows.Select(r => new AuditEvent(r.InstanceKey, r.Kind, r.ElementId, r.ElementInstanceKey, r.Actor, r.At, r.Details is null ? null : JsonNode.Parse(r.Details) as JsonObject))];
    }

    public override async Task<int> RunDueJobsAsync()
    {
        var total = 0;
        for (var round = 0; round < 1000; round++)
        {
            var leased = await _executor.RunOnceAsync();
            total += leased;
            if (leased == 0)
            {
                return total;
            }
        }

        throw new InvalidOperationException("Jobs kept becoming due: a timer loop?");
    }

    public override async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        await base.DisposeAsync();
    }
}
