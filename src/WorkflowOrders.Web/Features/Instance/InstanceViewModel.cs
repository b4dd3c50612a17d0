using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.Features.Work;

namespace WorkflowOrders.Web.Features.Instance;

/// <summary>One line of the history: when, who, what (a resource key and its element), and a detail.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string? ActorName, string KindKey, string Icon, string Colour, string? ElementName, string? Detail);

public sealed record VariableEntry(string Name, string Value);

public sealed record IncidentEntry(long Key, string ElementName, string ErrorType, string Message, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt, string? ResolvedByName);

public sealed record InstanceTaskEntry(long Key, string Name, string State, string? PersonName, DueInfo Due, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, bool CanOpen);

/// <summary>What the diagram marks: waiting elements, the path taken (completed elements and flows), incidents.</summary>
public sealed record DiagramMarks(string Xml, IReadOnlyList<string> Active, IReadOnlyList<string> Done, IReadOnlyList<string> Flows, IReadOnlyList<string> Incidents);

public sealed record InstanceView(
    ProcessInstanceRow Instance,
    string ProcessName,
    DiagramMarks Diagram,
    IReadOnlyList<string> ActiveStepNames,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<VariableEntry> Variables,
    IReadOnlyList<IncidentEntry> Incidents,
    IReadOnlyList<InstanceTaskEntry> Tasks,
    bool CanRetry);
