using System.Text.Json.Nodes;

namespace WorkflowOrders.Engine.Runtime;

/// <summary>
/// What a command asks the runtime to do besides saving the instance document: rows to add or end, work to schedule,
/// other instances to touch. The runtime applies all of them, and the document, in one transaction.
/// </summary>
public abstract record EngineIntent;

public sealed record UserTaskCreated(UserTaskRecord Task) : EngineIntent;

public sealed record UserTaskEnded(long TaskKey, UserTaskState State, string? Actor, DateTimeOffset At) : EngineIntent;

public sealed record JobCreated(JobRecord Job) : EngineIntent;

public sealed record JobCanceled(long JobKey) : EngineIntent;

public sealed record JobRescheduled(long JobKey, DateTimeOffset DueAt) : EngineIntent;

public sealed record MessageSubscriptionOpened(MessageSubscriptionRecord Subscription) : EngineIntent;

public sealed record MessageSubscriptionClosed(long SubscriptionKey) : EngineIntent;

public sealed record IncidentCreated(IncidentRecord Incident) : EngineIntent;

public sealed record IncidentResolved(long IncidentKey, string? Actor, DateTimeOffset At) : EngineIntent;

/// <summary>A call activity wants a child instance of <paramref name="ProcessId"/> with the pre-allocated key.</summary>
public sealed record ChildInstanceRequested(
    long ChildKey,
    string ProcessId,
    JsonObject Variables,
    long ParentInstanceKey,
    long ParentElementInstanceKey,
    string? BusinessKey) : EngineIntent;

/// <summary>A child finished: its parent's call activity continues with the child's variables.</summary>
public sealed record ChildInstanceCompleted(long ParentInstanceKey, long ParentElementInstanceKey, JsonObject Variables) : EngineIntent;

/// <summary>The parent's call activity ended early (boundary event, cancellation): the child is terminated too.</summary>
public sealed record ChildInstanceCancelRequested(long ChildKey, string? Actor) : EngineIntent;

public sealed record AuditRecorded(AuditEvent Event) : EngineIntent;
