using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using WorkflowOrders.Conformance;
using WorkflowOrders.Engine.Handlers;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Engine.Tests.Runtime;
using WorkflowOrders.Engine.Tests.Support;

namespace WorkflowOrders.Engine.Tests.Procedures;

/// <summary>
/// The real procedure definitions and forms of workflows/ on the in-memory runtime with a fake clock and the real cn
/// calendar. message.publish is the engine's own handler; the order-model task types (order.set-status,
/// order.apply-change, order.cancel, notify.email) are recorded by small handlers here — the real handlers arrive with
/// the order model.
/// </summary>
public sealed class ProcedureHarness : IAsyncDisposable
{
    public static readonly string[] OrderModelTaskTypes = ["order.set-status", "order.apply-change", "order.cancel", "notify.email"];

    private ProcedureHarness(InMemoryHarness inner, IReadOnlyDictionary<string, RecordingTaskHandler> recorders)
    {
        Inner = inner;
        Recorders = recorders;
    }

    public InMemoryHarness Inner { get; }

    public IReadOnlyDictionary<string, RecordingTaskHandler> Recorders { get; }

    public WorkflowRuntime Runtime => Inner.Runtime;

    public static async Task<ProcedureHarness> StartAtAsync(DateTimeOffset now)
    {
        var recorders = OrderModelTaskTypes.ToDictionary(t => t, t => new RecordingTaskHandler(t), StringComparer.Ordinal);
        var inner = EngineHarness.Create(new FakeClock(now), runtime => [new PublishMessageHandler(runtime), .. recorders.Values]);
        var folder = Path.Combine(AppContext.BaseDirectory, "workflows");
        var resources = Directory.GetFiles(folder, "*.bpmn")
            .Concat(Directory.GetFiles(Path.Combine(folder, "forms"), "*.form"))
            .Select(f => new DeploymentResource(Path.GetFileName(f), File.ReadAllText(f)))
            .ToList();
        await inner.Runtime.DeployAsync(resources, "owner");
        return new ProcedureHarness(inner, recorders);
    }

    public ValueTask DisposeAsync() => Inner.DisposeAsync();

    public static DateTimeOffset Shanghai(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    /// <summary>Starts a procedure (business key = order number) and runs the jobs it reaches.</summary>
    public async Task<InstanceState> StartAsync(string processId, string variablesJson, string orderNo)
    {
        var instance = await Inner.StartAsync(processId, variablesJson, orderNo);
        await Inner.RunDueJobsAsync();
        return instance;
    }

    /// <summary>Completes the one open task of that element as a person would through its form, then runs the jobs it reaches.</summary>
    public async Task CompleteAsync(long instanceKey, string elementId, string? variablesJson = null, string actor = "alice")
    {
        await Inner.CompleteTaskAsync(instanceKey, elementId, variablesJson, actor);
        await Inner.RunDueJobsAsync();
    }

    public Task<UserTaskRecord> TaskAsync(long instanceKey, string elementId) => Inner.SingleOpenTaskAsync(instanceKey, elementId);

    public async Task<IReadOnlyList<string>> OpenTaskIdsAsync(long instanceKey) => [.. (await Inner.OpenTasksAsync(instanceKey)).Select(t => t.ElementId).Order(StringComparer.Ordinal)];

    public Task<InstanceState> InstanceAsync(long instanceKey) => Inner.InstanceAsync(instanceKey);

    public Task<IReadOnlyList<JobRecord>> JobsAsync(long instanceKey) => Inner.JobsAsync(instanceKey);

    public InstanceState SingleInstanceOf(string processId) => Assert.Single(Inner.Store.AllInstances, i => i.ProcessId == processId);

    public IEnumerable<MessageSubscriptionRecord> SubscriptionsOf(long instanceKey) => Inner.Store.AllSubscriptions.Where(s => s.InstanceKey == instanceKey);

    public async Task<JobRecord> TimerAsync(long instanceKey, string elementId) =>
        Assert.Single(await Inner.JobsAsync(instanceKey), j => j.Kind == JobKind.Timer && j.ElementId == elementId);

    /// <summary>Moves the fake clock to an instant and runs what became due.</summary>
    public Task<int> AdvanceToAsync(DateTimeOffset instant)
    {
        Inner.Clock.SetTo(instant);
        return Inner.RunDueJobsAsync();
    }

    public static string? Text(InstanceState state, string name) => state.Variables[name]?.ToJsonString();

    public static string? Str(InstanceState state, string name) => state.Variables[name]?.GetValue<string>();
}

/// <summary>Stands in for an order-model handler: records each call (business key, headers, variables) and completes.</summary>
public sealed class RecordingTaskHandler(string type) : ITaskHandler
{
    private readonly ConcurrentQueue<RecordedCall> _calls = new();

    public string Type { get; } = type;

    public IReadOnlyList<RecordedCall> Calls => [.. _calls];

    public ValueTask<TaskOutcome> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _calls.Enqueue(new RecordedCall(context.Job.ProcessId, context.Job.ElementId, context.BusinessKey, context.Job.Headers, context.Variables));
        return ValueTask.FromResult(TaskOutcome.Complete());
    }
}

public sealed record RecordedCall(string ProcessId, string ElementId, string? BusinessKey, IReadOnlyDictionary<string, string> Headers, JsonObject Variables);
