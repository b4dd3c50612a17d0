using System.Text.Json.Nodes;

namespace WorkflowOrders.Engine.Runtime;

public enum InstanceStatus
{
    Active,
    Completed,
    Terminated,
}

/// <summary>What an element instance is waiting for.</summary>
public enum WaitKind
{
    /// <summary>A user task in someone's inbox.</summary>
    UserTask,

    /// <summary>A service/send task job run by a task handler.</summary>
    Job,

    /// <summary>An intermediate timer catch event.</summary>
    Timer,

    /// <summary>An intermediate message catch event.</summary>
    Message,

    /// <summary>A call activity waiting for its child instance.</summary>
    CallActivity,

    /// <summary>Stopped by an incident; <see cref="ElementInstance.IncidentKey"/> says which.</summary>
    Incident,
}

/// <summary>Where an element instance stopped when an incident was raised, i.e. what resolving it retries.</summary>
public enum IncidentPhase
{
    Activate,
    Complete,
    Job,
}

/// <summary>A timer or message an element instance listens for (its own catch event, or a boundary event).</summary>
public sealed class EventSubscription
{
    public long Key { get; set; }

    /// <summary>The event element (the catch event itself, or the boundary event).</summary>
    public string EventElementId { get; set; } = "";

    public bool IsTimer { get; set; }

    /// <summary>The job that fires the timer (timers are jobs with a due time).</summary>
    public long? JobKey { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    /// <summary>When the timer was armed (a duration counts from here when it is recomputed).</summary>
    public DateTimeOffset ArmedAt { get; set; }

    /// <summary>Cycle timers: repetitions left (-1 = unbounded) and the interval.</summary>
    public int RemainingRepetitions { get; set; }

    public TimeSpan? CycleInterval { get; set; }

    public string? MessageName { get; set; }
    public string? CorrelationKey { get; set; }
}

/// <summary>An element instance that is waiting (or stopped by an incident). Transient steps are never stored.</summary>
public sealed class ElementInstance
{
    public long Key { get; set; }
    public string ElementId { get; set; } = "";
    public WaitKind Wait { get; set; }
    public DateTimeOffset EnteredAt { get; set; }

    /// <summary>Local variables (input mappings); null when the element has none.</summary>
    public JsonObject? Local { get; set; }

    public long? UserTaskKey { get; set; }
    public long? JobKey { get; set; }
    public long? ChildInstanceKey { get; set; }

    public long? IncidentKey { get; set; }
    public IncidentPhase? IncidentPhase { get; set; }

    /// <summary>What was waited for before the incident (restored when a completion is retried).</summary>
    public WaitKind? WaitBeforeIncident { get; set; }

    /// <summary>Variables of a completion that failed in its output mappings (retried on resolve).</summary>
    public JsonObject? PendingCompletion { get; set; }

    public List<EventSubscription> Subscriptions { get; set; } = [];
}

/// <summary>
/// The whole runtime state of one process instance: root variables, waiting element instances and
/// parallel-join arrivals. Persisted as one document; <see cref="Revision"/> guards concurrent writers.
/// </summary>
public sealed class InstanceState
{
    public long Key { get; set; }
    public long DefinitionKey { get; set; }
    public string ProcessId { get; set; } = "";
    public int Version { get; set; }
    public string? BusinessKey { get; set; }
    public InstanceStatus Status { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public long? ParentInstanceKey { get; set; }
    public long? ParentElementInstanceKey { get; set; }

    /// <summary>The calendar deadlines of this instance are counted in (default "cn").</summary>
    public string CalendarId { get; set; } = "cn";

    public JsonObject Variables { get; set; } = [];
    public List<ElementInstance> Elements { get; set; } = [];

    /// <summary>Parallel gateway id → ids of incoming flows whose tokens wait there (a flow may appear more than once).</summary>
    public Dictionary<string, List<string>> JoinArrivals { get; set; } = [];

    /// <summary>Optimistic-concurrency revision, incremented by every save.</summary>
    public int Revision { get; set; }

    public bool HasIncident => Elements.Exists(e => e.IncidentKey is not null);

    public ElementInstance? FindElement(long elementInstanceKey)
    {
        foreach (var element in Elements)
        {
            if (element.Key == elementInstanceKey)
            {
                return element;
            }
        }

        return null;
    }
}
