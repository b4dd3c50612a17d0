using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Conformance;

/// <summary>
/// A runtime over one store, a fake clock and the real cn calendar, plus the queries scenarios assert on.
/// Each store's test project supplies one (in memory, SQLite, PostgreSQL).
/// </summary>
public abstract class WorkflowHarness : IAsyncDisposable
{
    public required FakeClock Clock { get; init; }

    public required WorkflowRuntime Runtime { get; init; }

    public static CalendarCatalog Calendars { get; } = CalendarCatalog.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "workflows", "calendars"));

    public abstract Task<IReadOnlyList<UserTaskRecord>> OpenTasksAsync(long instanceKey);

    public abstract Task<IReadOnlyList<UserTaskRecord>> AllTasksAsync(long instanceKey);

    public abstract Task<InstanceState> InstanceAsync(long instanceKey);

    public abstract Task<IReadOnlyList<InstanceState>> ChildrenAsync(long parentInstanceKey);

    public abstract Task<IReadOnlyList<IncidentRecord>> ActiveIncidentsAsync(long instanceKey);

    public abstract Task<IReadOnlyList<JobRecord>> JobsAsync(long instanceKey);

    public abstract Task<IReadOnlyList<AuditEvent>> AuditAsync(long instanceKey);

    /// <summary>Runs every job due at the clock's current time (and those that become due meanwhile).</summary>
    public abstract Task<int> RunDueJobsAsync();

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    public async Task<ProcessDefinition> DeployAsync(string xml, string name = "test.bpmn")
    {
        var result = await Runtime.DeployAsync([new DeploymentResource(name, xml)], "owner");
        return result.Definitions[0];
    }

    public Task<InstanceState> StartAsync(string processId, string? variablesJson = null, string? businessKey = null) =>
        Runtime.StartInstanceAsync(processId, variablesJson is null ? null : (JsonObject)JsonNode.Parse(variablesJson)!, businessKey, "starter");

    public async Task<UserTaskRecord> SingleOpenTaskAsync(long instanceKey, string elementId)
    {
        var tasks = await OpenTasksAsync(instanceKey);
        return Assert.Single(tasks, t => t.ElementId == elementId);
    }

    public async Task CompleteTaskAsync(long instanceKey, string elementId, string? variablesJson = null, string actor = "alice")
    {
        var task = await SingleOpenTaskAsync(instanceKey, elementId);
        await Runtime.CompleteUserTaskAsync(task.Key, variablesJson is null ? null : (JsonObject)JsonNode.Parse(variablesJson)!, actor);
    }

    /// <summary>Moves the clock and runs what became due.</summary>
    public async Task<int> AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        return await RunDueJobsAsync();
    }

    public static BpmnDocument Parse(string xml) => BpmnLoader.Load(xml);
}

/// <summary>Creates a harness for a store; scenarios get a fresh one each.</summary>
public interface IHarnessFactory
{
    Task<WorkflowHarness> CreateAsync(FakeClock clock, IReadOnlyList<ITaskHandler> handlers);
}
