namespace WorkflowOrders.Persistence.Entities;

/// <summary>An instance waiting at a message catch event or boundary for (name, correlation key).</summary>
public sealed class MessageSubscriptionRow
{
    public long Id { get; set; }
    public long InstanceKey { get; set; }
    public long ElementInstanceKey { get; set; }
    public required string ElementId { get; set; }
    public required string MessageName { get; set; }
    public string? CorrelationKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A published message kept until its time to live ends, for a subscription that opens later.</summary>
public sealed class BufferedMessageRow
{
    public long Key { get; set; }
    public required string Name { get; set; }
    public required string CorrelationKey { get; set; }
    /// <summary>JSON object text.</summary>
    public string? Variables { get; set; }
    /// <summary>Publisher's id for de-duplication: a second message with the same id is refused.</summary>
    public string? MessageId { get; set; }

    /// <summary>JSON array of the instance keys the message already entered (a message enters an instance once).</summary>
    public string? CorrelatedInstances { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
