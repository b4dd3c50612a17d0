using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Engine.Ports;

/// <summary>Where definitions, instances and their side rows live (in memory, SQLite or PostgreSQL).</summary>
public interface IWorkflowStore
{
    /// <summary>Opens one unit of work: everything done through it commits together or not at all.</summary>
    ValueTask<IWorkflowUnitOfWork> BeginAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// One transaction over the store. Reads see what this unit wrote; nothing is visible to others before
/// <see cref="CommitAsync"/>. Disposing without commit discards everything.
/// </summary>
public interface IWorkflowUnitOfWork : IAsyncDisposable
{
    // Definitions (immutable once added)
    ValueTask<ProcessDefinition?> FindDefinitionAsync(long key);

    ValueTask<ProcessDefinition?> FindLatestDefinitionAsync(string processId);

    ValueTask<ProcessDefinition?> FindDefinitionVersionAsync(string processId, int version);

    /// <summary>The newest version of every process.</summary>
    ValueTask<IReadOnlyList<ProcessDefinition>> LatestDefinitionsAsync();

    ValueTask AddDefinitionAsync(ProcessDefinition definition);

    // Forms (immutable once added)
    ValueTask<FormRecord?> FindLatestFormAsync(string formId);

    ValueTask AddFormAsync(FormRecord form);

    // Instances (one document each; the store checks Revision when saving)
    ValueTask<InstanceState?> LoadInstanceAsync(long key);

    /// <summary>Inserts (revision 0) or updates the document; a stale revision throws <see cref="ConcurrencyConflictException"/> at the latest on commit.</summary>
    ValueTask SaveInstanceAsync(InstanceState state, bool isNew);

    // User tasks
    ValueTask<UserTaskRecord?> FindUserTaskAsync(long key);

    ValueTask AddUserTaskAsync(UserTaskRecord task);

    ValueTask UpdateUserTaskAsync(UserTaskRecord task);

    // Jobs (timers and task handlers)
    ValueTask<JobRecord?> FindJobAsync(long key);

    ValueTask AddJobAsync(JobRecord job);

    ValueTask RemoveJobAsync(long key);

    ValueTask RescheduleJobAsync(long key, DateTimeOffset dueAt);

    // Messages
    ValueTask AddMessageSubscriptionAsync(MessageSubscriptionRecord subscription);

    ValueTask RemoveMessageSubscriptionAsync(long key);

    ValueTask<IReadOnlyList<MessageSubscriptionRecord>> FindMessageSubscriptionsAsync(string messageName, string correlationKey);

    ValueTask AddBufferedMessageAsync(BufferedMessage message);

    ValueTask UpdateBufferedMessageAsync(BufferedMessage message);

    /// <summary>Buffered messages with this name and key that have not expired at <paramref name="now"/>, oldest first.</summary>
    ValueTask<IReadOnlyList<BufferedMessage>> FindBufferedMessagesAsync(string name, string correlationKey, DateTimeOffset now);

    ValueTask<bool> BufferedMessageIdExistsAsync(string messageId, DateTimeOffset now);

    // Incidents
    ValueTask<IncidentRecord?> FindIncidentAsync(long key);

    ValueTask AddIncidentAsync(IncidentRecord incident);

    ValueTask UpdateIncidentAsync(IncidentRecord incident);

    // History
    ValueTask AddAuditEventsAsync(IReadOnlyList<AuditEvent> events);

    ValueTask CommitAsync(CancellationToken cancellationToken = default);
}
