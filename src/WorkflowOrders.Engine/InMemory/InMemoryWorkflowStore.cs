using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Engine.InMemory;

/// <summary>
/// The store for engine tests and the in-memory benchmark. One unit of work at a time (a lock held from begin to
/// dispose); writes apply at once and instance documents are live objects, so a command that throws half-way is
/// not rolled back here — the database stores are the ones that guarantee that.
/// </summary>
public sealed class InMemoryWorkflowStore : IWorkflowStore, IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    internal Dictionary<long, ProcessDefinition> Definitions { get; } = [];
    internal Dictionary<string, List<ProcessDefinition>> VersionsByProcess { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, FormRecord> LatestForms { get; } = new(StringComparer.Ordinal);
    internal Dictionary<long, InstanceState> Instances { get; } = [];
    internal Dictionary<long, UserTaskRecord> UserTasks { get; } = [];
    internal Dictionary<long, JobRecord> Jobs { get; } = [];
    internal SortedSet<(DateTimeOffset DueAt, long Key)> JobQueue { get; } = [];
    internal Dictionary<long, MessageSubscriptionRecord> Subscriptions { get; } = [];
    internal Dictionary<(string Name, string Key), List<MessageSubscriptionRecord>> SubscriptionIndex { get; } = [];
    internal List<BufferedMessage> BufferedMessages { get; } = [];
    internal Dictionary<long, IncidentRecord> Incidents { get; } = [];
    internal AuditTrail AuditTrail { get; } = new();

    /// <summary>Whether audit events are kept (the throughput benchmark may switch it off to measure the engine alone).</summary>
    public bool KeepAudit { get; set; } = true;

    public void Dispose()
    {
        _lock.Dispose();
        AuditTrail.Dispose();
    }

    public async ValueTask<IWorkflowUnitOfWork> BeginAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new UnitOfWork(this);
    }

    // ------------------------------------------------------------------ read access for tests, the bench and job runners

    public IReadOnlyCollection<InstanceState> AllInstances => Instances.Values;

    public IEnumerable<UserTaskRecord> OpenUserTasks => UserTasks.Values.Where(t => t.State == UserTaskState.Created);

    public IReadOnlyCollection<UserTaskRecord> AllUserTasks => UserTasks.Values;

    public IReadOnlyCollection<JobRecord> AllJobs => Jobs.Values;

    public IEnumerable<IncidentRecord> ActiveIncidents => Incidents.Values.Where(i => i.State == IncidentState.Active);

    public IReadOnlyList<AuditEvent> Audit => AuditTrail;

    public IReadOnlyCollection<MessageSubscriptionRecord> AllSubscriptions => Subscriptions.Values;

    public InstanceState? Instance(long key) => Instances.GetValueOrDefault(key);

    /// <summary>The earliest job due at or before <paramref name="now"/>, if any.</summary>
    public JobRecord? NextDueJob(DateTimeOffset now)
    {
        if (JobQueue.Count == 0)
        {
            return null;
        }

        var first = JobQueue.Min;
        return first.DueAt <= now ? Jobs[first.Key] : null;
    }

    /// <summary>When the next job is due (for tests that advance the clock to it).</summary>
    public DateTimeOffset? NextDueTime => JobQueue.Count == 0 ? null : JobQueue.Min.DueAt;

    private sealed class UnitOfWork(InMemoryWorkflowStore store) : IWorkflowUnitOfWork
    {
        private bool _disposed;

        public ValueTask<ProcessDefinition?> FindDefinitionAsync(long key) => ValueTask.FromResult(store.Definitions.GetValueOrDefault(key));

        public ValueTask<ProcessDefinition?> FindLatestDefinitionAsync(string processId) =>
            ValueTask.FromResult(store.VersionsByProcess.TryGetValue(processId, out var versions) ? versions[^1] : null);

        public ValueTask<ProcessDefinition?> FindDefinitionVersionAsync(string processId, int version) =>
            ValueTask.FromResult(store.VersionsByProcess.TryGetValue(processId, out var versions) ? versions.Find(v => v.Version == version) : null);

        public ValueTask<IReadOnlyList<ProcessDefinition>> LatestDefinitionsAsync() =>
            ValueTask.FromResult<IReadOnlyList<ProcessDefinition>>([.. store.VersionsByProcess.Values.Select(v => v[^1])]);

        public ValueTask AddDefinitionAsync(ProcessDefinition definition)
        {
            store.Definitions[definition.Key] = definition;
            if (!store.VersionsByProcess.TryGetValue(definition.ProcessId, out var versions))
            {
                versions = [];
                store.VersionsByProcess[definition.ProcessId] = versions;
            }

            versions.Add(definition);
            return ValueTask.CompletedTask;
        }

        public ValueTask<FormRecord?> FindLatestFormAsync(string formId) => ValueTask.FromResult(store.LatestForms.GetValueOrDefault(formId));

        public ValueTask AddFormAsync(FormRecord form)
        {
            store.LatestForms[form.FormId] = form;
            return ValueTask.CompletedTask;
        }

        public ValueTask<InstanceState?> LoadInstanceAsync(long key) => ValueTask.FromResult(store.Instances.GetValueOrDefault(key));

        public ValueTask SaveInstanceAsync(InstanceState state, bool isNew)
        {
            state.Revision++;
            store.Instances[state.Key] = state;
            return ValueTask.CompletedTask;
        }

        public ValueTask<UserTaskRecord?> FindUserTaskAsync(long key) => ValueTask.FromResult(store.UserTasks.GetValueOrDefault(key));

        public ValueTask AddUserTaskAsync(UserTaskRecord task)
        {
            store.UserTasks[task.Key] = task;
            return ValueTask.CompletedTask;
        }

        public ValueTask UpdateUserTaskAsync(UserTaskRecord task)
        {
            store.UserTasks[task.Key] = task;
            return ValueTask.CompletedTask;
        }

        public ValueTask<JobRecord?> FindJobAsync(long key) => ValueTask.FromResult(store.Jobs.GetValueOrDefault(key));

        public ValueTask AddJobAsync(JobRecord job)
        {
            store.Jobs[job.Key] = job;
            store.JobQueue.Add((job.DueAt, job.Key));
            return ValueTask.CompletedTask;
        }

        public ValueTask RemoveJobAsync(long key)
        {
            if (store.Jobs.Remove(key, out var job))
            {
                store.JobQueue.Remove((job.DueAt, key));
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask RescheduleJobAsync(long key, DateTimeOffset dueAt)
        {
            if (store.Jobs.TryGetValue(key, out var job))
            {
                store.JobQueue.Remove((job.DueAt, key));
                job.DueAt = dueAt;
                store.JobQueue.Add((dueAt, key));
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask AddMessageSubscriptionAsync(MessageSubscriptionRecord subscription)
        {
            store.Subscriptions[subscription.Key] = subscription;
            var index = (subscription.MessageName, subscription.CorrelationKey);
            if (!store.SubscriptionIndex.TryGetValue(index, out var list))
            {
                list = [];
                store.SubscriptionIndex[index] = list;
            }

            list.Add(subscription);
            return ValueTask.CompletedTask;
        }

        public ValueTask RemoveMessageSubscriptionAsync(long key)
        {
            if (store.Subscriptions.Remove(key, out var sub) && store.SubscriptionIndex.TryGetValue((sub.MessageName, sub.CorrelationKey), out var list))
            {
                list.RemoveAll(s => s.Key == key);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask<IReadOnlyList<MessageSubscriptionRecord>> FindMessageSubscriptionsAsync(string messageName, string correlationKey) =>
            ValueTask.FromResult<IReadOnlyList<MessageSubscriptionRecord>>(
                store.SubscriptionIndex.TryGetValue((messageName, correlationKey), out var list) ? [.. list] : []);

        public ValueTask AddBufferedMessageAsync(BufferedMessage message)
        {
            store.BufferedMessages.Add(message);
            return ValueTask.CompletedTask;
        }

        public ValueTask UpdateBufferedMessageAsync(BufferedMessage message) => ValueTask.CompletedTask;

        public ValueTask<IReadOnlyList<BufferedMessage>> FindBufferedMessagesAsync(string name, string correlationKey, DateTimeOffset now) =>
            ValueTask.FromResult<IReadOnlyList<BufferedMessage>>(
                [.. store.BufferedMessages.Where(m => m.Name == name && m.CorrelationKey == correlationKey && m.ExpiresAt > now).OrderBy(m => m.PublishedAt)]);

        public ValueTask<bool> BufferedMessageIdExistsAsync(string messageId, DateTimeOffset now) =>
            ValueTask.FromResult(store.BufferedMessages.Exists(m => m.MessageId == messageId && m.ExpiresAt > now));

        public ValueTask<IncidentRecord?> FindIncidentAsync(long key) => ValueTask.FromResult(store.Incidents.GetValueOrDefault(key));

        public ValueTask AddIncidentAsync(IncidentRecord incident)
        {
            store.Incidents[incident.Key] = incident;
            return ValueTask.CompletedTask;
        }

        public ValueTask UpdateIncidentAsync(IncidentRecord incident)
        {
            store.Incidents[incident.Key] = incident;
            return ValueTask.CompletedTask;
        }

        public ValueTask AddAuditEventsAsync(IReadOnlyList<AuditEvent> events)
        {
            if (store.KeepAudit)
            {
                store.AuditTrail.AddRange(events);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask CommitAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync()
        {
            if (!_disposed)
            {
                _disposed = true;
                store._lock.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
