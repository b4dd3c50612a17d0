namespace WorkflowOrders.Persistence.Entities;

/// <summary>Something that needs a person: a job without retries left, an expression that failed …</summary>
public sealed class IncidentRow
{
    public long Key { get; set; }
    public long? InstanceKey { get; set; }
    public long? ElementInstanceKey { get; set; }
    public string? ElementId { get; set; }
    public string? BpmnProcessId { get; set; }
    /// <summary>Camunda's names where one fits, e.g. <see cref="IncidentErrorTypes.JobNoRetries"/>.</summary>
    public required string ErrorType { get; set; }
    public required string ErrorMessage { get; set; }
    public IncidentState State { get; set; }
    /// <summary>The parked job that resolving the incident re-arms.</summary>
    public long? JobId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }
}

public static class IncidentErrorTypes
{
    public const string JobNoRetries = "JOB_NO_RETRIES";
}
