using System.Collections.ObjectModel;
using System.Text.Json.Nodes;

namespace WorkflowOrders.Engine.Runtime;

// Rows the runtime keeps beside the instance document: what the inbox, the job executor and the API query.

public enum UserTaskState
{
    Created,
    Completed,
    Canceled,
}

/// <summary>A user task as the inbox and the REST API see it.</summary>
public sealed class UserTaskRecord
{
    public long Key { get; set; }
    public long InstanceKey { get; set; }
    public long ElementInstanceKey { get; set; }
    public string ElementId { get; set; } = "";
    public string? Name { get; set; }
    public string ProcessId { get; set; } = "";
    public long DefinitionKey { get; set; }
    public int DefinitionVersion { get; set; }
    public string? BusinessKey { get; set; }
    public UserTaskState State { get; set; }
    public string? Assignee { get; set; }
    public IReadOnlyList<string> CandidateGroups { get; set; } = [];
    public IReadOnlyList<string> CandidateUsers { get; set; } = [];
    public DateTimeOffset? DueDate { get; set; }
    public DateTimeOffset? FollowUpDate { get; set; }
    public int Priority { get; set; } = 50;
    public string? FormId { get; set; }
    public IReadOnlyDictionary<string, string> Headers { get; set; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>zeebe:properties of the task element (e.g. the English name, escalation overrides).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; set; } = ReadOnlyDictionary<string, string>.Empty;

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? CompletedBy { get; set; }
}

public enum JobKind
{
    /// <summary>Fires a timer subscription.</summary>
    Timer,

    /// <summary>Runs a built-in task handler for a service or send task.</summary>
    Task,
}

/// <summary>A unit of due work: a timer to fire or a task handler to run.</summary>
public sealed class JobRecord
{
    public long Key { get; set; }
    public JobKind Kind { get; set; }

    /// <summary>Task handler type (zeebe:taskDefinition type) for task jobs; "timer" for timers.</summary>
    public string Type { get; set; } = "";

    public long InstanceKey { get; set; }
    public long ElementInstanceKey { get; set; }
    public string ElementId { get; set; } = "";
    public string ProcessId { get; set; } = "";

    /// <summary>For timers: the subscription the job fires.</summary>
    public long? SubscriptionKey { get; set; }

    public DateTimeOffset DueAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int Retries { get; set; } = 3;
    public IReadOnlyDictionary<string, string> Headers { get; set; } = ReadOnlyDictionary<string, string>.Empty;
}

public sealed class MessageSubscriptionRecord
{
    public long Key { get; set; }
    public long InstanceKey { get; set; }
    public long ElementInstanceKey { get; set; }
    public string ElementId { get; set; } = "";
    public string MessageName { get; set; } = "";
    public string CorrelationKey { get; set; } = "";
}

/// <summary>A published message kept for its time-to-live so a subscription opened later still receives it.</summary>
public sealed class BufferedMessage
{
    public long Key { get; set; }
    public string Name { get; set; } = "";
    public string CorrelationKey { get; set; } = "";
    public JsonObject? Variables { get; set; }
    public string? MessageId { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Instances the message already correlated with (a message enters an instance at most once).</summary>
    public List<long> CorrelatedInstances { get; set; } = [];
}

public enum IncidentState
{
    Active,
    Resolved,
}

/// <summary>Camunda's incident error types (the subset this engine raises).</summary>
public static class IncidentTypes
{
    public const string IoMappingError = "IO_MAPPING_ERROR";
    public const string JobNoRetries = "JOB_NO_RETRIES";
    public const string ConditionError = "CONDITION_ERROR";
    public const string ExtractValueError = "EXTRACT_VALUE_ERROR";
    public const string CalledElementError = "CALLED_ELEMENT_ERROR";
    public const string UnhandledErrorEvent = "UNHANDLED_ERROR_EVENT";
}

public sealed class IncidentRecord
{
    public long Key { get; set; }
    public long InstanceKey { get; set; }
    public long ElementInstanceKey { get; set; }
    public string ElementId { get; set; } = "";
    public string ProcessId { get; set; } = "";
    public long DefinitionKey { get; set; }
    public string ErrorType { get; set; } = "";
    public string ErrorMessage { get; set; } = "";
    public IncidentState State { get; set; }
    public long? JobKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }
}

/// <summary>One line of an instance's history: what happened, at which element, who did it, when, which variables changed.</summary>
public sealed record AuditEvent(
    long? InstanceKey,
    string Kind,
    string? ElementId,
    long? ElementInstanceKey,
    string? Actor,
    DateTimeOffset At,
    JsonObject? Details = null);

/// <summary>Audit kinds, as stored.</summary>
public static class AuditKinds
{
    public const string InstanceStarted = "instance-started";
    public const string InstanceCompleted = "instance-completed";
    public const string InstanceTerminated = "instance-terminated";
    public const string ElementActivated = "element-activated";
    public const string ElementCompleted = "element-completed";
    public const string ElementTerminated = "element-terminated";
    public const string FlowTaken = "flow-taken";
    public const string UserTaskCreated = "user-task-created";
    public const string UserTaskAssigned = "user-task-assigned";
    public const string UserTaskCompleted = "user-task-completed";
    public const string JobCreated = "job-created";
    public const string JobCompleted = "job-completed";
    public const string JobFailed = "job-failed";
    public const string TimerScheduled = "timer-scheduled";
    public const string TimerRescheduled = "timer-rescheduled";
    public const string TimerFired = "timer-fired";
    public const string MessageCorrelated = "message-correlated";
    public const string VariablesChanged = "variables-changed";
    public const string IncidentCreated = "incident-created";
    public const string IncidentResolved = "incident-resolved";
    public const string CalendarWarning = "calendar-warning";
    public const string DefinitionDeployed = "definition-deployed";
    public const string FormDeployed = "form-deployed";
}

/// <summary>A deployed Camunda Form (JSON schema) that user tasks link by form id.</summary>
public sealed class FormRecord
{
    public long Key { get; set; }
    public string FormId { get; set; } = "";
    public int Version { get; set; }
    public string Schema { get; set; } = "";
    public string ResourceName { get; set; } = "";
    public string ContentHash { get; set; } = "";
    public long DeploymentKey { get; set; }
    public DateTimeOffset DeployedAt { get; set; }
    public string? DeployedBy { get; set; }
}
