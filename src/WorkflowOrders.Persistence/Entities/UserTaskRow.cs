namespace WorkflowOrders.Persistence.Entities;

/// <summary>A user task as the inbox sees it; written in the same transaction as its instance.</summary>
public sealed class UserTaskRow : IRevisioned
{
    public long Key { get; set; }
    public long InstanceKey { get; set; }
    public long ElementInstanceKey { get; set; }
    public required string ElementId { get; set; }
    public string? Name { get; set; }
    public required string BpmnProcessId { get; set; }
    public long DefinitionKey { get; set; }
    public int DefinitionVersion { get; set; }
    public string? BusinessKey { get; set; }
    public UserTaskState State { get; set; }
    public string? Assignee { get; set; }
    /// <summary>JSON array text for display; searches use <see cref="UserTaskCandidateRow"/>.</summary>
    public string? CandidateGroups { get; set; }
    /// <summary>JSON array text for display; searches use <see cref="UserTaskCandidateRow"/>.</summary>
    public string? CandidateUsers { get; set; }
    public DateTimeOffset? DueDate { get; set; }
    public DateTimeOffset? FollowUpDate { get; set; }
    public int Priority { get; set; }
    public long? FormKey { get; set; }

    /// <summary>The linked form's id (zeebe:formDefinition formId).</summary>
    public string? FormId { get; set; }
    /// <summary>JSON object text.</summary>
    public string? CustomHeaders { get; set; }

    /// <summary>zeebe:properties of the task element as a JSON object (English name, escalation overrides).</summary>
    public string? Properties { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? CompletedBy { get; set; }
    public int Revision { get; set; }
}

/// <summary>One candidate group or user of a task, so "tasks my groups may claim" is an index lookup.</summary>
public sealed class UserTaskCandidateRow
{
    public long TaskKey { get; set; }
    /// <summary><see cref="CandidateKinds.Group"/> or <see cref="CandidateKinds.User"/>.</summary>
    public required string Kind { get; set; }
    public required string Value { get; set; }
}
