using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Entities;
using RowIncidentState = WorkflowOrders.Persistence.Entities.IncidentState;
using RowTaskState = WorkflowOrders.Persistence.Entities.UserTaskState;
using TaskState = WorkflowOrders.Engine.Runtime.UserTaskState;

namespace WorkflowOrders.Persistence.Engine;

/// <summary>
/// The engine's store on EF Core (PostgreSQL or SQLite): one database transaction per unit of work; the instance
/// document in process_instances.state_json with its revision as the concurrency token; tasks, jobs, subscriptions,
/// messages, incidents and audit events as rows beside it.
/// </summary>
public sealed class EfWorkflowStore(WorkflowDbContextFactory contexts, EfKeyGenerator keys) : IWorkflowStore
{
    // Definitions never change once deployed: parse each version once per process.
    private readonly ConcurrentDictionary<long, ProcessDefinition> _definitions = new();

    public WorkflowDbContextFactory Contexts { get; } = contexts;

    public async ValueTask<IWorkflowUnitOfWork> BeginAsync(CancellationToken cancellationToken = default)
    {
        keys.Initialize();
        var db = Contexts.CreateDbContext();
        try
        {
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new UnitOfWork(this, db, transaction, executingJobId: null, plainRows: true);
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// A unit of work inside a transaction someone else owns (the job executor's): it never commits, and it leaves the
    /// deletion of the job being executed to its owner.
    /// </summary>
    public IWorkflowUnitOfWork Join(WorkflowDbContext db, long? executingJobId) => new UnitOfWork(this, db, null, executingJobId, plainRows: false);

    /// <summary>
    /// Like <see cref="Join"/>, but on PostgreSQL the instance, its user tasks and its audit trail are read and written
    /// with plain SQL, as by a unit with its own transaction (far fewer statements and less CPU per job). Those writes
    /// reach the database only through <see cref="IWorkflowUnitOfWork.CommitAsync"/>, which for a joined unit saves
    /// everything and leaves the commit to the owner: the caller must call it when the command is done. On SQLite the
    /// same as <see cref="Join"/>.
    /// </summary>
    public IWorkflowUnitOfWork JoinSaving(WorkflowDbContext db, long? executingJobId) => new UnitOfWork(this, db, null, executingJobId, plainRows: true);

    /// <summary>The EF context behind a unit of work of this store (task handlers write their own rows through it).</summary>
    public static WorkflowDbContext ContextOf(IWorkflowUnitOfWork unitOfWork) =>
        unitOfWork is UnitOfWork u ? u.Db : throw new ArgumentException("Not a unit of work of the EF store.", nameof(unitOfWork));

    private ProcessDefinition ToDefinition(ProcessDefinitionRow row) =>
        _definitions.GetOrAdd(row.Key, _ =>
        {
            var document = BpmnLoader.Load(row.Xml);
            var model = document.Processes.FirstOrDefault(p => p.Id == row.BpmnProcessId)
                ?? throw new InvalidOperationException($"Definition {row.Key} no longer contains process '{row.BpmnProcessId}'.");
            return new ProcessDefinition
            {
                Key = row.Key,
                ProcessId = row.BpmnProcessId,
                Version = row.Version,
                Model = model,
                Xml = row.Xml,
                ResourceName = row.ResourceName,
                ContentHash = row.ContentHash,
                DeploymentKey = row.DeploymentKey,
                DeployedAt = row.DeployedAt,
                DeployedBy = row.DeployedBy,
            };
        });

    private void Remember(ProcessDefinition definition) => _definitions.TryAdd(definition.Key, definition);

    // The lookups every command begins with, compiled once: EF otherwise hashes and compares the whole expression tree
    // against its query cache on each call, a visible share of the process's CPU per command. Per store, not static:
    // a compiled query binds to the first model it runs against, and the PostgreSQL and SQLite models differ.
    private readonly Func<WorkflowDbContext, long, Task<TaskLookup?>> _taskWithInstance = EF.CompileAsyncQuery(
        (WorkflowDbContext db, long key) => (
            from t in db.UserTasks
            where t.Key == key
            join i in db.ProcessInstances on t.InstanceKey equals i.Key into instances
            from i in instances.DefaultIfEmpty()
            select new TaskLookup { Task = t, Instance = i })
            .FirstOrDefault());

    private readonly Func<WorkflowDbContext, long, Task<JobLookup?>> _jobWithInstance = EF.CompileAsyncQuery(
        (WorkflowDbContext db, long key) => (
            from j in db.Jobs
            where j.Id == key
            join i in db.ProcessInstances on j.InstanceKey equals i.Key into instances
            from i in instances.DefaultIfEmpty()
            select new JobLookup { Job = j, Instance = i })
            .FirstOrDefault());

    private readonly Func<WorkflowDbContext, string, Task<long?>> _latestDefinitionKey = EF.CompileAsyncQuery(
        (WorkflowDbContext db, string processId) => db.ProcessDefinitions.Where(d => d.BpmnProcessId == processId)
            .OrderByDescending(d => d.Version).Select(d => (long?)d.Key).FirstOrDefault());

    private readonly Func<WorkflowDbContext, long, Task<ProcessDefinitionRow?>> _definitionByKey = EF.CompileAsyncQuery(
        (WorkflowDbContext db, long key) => db.ProcessDefinitions.AsNoTracking().FirstOrDefault(d => d.Key == key));

    /// <summary>A task row with its instance row (both tracked; the instance is null only for an orphaned task).</summary>
    private sealed class TaskLookup
    {
        public required UserTaskRow Task { get; init; }
        public ProcessInstanceRow? Instance { get; init; }
    }

    /// <summary>A job row with its instance row (both tracked).</summary>
    private sealed class JobLookup
    {
        public required JobRow Job { get; init; }
        public ProcessInstanceRow? Instance { get; init; }
    }

    private sealed class UnitOfWork : IWorkflowUnitOfWork
    {
        private readonly EfWorkflowStore _store;
        private readonly IDbContextTransaction? _transaction;
        private readonly long? _executingJobId;
        private readonly Dictionary<long, ProcessInstanceRow> _instanceRows = [];

        // PostgreSQL, in a transaction of this unit's own or joined with JoinSaving: instances, user tasks and audit
        // events in plain SQL (PostgresCommandRows). SQLite, and a unit joined with Join (whose owner saves the
        // tracked rows in its own batch), keep every row in EF's change tracker.
        private readonly PostgresCommandRows? _rows;
        private bool _pending;

        public UnitOfWork(EfWorkflowStore store, WorkflowDbContext db, IDbContextTransaction? transaction, long? executingJobId, bool plainRows)
        {
            _store = store;
            Db = db;
            _transaction = transaction;
            _executingJobId = executingJobId;
            if (plainRows && !db.IsSqlite && (transaction ?? db.Database.CurrentTransaction) is { } current)
            {
                _rows = new PostgresCommandRows((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)current.GetDbTransaction());
            }
        }

        public WorkflowDbContext Db { get; }

        /// <summary>Queries see what this unit added: write pending rows first (inside the transaction).</summary>
        private async ValueTask FlushAsync()
        {
            if (_pending)
            {
                _pending = false;
                await SaveAsync().ConfigureAwait(false);
            }
        }

        private async Task SaveAsync()
        {
            try
            {
                if (_rows is null)
                {
                    await Db.SaveChangesAsync().ConfigureAwait(false);
                    return;
                }

                await _rows.WriteAsync().ConfigureAwait(false);
                // Rows other parts wrote through the context (jobs, subscriptions, an observer's escalation jobs).
                if (Db.ChangeTracker.HasChanges())
                {
                    await Db.SaveChangesAsync().ConfigureAwait(false);
                }
            }
            catch (Persistence.ConcurrencyConflictException e)
            {
                var key = _rows?.FirstInstanceKey ?? _instanceRows.Keys.FirstOrDefault();
                throw new WorkflowOrders.Engine.Runtime.ConcurrencyConflictException(key is 0 ? -1 : key, e);
            }
        }

        // ------------------------------------------------------------------ definitions and forms

        public async ValueTask<ProcessDefinition?> FindDefinitionAsync(long key)
        {
            if (_store._definitions.TryGetValue(key, out var known))
            {
                return known;
            }

            var row = await _store._definitionByKey(Db, key).ConfigureAwait(false);
            return row is null ? null : _store.ToDefinition(row);
        }

        public async ValueTask<ProcessDefinition?> FindLatestDefinitionAsync(string processId)
        {
            await FlushAsync().ConfigureAwait(false);
            // Only the key: every start asks, and the definition itself (with its XML) is almost always cached.
            var key = await _store._latestDefinitionKey(Db, processId).ConfigureAwait(false);
            return key is null ? null : await FindDefinitionAsync(key.Value).ConfigureAwait(false);
        }

        public async ValueTask<ProcessDefinition?> FindDefinitionVersionAsync(string processId, int version)
        {
            await FlushAsync().ConfigureAwait(false);
            var row = await Db.ProcessDefinitions.AsNoTracking().FirstOrDefaultAsync(d => d.BpmnProcessId == processId && d.Version == version).ConfigureAwait(false);
            return row is null ? null : _store.ToDefinition(row);
        }

        public async ValueTask<IReadOnlyList<ProcessDefinition>> LatestDefinitionsAsync()
        {
            await FlushAsync().ConfigureAwait(false);
            var rows = await Db.ProcessDefinitions.AsNoTracking()
                .Where(d => d.Version == Db.ProcessDefinitions.Where(o => o.BpmnProcessId == d.BpmnProcessId).Max(o => o.Version))
                .ToListAsync().ConfigureAwait(false);
            return [.. rows.Select(_store.ToDefinition)];
        }

        public ValueTask AddDefinitionAsync(ProcessDefinition definition)
        {
            Db.ProcessDefinitions.Add(new ProcessDefinitionRow
            {
                Key = definition.Key,
                BpmnProcessId = definition.ProcessId,
                Version = definition.Version,
                Name = definition.Name,
                ResourceName = definition.ResourceName,
                Xml = definition.Xml,
                ContentHash = definition.ContentHash,
                DeploymentKey = definition.DeploymentKey,
                DeployedBy = definition.DeployedBy,
                DeployedAt = definition.DeployedAt,
            });
            _store.Remember(definition);
            _pending = true;
            return ValueTask.CompletedTask;
        }

        public async ValueTask<FormRecord?> FindLatestFormAsync(string formId)
        {
            await FlushAsync().ConfigureAwait(false);
            var row = await Db.Forms.AsNoTracking().Where(f => f.FormId == formId).OrderByDescending(f => f.Version).FirstOrDefaultAsync().ConfigureAwait(false);
            return row is null ? null : new FormRecord
            {
                Key = row.Key,
                FormId = row.FormId,
                Version = row.Version,
                Schema = row.Schema,
                ContentHash = row.ContentHash,
                DeploymentKey = row.DeploymentKey,
                DeployedAt = row.DeployedAt,
            };
        }

        public ValueTask AddFormAsync(FormRecord form)
        {
            Db.Forms.Add(new FormRow
            {
                Key = form.Key,
                FormId = form.FormId,
                Version = form.Version,
                Schema = form.Schema,
                ContentHash = form.ContentHash,
                DeploymentKey = form.DeploymentKey,
                DeployedAt = form.DeployedAt,
            });
            _pending = true;
            return ValueTask.CompletedTask;
        }

        // ------------------------------------------------------------------ instances

        public async ValueTask<InstanceState?> LoadInstanceAsync(long key)
        {
            if (_rows is not null)
            {
                return await _rows.LoadInstanceAsync(key).ConfigureAwait(false);
            }

            // Usually already tracked: the task or job lookup that starts most commands brought it along.
            var row = await Db.ProcessInstances.FindAsync(key).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }

            _instanceRows[key] = row;
            var state = InstanceJson.Read(row.StateJson);
            state.Revision = row.Revision;
            return state;
        }

        public ValueTask SaveInstanceAsync(InstanceState state, bool isNew)
        {
            if (_rows is not null)
            {
                _rows.SaveInstance(state, isNew);
                _pending = true;
                return ValueTask.CompletedTask;
            }

            var json = InstanceJson.Write(state);
            if (isNew || !_instanceRows.TryGetValue(state.Key, out var row))
            {
                row = new ProcessInstanceRow
                {
                    Key = state.Key,
                    DefinitionKey = state.DefinitionKey,
                    BpmnProcessId = state.ProcessId,
                    DefinitionVersion = state.Version,
                    BusinessKey = state.BusinessKey,
                    StartedAt = state.StartedAt,
                    ParentInstanceKey = state.ParentInstanceKey,
                    ParentElementInstanceKey = state.ParentElementInstanceKey,
                    StateJson = json,
                };
                Db.ProcessInstances.Add(row);
                _instanceRows[state.Key] = row;
            }

            row.StateJson = json;
            row.State = state.Status switch
            {
                InstanceStatus.Active => ProcessInstanceState.Active,
                InstanceStatus.Completed => ProcessInstanceState.Completed,
                _ => ProcessInstanceState.Terminated,
            };
            row.HasIncident = state.HasIncident;
            row.EndedAt = state.EndedAt;
            row.BusinessKey = state.BusinessKey;
            _pending = true;
            return ValueTask.CompletedTask;
        }

        // ------------------------------------------------------------------ user tasks

        public async ValueTask<UserTaskRecord?> FindUserTaskAsync(long key)
        {
            if (_rows is not null)
            {
                return await _rows.FindUserTaskAsync(key).ConfigureAwait(false);
            }

            if (Db.UserTasks.Local.FindEntry(key) is { State: not (EntityState.Deleted or EntityState.Detached) } tracked)
            {
                return ToRecord(tracked.Entity);
            }

            // The command that looks a task up loads its instance next: one round trip for both (both tracked).
            var found = await _store._taskWithInstance(Db, key).ConfigureAwait(false);
            return found is null ? null : ToRecord(found.Task);
        }

        public ValueTask AddUserTaskAsync(UserTaskRecord task)
        {
            if (_rows is not null)
            {
                _rows.AddUserTask(task);
                _pending = true;
                return ValueTask.CompletedTask;
            }

            var row = new UserTaskRow
            {
                Key = task.Key,
                InstanceKey = task.InstanceKey,
                ElementInstanceKey = task.ElementInstanceKey,
                ElementId = task.ElementId,
                BpmnProcessId = task.ProcessId,
            };
            CopyInto(task, row);
            Db.UserTasks.Add(row);
            foreach (var group in task.CandidateGroups.Distinct(StringComparer.Ordinal))
            {
                Db.UserTaskCandidates.Add(new UserTaskCandidateRow { TaskKey = task.Key, Kind = CandidateKinds.Group, Value = group });
            }

            foreach (var user in task.CandidateUsers.Distinct(StringComparer.Ordinal))
            {
                Db.UserTaskCandidates.Add(new UserTaskCandidateRow { TaskKey = task.Key, Kind = CandidateKinds.User, Value = user });
            }

            _pending = true;
            return ValueTask.CompletedTask;
        }

        public async ValueTask UpdateUserTaskAsync(UserTaskRecord task)
        {
            if (_rows is not null)
            {
                // A task is updated after it was read (its revision is the guard): read it first if this unit has not.
                if (!_rows.UpdateUserTask(task))
                {
                    _ = await _rows.FindUserTaskAsync(task.Key).ConfigureAwait(false)
                        ?? throw new InvalidOperationException($"User task {task.Key} does not exist.");
                    _rows.UpdateUserTask(task);
                }

                _pending = true;
                return;
            }

            var row = await Db.UserTasks.FindAsync(task.Key).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"User task {task.Key} does not exist.");
            CopyInto(task, row);
            _pending = true;
        }

        private static void CopyInto(UserTaskRecord task, UserTaskRow row)
        {
            row.Name = task.Name;
            row.DefinitionKey = task.DefinitionKey;
            row.DefinitionVersion = task.DefinitionVersion;
            row.BusinessKey = task.BusinessKey;
            row.State = task.State switch
            {
                TaskState.Created => RowTaskState.Created,
                TaskState.Completed => RowTaskState.Completed,
                _ => RowTaskState.Canceled,
            };
            row.Assignee = task.Assignee;
            row.CandidateGroups = task.CandidateGroups.Count == 0 ? null : string.Join(',', task.CandidateGroups);
            row.CandidateUsers = task.CandidateUsers.Count == 0 ? null : string.Join(',', task.CandidateUsers);
            row.DueDate = task.DueDate;
            row.FollowUpDate = task.FollowUpDate;
            row.Priority = task.Priority;
            row.FormId = task.FormId;
            row.CustomHeaders = task.Headers.Count == 0 ? null : JsonSerializer.Serialize(task.Headers, PersistenceJson.Default.IReadOnlyDictionaryStringString);
            row.Properties = task.Properties.Count == 0 ? null : JsonSerializer.Serialize(task.Properties, PersistenceJson.Default.IReadOnlyDictionaryStringString);
            row.CreatedAt = task.CreatedAt;
            row.ClaimedAt = task.ClaimedAt;
            row.CompletedAt = task.CompletedAt;
            row.CompletedBy = task.CompletedBy;
        }

        private static UserTaskRecord ToRecord(UserTaskRow row) => EfWorkflowStoreRows.ToRecord(row);

        // ------------------------------------------------------------------ jobs

        public async ValueTask<JobRecord?> FindJobAsync(long key)
        {
            if (Db.Jobs.Local.FindEntry(key) is { State: not (EntityState.Deleted or EntityState.Detached) } tracked)
            {
                return EngineJobs.ToRecord(tracked.Entity);
            }

            if (_rows is not null)
            {
                // Untracked, with the instance at hand for LoadInstanceAsync: one round trip for both.
                var row = await _rows.FindJobAsync(key).ConfigureAwait(false);
                return row is null ? null : EngineJobs.ToRecord(row);
            }

            // A timer or task job is looked up to act on its instance: one round trip for both (both tracked).
            var found = await _store._jobWithInstance(Db, key).ConfigureAwait(false);
            return found is null ? null : EngineJobs.ToRecord(found.Job);
        }

        public ValueTask AddJobAsync(JobRecord job)
        {
            Db.Jobs.Add(EngineJobs.ToRow(job));
            _pending = true;
            return ValueTask.CompletedTask;
        }

        public async ValueTask RemoveJobAsync(long key)
        {
            if (key == _executingJobId)
            {
                return; // the job executor deletes it together with this transaction's commit
            }

            var row = await Db.Jobs.FindAsync(key).ConfigureAwait(false);
            if (row is not null)
            {
                Db.Jobs.Remove(row);
                _pending = true;
            }
        }

        public async ValueTask RescheduleJobAsync(long key, DateTimeOffset dueAt)
        {
            var row = await Db.Jobs.FindAsync(key).ConfigureAwait(false);
            if (row is not null)
            {
                row.DueAt = dueAt;
                _pending = true;
            }
        }

        // ------------------------------------------------------------------ messages

        public ValueTask AddMessageSubscriptionAsync(MessageSubscriptionRecord subscription)
        {
            Db.MessageSubscriptions.Add(new MessageSubscriptionRow
            {
                Id = subscription.Key,
                InstanceKey = subscription.InstanceKey,
                ElementInstanceKey = subscription.ElementInstanceKey,
                ElementId = subscription.ElementId,
                MessageName = subscription.MessageName,
                CorrelationKey = subscription.CorrelationKey,
                CreatedAt = DateTimeOffset.FromUnixTimeSeconds(0),
            });
            _pending = true;
            return ValueTask.CompletedTask;
        }

        public async ValueTask RemoveMessageSubscriptionAsync(long key)
        {
            var row = await Db.MessageSubscriptions.FindAsync(key).ConfigureAwait(false);
            if (row is not null)
            {
                Db.MessageSubscriptions.Remove(row);
                _pending = true;
            }
        }

        public async ValueTask<IReadOnlyList<MessageSubscriptionRecord>> FindMessageSubscriptionsAsync(string messageName, string correlationKey)
        {
            await FlushAsync().ConfigureAwait(false);
            var rows = await Db.MessageSubscriptions.AsNoTracking()
                .Where(s => s.MessageName == messageName && s.CorrelationKey == correlationKey)
                .OrderBy(s => s.Id).ToListAsync().ConfigureAwait(false);
            return [.. rows.Select(r => new MessageSubscriptionRecord
            {
                Key = r.Id,
                InstanceKey = r.InstanceKey,
                ElementInstanceKey = r.ElementInstanceKey,
                ElementId = r.ElementId,
                MessageName = r.MessageName,
                CorrelationKey = r.CorrelationKey ?? "",
            })];
        }

        public ValueTask AddBufferedMessageAsync(BufferedMessage message)
        {
            Db.BufferedMessages.Add(new BufferedMessageRow
            {
                Key = message.Key,
                Name = message.Name,
                CorrelationKey = message.CorrelationKey,
                Variables = message.Variables?.ToJsonString(),
                MessageId = message.MessageId,
                CorrelatedInstances = JsonSerializer.Serialize(message.CorrelatedInstances, PersistenceJson.Default.ListInt64),
                PublishedAt = message.PublishedAt,
                ExpiresAt = message.ExpiresAt,
            });
            _pending = true;
            return ValueTask.CompletedTask;
        }

        public async ValueTask UpdateBufferedMessageAsync(BufferedMessage message)
        {
            var row = await Db.BufferedMessages.FindAsync(message.Key).ConfigureAwait(false);
            if (row is not null)
            {
                row.CorrelatedInstances = JsonSerializer.Serialize(message.CorrelatedInstances, PersistenceJson.Default.ListInt64);
                _pending = true;
            }
        }

        public async ValueTask<IReadOnlyList<BufferedMessage>> FindBufferedMessagesAsync(string name, string correlationKey, DateTimeOffset now)
        {
            await FlushAsync().ConfigureAwait(false);
            var rows = await Db.BufferedMessages
                .Where(m => m.Name == name && m.CorrelationKey == correlationKey && m.ExpiresAt > now)
                .OrderBy(m => m.PublishedAt).ToListAsync().ConfigureAwait(false);
            return [.. rows.Select(r => new BufferedMessage
            {
                Key = r.Key,
                Name = r.Name,
                CorrelationKey = r.CorrelationKey,
                Variables = r.Variables is null ? null : JsonNode.Parse(r.Variables) as JsonObject,
                MessageId = r.MessageId,
                PublishedAt = r.PublishedAt,
                ExpiresAt = r.ExpiresAt,
                CorrelatedInstances = r.CorrelatedInstances is null ? [] : JsonSerializer.Deserialize(r.CorrelatedInstances, PersistenceJson.Default.ListInt64) ?? [],
            })];
        }

        public async ValueTask<bool> BufferedMessageIdExistsAsync(string messageId, DateTimeOffset now)
        {
            await FlushAsync().ConfigureAwait(false);
            return await Db.BufferedMessages.AnyAsync(m => m.MessageId == messageId && m.ExpiresAt > now).ConfigureAwait(false);
        }

        // ------------------------------------------------------------------ incidents and audit

        public async ValueTask<IncidentRecord?> FindIncidentAsync(long key)
        {
            var row = await Db.Incidents.FindAsync(key).ConfigureAwait(false);
            return row is null ? null : new IncidentRecord
            {
                Key = row.Key,
                InstanceKey = row.InstanceKey ?? 0,
                ElementInstanceKey = row.ElementInstanceKey ?? 0,
                ElementId = row.ElementId ?? "",
                ProcessId = row.BpmnProcessId ?? "",
                ErrorType = row.ErrorType,
                ErrorMessage = row.ErrorMessage,
                State = row.State == RowIncidentState.Active ? WorkflowOrders.Engine.Runtime.IncidentState.Active : WorkflowOrders.Engine.Runtime.IncidentState.Resolved,
                JobKey = row.JobId,
                CreatedAt = row.CreatedAt,
                ResolvedAt = row.ResolvedAt,
                ResolvedBy = row.ResolvedBy,
            };
        }

        public ValueTask AddIncidentAsync(IncidentRecord incident)
        {
            Db.Incidents.Add(new IncidentRow
            {
                Key = incident.Key,
                InstanceKey = incident.InstanceKey,
                ElementInstanceKey = incident.ElementInstanceKey,
                ElementId = incident.ElementId,
                BpmnProcessId = incident.ProcessId,
                ErrorType = incident.ErrorType,
                ErrorMessage = incident.ErrorMessage,
                State = RowIncidentState.Active,
                JobId = incident.JobKey,
                CreatedAt = incident.CreatedAt,
            });
            _pending = true;
            return ValueTask.CompletedTask;
        }

        public async ValueTask UpdateIncidentAsync(IncidentRecord incident)
        {
            var row = await Db.Incidents.FindAsync(incident.Key).ConfigureAwait(false);
            if (row is not null)
            {
                row.State = incident.State == WorkflowOrders.Engine.Runtime.IncidentState.Active ? RowIncidentState.Active : RowIncidentState.Resolved;
                row.ResolvedAt = incident.ResolvedAt;
                row.ResolvedBy = incident.ResolvedBy;
                _pending = true;
            }
        }

        public ValueTask AddAuditEventsAsync(IReadOnlyList<AuditEvent> events)
        {
            // A unit joined with Join leaves saving to the job executor, whose one batch carries tracked rows only.
            if (_rows is not null)
            {
                _rows.AddAudit(events);
                _pending = events.Count > 0 || _pending;
                return ValueTask.CompletedTask;
            }

            foreach (var e in events)
            {
                Db.AuditEvents.Add(new AuditEventRow
                {
                    InstanceKey = e.InstanceKey,
                    ElementId = e.ElementId,
                    ElementInstanceKey = e.ElementInstanceKey,
                    Kind = e.Kind,
                    Actor = e.Actor,
                    At = e.At,
                    Details = e.Details?.ToJsonString(),
                });
            }

            _pending = events.Count > 0 || _pending;
            return ValueTask.CompletedTask;
        }

        public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
        {
            await SaveAsync().ConfigureAwait(false);
            _pending = false;
            if (_transaction is not null)
            {
                await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_transaction is not null)
            {
                await _transaction.DisposeAsync().ConfigureAwait(false);
                await Db.DisposeAsync().ConfigureAwait(false);
            }

            // A joined unit of work leaves its tracked rows to the owner, who saves and commits them with the job.
        }
    }
}

/// <summary>Row ↔ record mapping shared by the store and the inbox queries.</summary>
public static class EfWorkflowStoreRows
{
    public static UserTaskRecord ToRecord(UserTaskRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new UserTaskRecord
        {
            Key = row.Key,
            InstanceKey = row.InstanceKey,
            ElementInstanceKey = row.ElementInstanceKey,
            ElementId = row.ElementId,
            Name = row.Name,
            ProcessId = row.BpmnProcessId,
            DefinitionKey = row.DefinitionKey,
            DefinitionVersion = row.DefinitionVersion,
            BusinessKey = row.BusinessKey,
            State = row.State switch
            {
                RowTaskState.Created => TaskState.Created,
                RowTaskState.Completed => TaskState.Completed,
                _ => TaskState.Canceled,
            },
            Assignee = row.Assignee,
            CandidateGroups = Split(row.CandidateGroups),
            CandidateUsers = Split(row.CandidateUsers),
            DueDate = row.DueDate,
            FollowUpDate = row.FollowUpDate,
            Priority = row.Priority,
            FormId = row.FormId,
            Headers = row.CustomHeaders is null
                ? new Dictionary<string, string>()
                : JsonSerializer.Deserialize(row.CustomHeaders, PersistenceJson.Default.IReadOnlyDictionaryStringString) ?? new Dictionary<string, string>(),
            Properties = row.Properties is null
                ? new Dictionary<string, string>()
                : JsonSerializer.Deserialize(row.Properties, PersistenceJson.Default.IReadOnlyDictionaryStringString) ?? new Dictionary<string, string>(),
            CreatedAt = row.CreatedAt,
            ClaimedAt = row.ClaimedAt,
            CompletedAt = row.CompletedAt,
            CompletedBy = row.CompletedBy,
        };
    }

    private static string[] Split(string? list) => list is null ? [] : list.Split(',');
}
