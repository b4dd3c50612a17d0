using WorkflowOrders.Conformance;
using WorkflowOrders.Engine.InMemory;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Engine.Tests.Runtime;

/// <summary>The engine conformance scenarios on the in-memory store (milliseconds, no database).</summary>
public sealed class InMemoryConformanceTests : EngineConformanceScenarios
{
    protected override IHarnessFactory Factory { get; } = new InMemoryHarnessFactory();
}

public sealed class InMemoryHarnessFactory : IHarnessFactory
{
    public Task<WorkflowHarness> CreateAsync(FakeClock clock, IReadOnlyList<ITaskHandler> handlers)
    {
        var store = new InMemoryWorkflowStore();
        var engine = new WorkflowEngine(new EngineServices { Time = clock, Keys = new SequentialKeyGenerator(), Calendars = WorkflowHarness.Calendars });
        var runtime = new WorkflowRuntime(engine, store);
        return Task.FromResult<WorkflowHarness>(new InMemoryHarness(store, new InMemoryJobRunner(runtime, store, handlers)) { Clock = clock, Runtime = runtime });
    }
}

public sealed class InMemoryHarness(InMemoryWorkflowStore store, InMemoryJobRunner runner) : WorkflowHarness
{
    public InMemoryWorkflowStore Store => store;

    public override Task<IReadOnlyList<UserTaskRecord>> OpenTasksAsync(long instanceKey) =>
        Task.FromResult<IReadOnlyList<UserTaskRecord>>([.. store.OpenUserTasks.Where(t => t.InstanceKey == instanceKey).OrderBy(t => t.Key)]);

    public override Task<IReadOnlyList<UserTaskRecord>> AllTasksAsync(long instanceKey) =>
        Task.FromResult<IReadOnlyList<UserTaskRecord>>([.. store.AllUserTasks.Where(t => t.InstanceKey == instanceKey).OrderBy(t => t.Key)]);

    public override Task<InstanceState> InstanceAsync(long instanceKey) =>
        Task.FromResult(store.Instance(instanceKey) ?? throw new InvalidOperationException($"no instance {instanceKey}"));

    public override Task<IReadOnlyList<InstanceState>> ChildrenAsync(long parentInstanceKey) =>
        Task.FromResult<IReadOnlyList<InstanceState>>([.. store.AllInstances.Where(i => i.ParentInstanceKey == parentInstanceKey).OrderBy(i => i.Key)]);

    public override Task<IReadOnlyList<IncidentRecord>> ActiveIncidentsAsync(long instanceKey) =>
        Task.FromResult<IReadOnlyList<IncidentRecord>>([.. store.ActiveIncidents.Where(i => i.InstanceKey == instanceKey)]);

    public override Task<IReadOnlyList<JobRecord>> JobsAsync(long instanceKey) =>
        Task.FromResult<IReadOnlyList<JobRecord>>([.. store.AllJobs.Where(j => j.InstanceKey == instanceKey).OrderBy(j => j.DueAt)]);

    public override Task<IReadOnlyList<AuditEvent>> AuditAsync(long instanceKey) =>
        Task.FromResult<IReadOnlyList<AuditEvent>>([.. store.Audit.Where(a => a.InstanceKey == instanceKey)]);

    public override Task<int> RunDueJobsAsync() => runner.RunDueAsync();

    public override ValueTask DisposeAsync()
    {
        store.Dispose();
        return base.DisposeAsync();
    }
}
