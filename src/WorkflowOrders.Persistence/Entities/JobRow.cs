namespace WorkflowOrders.Persistence.Entities;

/// <summary>
/// Work due at a time: a timer, a service task, an escalation, a message expiry, an email. A row exists only while
/// there is work to do; the job executor deletes it in the same transaction as the handler's effects.
/// </summary>
public sealed class JobRow
{
    public long Id { get; set; }
    /// <summary>Selects the handler, e.g. <see cref="JobKinds.Timer"/>.</summary>
    public required string Kind { get; set; }
    /// <summary>Handler-specific type, e.g. the service task's type or the timer's element id.</summary>
    public required string Type { get; set; }
    public long? InstanceKey { get; set; }
    public long? ElementInstanceKey { get; set; }
    /// <summary>JSON text.</summary>
    public string? Payload { get; set; }
    /// <summary>When the job becomes due; null while it is parked behind an incident (no retries left).</summary>
    public DateTimeOffset? DueAt { get; set; }
    public int Attempts { get; set; }
    public int MaxAttempts { get; set; }
    public string? LastError { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The job kinds the runtime knows; handlers register under one of them.</summary>
public static class JobKinds
{
    public const string Timer = "timer";
    public const string ServiceTask = "service-task";
    public const string Escalation = "escalation";
    public const string MessageExpiry = "message-expiry";
    public const string Email = "email";
    public const string Digest = "digest";
}
