namespace WorkflowOrders.Persistence.Entities;

/// <summary>
/// One email, written in the same transaction as the state change that caused it, delivered later by the sender job
/// (kind <see cref="JobKinds.Email"/>). <see cref="MessageId"/> is fixed when the row is written, so a repeat after a
/// crash inside one SMTP conversation carries the same Message-ID.
/// </summary>
public sealed class OutboxMessageRow
{
    public long Id { get; set; }
    /// <summary>RFC 5322 Message-ID without angle brackets, e.g. <c>0a1b…@workfloworders</c>.</summary>
    public required string MessageId { get; set; }
    /// <summary>Comma-separated addresses.</summary>
    public required string ToAddresses { get; set; }
    public string? CcAddresses { get; set; }
    public required string Subject { get; set; }
    public required string HtmlBody { get; set; }
    public required string TextBody { get; set; }
    /// <summary>zh-CN or en.</summary>
    public required string Language { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary><see cref="OutboxStatus"/>.</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    /// <summary>The SMTP server's reply to the last attempt (or the error that stopped it).</summary>
    public string? LastReply { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public long? InstanceKey { get; set; }
    public long? TaskKey { get; set; }
    /// <summary>What caused the message, e.g. <c>escalation-1</c>, <c>notify:order-shipped</c>.</summary>
    public required string CauseKind { get; set; }
}

/// <summary>The states of an outbox message.</summary>
public static class OutboxStatus
{
    public const string Pending = "PENDING";
    public const string Sent = "SENT";
    public const string Failed = "FAILED";
}
