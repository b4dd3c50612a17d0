using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using TaskState = WorkflowOrders.Engine.Runtime.UserTaskState;

namespace WorkflowOrders.Persistence.Engine;

/// <summary>
/// The rows every engine command touches — the instance document, its user tasks with their candidates, and the
/// audit trail — read and written with plain SQL on PostgreSQL, for a unit of work that owns its transaction or saves
/// inside the job executor's (<see cref="EfWorkflowStore.JoinSaving"/>).
/// Why not EF change tracking: on the benchmark's two shared cores the client's CPU per command is what limits
/// throughput, and tracking, snapshotting and re-generating the UPDATE SQL on every save was most of it. Here a
/// command reads its task and instance in one query, and all its writes go to the server as one batch of prepared
/// statements (one round trip). The guarantees stay: the UPDATE of an instance or task matches only the revision that
/// was read and raises it by one; a batch in which such an UPDATE matched no row throws
/// <see cref="Persistence.ConcurrencyConflictException"/> before the transaction can commit.
/// </summary>
internal sealed class PostgresCommandRows
{
    private const string TaskColumns =
        "t.instance_key, t.element_instance_key, t.element_id, t.name, t.bpmn_process_id, t.definition_key, t.definition_version, " +
        "t.business_key, t.state, t.assignee, t.candidate_groups, t.candidate_users, t.due_date, t.follow_up_date, t.priority, " +
        "t.form_id, t.custom_headers, t.properties, t.created_at, t.claimed_at, t.completed_at, t.completed_by, t.revision";

    private const string TaskWithInstanceSql =
        "SELECT " + TaskColumns + ", i.state_json, i.revision FROM user_tasks t " +
        "LEFT JOIN process_instances i ON i.key = t.instance_key WHERE t.key = $1";

    private const string InstanceSql = "SELECT state_json, revision FROM process_instances WHERE key = $1";

    private const string JobWithInstanceSql =
        "SELECT j.kind, j.type, j.instance_key, j.element_instance_key, j.payload, j.due_at, j.attempts, j.max_attempts, " +
        "j.last_error, j.lease_owner, j.lease_until, j.created_at, i.state_json, i.revision FROM jobs j " +
        "LEFT JOIN process_instances i ON i.key = j.instance_key WHERE j.id = $1";

    private const string InsertInstanceSql =
        "INSERT INTO process_instances (key, definition_key, bpmn_process_id, definition_version, business_key, state, has_incident, " +
        "state_json, started_at, ended_at, parent_instance_key, parent_element_instance_key, revision) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1)";

    private const string UpdateInstanceSql =
        "UPDATE process_instances SET state_json = $1, state = $2, has_incident = $3, ended_at = $4, business_key = $5, revision = $6 " +
        "WHERE key = $7 AND revision = $8";

    private const string InsertTaskSql =
        "INSERT INTO user_tasks (key, instance_key, element_instance_key, element_id, bpmn_process_id, name, definition_key, " +
        "definition_version, business_key, state, assignee, candidate_groups, candidate_users, due_date, follow_up_date, priority, " +
        "form_id, custom_headers, properties, created_at, claimed_at, completed_at, completed_by, revision) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, 1)";

    // Every column a record carries but its keys, as EF's tracked save wrote them: the row equals the record. Candidate
    // rows are written once, with the task (no command changes a task's candidates).
    private const string UpdateTaskSql =
        "UPDATE user_tasks SET name = $1, definition_key = $2, definition_version = $3, business_key = $4, state = $5, assignee = $6, " +
        "candidate_groups = $7, candidate_users = $8, due_date = $9, follow_up_date = $10, priority = $11, form_id = $12, " +
        "custom_headers = $13, properties = $14, created_at = $15, claimed_at = $16, completed_at = $17, completed_by = $18, " +
        "revision = $19 WHERE key = $20 AND revision = $21";

    private const string InsertCandidatesSql =
        "INSERT INTO user_task_candidates (task_key, kind, value) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])";

    // Ordered by position, so ids follow the order the engine recorded the events in.
    private const string InsertAuditSql =
        "INSERT INTO audit_events (instance_key, element_id, element_instance_key, kind, actor, at, details) " +
        "SELECT instance_key, element_id, element_instance_key, kind, actor, at, details " +
        "FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::timestamptz[], $7::text[]) " +
        "WITH ORDINALITY AS a(instance_key, element_id, element_instance_key, kind, actor, at, details, n) ORDER BY n";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly Dictionary<long, InstanceEntry> _instances = [];
    private readonly Dictionary<long, TaskEntry> _tasks = [];
    private readonly List<AuditEvent> _audit = [];

    public PostgresCommandRows(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>Whether anything waits for <see cref="WriteAsync"/>.</summary>
    public bool HasPending { get; private set; }

    /// <summary>The first instance this unit read or wrote (named in a conflict).</summary>
    public long? FirstInstanceKey => _instances.Count == 0 ? null : _instances.Keys.First();

    // ------------------------------------------------------------------ reads

    public async ValueTask<UserTaskRecord?> FindUserTaskAsync(long key)
    {
        if (_tasks.TryGetValue(key, out var known))
        {
            return Copy(known.Record);
        }

        // The command that looks a task up loads its instance next: one round trip for both.
        await using var command = new NpgsqlCommand(TaskWithInstanceSql, _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = key });
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        if (!await reader.ReadAsync().ConfigureAwait(false))
        {
            return null;
        }

        var record = ReadTask(reader, key);
        _tasks[key] = new TaskEntry { Record = Copy(record), Revision = reader.GetInt32(22), Exists = true };
        if (!reader.IsDBNull(23) && !_instances.ContainsKey(record.InstanceKey))
        {
            _instances[record.InstanceKey] = new InstanceEntry { Json = reader.GetString(23), Revision = reader.GetInt32(24), Exists = true };
        }

        return record;
    }

    /// <summary>
    /// A job row (not tracked) with its instance, in one query: a timer or task job is looked up to act on its
    /// instance, which <see cref="LoadInstanceAsync"/> then finds at hand.
    /// </summary>
    public async ValueTask<Entities.JobRow?> FindJobAsync(long key)
    {
        await using var command = new NpgsqlCommand(JobWithInstanceSql, _connection, _transaction);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = key });
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        if (!await reader.ReadAsync().ConfigureAwait(false))
        {
            return null;
        }

        var row = new Entities.JobRow
        {
            Id = key,
            Kind = reader.GetString(0),
            Type = reader.GetString(1),
            InstanceKey = reader.IsDBNull(2) ? null : reader.GetInt64(2),
            ElementInstanceKey = reader.IsDBNull(3) ? null : reader.GetInt64(3),
            Payload = NullableString(reader, 4),
            DueAt = NullableTimestamp(reader, 5),
            Attempts = reader.GetInt32(6),
            MaxAttempts = reader.GetInt32(7),
            LastError = NullableString(reader, 8),
            LeaseOwner = NullableString(reader, 9),
            LeaseUntil = NullableTimestamp(reader, 10),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(11),
        };
        if (row.InstanceKey is { } instanceKey && !reader.IsDBNull(12) && !_instances.ContainsKey(instanceKey))
        {
            _instances[instanceKey] = new InstanceEntry { Json = reader.GetString(12), Revision = reader.GetInt32(13), Exists = true };
        }

        return row;
    }

    public async ValueTask<InstanceState?> LoadInstanceAsync(long key)
    {
        string json;
        if (_instances.TryGetValue(key, out var entry) && (entry.PendingJson ?? entry.Json) is { } known)
        {
            json = known; // read with its task, or saved by this unit and not yet written
        }
        else
        {
            await using var command = new NpgsqlCommand(InstanceSql, _connection, _transaction);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = key });
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            if (!await reader.ReadAsync().ConfigureAwait(false))
            {
                return null;
            }

            json = reader.GetString(0);
            entry = _instances[key] = new InstanceEntry { Json = json, Revision = reader.GetInt32(1), Exists = true };
        }

        var state = InstanceJson.Read(json);
        state.Revision = entry!.Revision;
        return state;
    }

    // ------------------------------------------------------------------ writes (kept until WriteAsync)

    public void SaveInstance(InstanceState state, bool isNew)
    {
        if (isNew || !_instances.TryGetValue(state.Key, out var entry))
        {
            entry = _instances[state.Key] = new InstanceEntry { Revision = 0, Exists = false };
        }

        entry.Pending = state;
        entry.PendingJson = InstanceJson.Write(state);
        HasPending = true;
    }

    public void AddUserTask(UserTaskRecord task)
    {
        _tasks[task.Key] = new TaskEntry { Record = Copy(task), Revision = 0, Exists = false, Dirty = true };
        HasPending = true;
    }

    /// <summary>False when the task is not known to this unit (the caller then reads it first).</summary>
    public bool UpdateUserTask(UserTaskRecord task)
    {
        if (!_tasks.TryGetValue(task.Key, out var entry))
        {
            return false;
        }

        entry.Record = Copy(task);
        entry.Dirty = true;
        HasPending = true;
        return true;
    }

    public void AddAudit(IReadOnlyList<AuditEvent> events)
    {
        _audit.AddRange(events);
        HasPending = events.Count > 0 || HasPending;
    }

    /// <summary>
    /// Sends every pending write as one batch (one round trip) inside the unit's transaction. A guarded UPDATE that
    /// matched no row — someone else saved that instance or task since this unit read it — throws, and the caller's
    /// transaction is rolled back, so nothing of the batch stays.
    /// </summary>
    public async Task WriteAsync()
    {
        if (!HasPending)
        {
            return;
        }

        HasPending = false;
        await using var batch = new NpgsqlBatch(_connection, _transaction);
        var guarded = new List<(NpgsqlBatchCommand Command, string Table, long Key, int Revision)>();
        foreach (var (key, entry) in _instances)
        {
            if (entry.Pending is not { } state)
            {
                continue;
            }

            var json = entry.PendingJson!;
            if (entry.Exists)
            {
                var command = Command(
                    UpdateInstanceSql,
                    Text(json), Text(InstanceStateText(state.Status)), Bool(state.HasIncident), Timestamp(state.EndedAt),
                    Text(state.BusinessKey), Int(entry.Revision + 1), Bigint(key), Int(entry.Revision));
                batch.BatchCommands.Add(command);
                guarded.Add((command, "process_instances", key, entry.Revision));
            }
            else
            {
                batch.BatchCommands.Add(Command(
                    InsertInstanceSql,
                    Bigint(key), Bigint(state.DefinitionKey), Text(state.ProcessId), Int(state.Version), Text(state.BusinessKey),
                    Text(InstanceStateText(state.Status)), Bool(state.HasIncident), Text(json), Timestamp(state.StartedAt),
                    Timestamp(state.EndedAt), Bigint(state.ParentInstanceKey), Bigint(state.ParentElementInstanceKey)));
            }
        }

        List<long>? candidateTasks = null;
        List<string>? candidateKinds = null;
        List<string>? candidateValues = null;
        foreach (var (key, entry) in _tasks)
        {
            if (!entry.Dirty)
            {
                continue;
            }

            var task = entry.Record;
            if (entry.Exists)
            {
                var command = Command(
                    UpdateTaskSql,
                    Text(task.Name), Bigint(task.DefinitionKey), Int(task.DefinitionVersion), Text(task.BusinessKey), Text(TaskStateText(task.State)),
                    Text(task.Assignee), Text(JoinList(task.CandidateGroups)), Text(JoinList(task.CandidateUsers)), Timestamp(task.DueDate),
                    Timestamp(task.FollowUpDate), Int(task.Priority), Text(task.FormId), Text(JsonMap(task.Headers)), Text(JsonMap(task.Properties)),
                    Timestamp(task.CreatedAt), Timestamp(task.ClaimedAt), Timestamp(task.CompletedAt), Text(task.CompletedBy),
                    Int(entry.Revision + 1), Bigint(key), Int(entry.Revision));
                batch.BatchCommands.Add(command);
                guarded.Add((command, "user_tasks", key, entry.Revision));
                continue;
            }

            batch.BatchCommands.Add(Command(
                InsertTaskSql,
                Bigint(key), Bigint(task.InstanceKey), Bigint(task.ElementInstanceKey), Text(task.ElementId), Text(task.ProcessId),
                Text(task.Name), Bigint(task.DefinitionKey), Int(task.DefinitionVersion), Text(task.BusinessKey), Text(TaskStateText(task.State)),
                Text(task.Assignee), Text(JoinList(task.CandidateGroups)), Text(JoinList(task.CandidateUsers)), Timestamp(task.DueDate),
                Timestamp(task.FollowUpDate), Int(task.Priority), Text(task.FormId), Text(JsonMap(task.Headers)), Text(JsonMap(task.Properties)),
                Timestamp(task.CreatedAt), Timestamp(task.ClaimedAt), Timestamp(task.CompletedAt), Text(task.CompletedBy)));
            candidateTasks ??= [];
            candidateKinds ??= [];
            candidateValues ??= [];
            AddCandidates(key, Entities.CandidateKinds.Group, task.CandidateGroups, candidateTasks, candidateKinds, candidateValues);
            AddCandidates(key, Entities.CandidateKinds.User, task.CandidateUsers, candidateTasks, candidateKinds, candidateValues);
        }

        if (candidateTasks is { Count: > 0 })
        {
            batch.BatchCommands.Add(Command(
                InsertCandidatesSql,
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = candidateTasks.ToArray() },
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = candidateKinds!.ToArray() },
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = candidateValues!.ToArray() }));
        }

        if (_audit.Count > 0)
        {
            batch.BatchCommands.Add(AuditCommand());
        }

        if (batch.BatchCommands.Count == 0)
        {
            return;
        }

        await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
        foreach (var (command, table, key, revision) in guarded)
        {
            if (command.RecordsAffected != 1)
            {
                throw new Persistence.ConcurrencyConflictException(table, key, revision,
                    new InvalidOperationException($"UPDATE {table} WHERE key = {key} AND revision = {revision} matched no row."));
            }
        }

        // Written: what this unit holds now is the stored row, at its next revision.
        foreach (var entry in _instances.Values)
        {
            if (entry.Pending is not null)
            {
                entry.Revision = entry.Exists ? entry.Revision + 1 : 1;
                entry.Exists = true;
                entry.Json = entry.PendingJson;
                entry.Pending = null;
                entry.PendingJson = null;
            }
        }

        foreach (var entry in _tasks.Values)
        {
            if (entry.Dirty)
            {
                entry.Revision = entry.Exists ? entry.Revision + 1 : 1;
                entry.Exists = true;
                entry.Dirty = false;
            }
        }
    }

    private NpgsqlBatchCommand AuditCommand()
    {
        var count = _audit.Count;
        var instanceKeys = new long?[count];
        var elementIds = new string?[count];
        var elementInstanceKeys = new long?[count];
        var kinds = new string[count];
        var actors = new string?[count];
        var ats = new DateTimeOffset[count];
        var details = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var e = _audit[i];
            instanceKeys[i] = e.InstanceKey;
            elementIds[i] = e.ElementId;
            elementInstanceKeys[i] = e.ElementInstanceKey;
            kinds[i] = e.Kind;
            actors[i] = e.Actor;
            ats[i] = e.At.ToUniversalTime();
            details[i] = e.Details?.ToJsonString();
        }

        _audit.Clear();
        return Command(
            InsertAuditSql,
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = instanceKeys },
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = elementIds },
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = elementInstanceKeys },
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = kinds },
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = actors },
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Value = ats },
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = details });
    }

    private static void AddCandidates(long taskKey, string kind, IReadOnlyList<string> values, List<long> tasks, List<string> kinds, List<string> texts)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            var seen = false;
            for (var j = 0; j < i && !seen; j++)
            {
                seen = string.Equals(values[j], value, StringComparison.Ordinal);
            }

            if (!seen)
            {
                tasks.Add(taskKey);
                kinds.Add(kind);
                texts.Add(value);
            }
        }
    }

    private static UserTaskRecord ReadTask(NpgsqlDataReader reader, long key) => new()
    {
        Key = key,
        InstanceKey = reader.GetInt64(0),
        ElementInstanceKey = reader.GetInt64(1),
        ElementId = reader.GetString(2),
        Name = NullableString(reader, 3),
        ProcessId = reader.GetString(4),
        DefinitionKey = reader.GetInt64(5),
        DefinitionVersion = reader.GetInt32(6),
        BusinessKey = NullableString(reader, 7),
        State = reader.GetString(8) switch
        {
            "CREATED" => TaskState.Created,
            "COMPLETED" => TaskState.Completed,
            _ => TaskState.Canceled,
        },
        Assignee = NullableString(reader, 9),
        CandidateGroups = SplitList(NullableString(reader, 10)),
        CandidateUsers = SplitList(NullableString(reader, 11)),
        DueDate = NullableTimestamp(reader, 12),
        FollowUpDate = NullableTimestamp(reader, 13),
        Priority = reader.GetInt32(14),
        FormId = NullableString(reader, 15),
        Headers = ReadMap(NullableString(reader, 16)),
        Properties = ReadMap(NullableString(reader, 17)),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(18),
        ClaimedAt = NullableTimestamp(reader, 19),
        CompletedAt = NullableTimestamp(reader, 20),
        CompletedBy = NullableString(reader, 21),
    };

    /// <summary>The engine may change a record it was handed; this unit keeps its own copy of what is (to be) stored.</summary>
    private static UserTaskRecord Copy(UserTaskRecord t) => new()
    {
        Key = t.Key,
        InstanceKey = t.InstanceKey,
        ElementInstanceKey = t.ElementInstanceKey,
        ElementId = t.ElementId,
        Name = t.Name,
        ProcessId = t.ProcessId,
        DefinitionKey = t.DefinitionKey,
        DefinitionVersion = t.DefinitionVersion,
        BusinessKey = t.BusinessKey,
        State = t.State,
        Assignee = t.Assignee,
        CandidateGroups = t.CandidateGroups,
        CandidateUsers = t.CandidateUsers,
        DueDate = t.DueDate,
        FollowUpDate = t.FollowUpDate,
        Priority = t.Priority,
        FormId = t.FormId,
        Headers = t.Headers,
        Properties = t.Properties,
        CreatedAt = t.CreatedAt,
        ClaimedAt = t.ClaimedAt,
        CompletedAt = t.CompletedAt,
        CompletedBy = t.CompletedBy,
    };

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? NullableTimestamp(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    // The same spellings as the EF mapping (UpperCaseEnumConverter, EfWorkflowStore's CopyInto).
    private static string InstanceStateText(InstanceStatus status) => status switch
    {
        InstanceStatus.Active => "ACTIVE",
        InstanceStatus.Completed => "COMPLETED",
        _ => "TERMINATED",
    };

    private static string TaskStateText(TaskState state) => state switch
    {
        TaskState.Created => "CREATED",
        TaskState.Completed => "COMPLETED",
        _ => "CANCELED",
    };

    private static string? JoinList(IReadOnlyList<string> values) => values.Count == 0 ? null : string.Join(',', values);

    private static string[] SplitList(string? list) => list is null ? [] : list.Split(',');

    private static string? JsonMap(IReadOnlyDictionary<string, string> map) =>
        map.Count == 0 ? null : JsonSerializer.Serialize(map, PersistenceJson.Default.IReadOnlyDictionaryStringString);

    private static IReadOnlyDictionary<string, string> ReadMap(string? json) =>
        json is null
            ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize(json, PersistenceJson.Default.IReadOnlyDictionaryStringString) ?? new Dictionary<string, string>();

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Bigint(long value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = value };

    private static NpgsqlParameter Bigint(long? value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = value is { } v ? v : DBNull.Value };

    private static NpgsqlParameter Int(int value) => new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = value };

    private static NpgsqlParameter Bool(bool value) => new() { NpgsqlDbType = NpgsqlDbType.Boolean, Value = value };

    private static NpgsqlParameter Timestamp(DateTimeOffset value) => new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value.ToUniversalTime() };

    private static NpgsqlParameter Timestamp(DateTimeOffset? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value is { } v ? v.ToUniversalTime() : DBNull.Value };

    private sealed class InstanceEntry
    {
        /// <summary>The stored document as read (or as last written by this unit); null for one started here.</summary>
        public string? Json { get; set; }

        public int Revision { get; set; }

        public bool Exists { get; set; }

        public InstanceState? Pending { get; set; }

        public string? PendingJson { get; set; }
    }

    private sealed class TaskEntry
    {
        public required UserTaskRecord Record { get; set; }

        public int Revision { get; set; }

        public bool Exists { get; set; }

        public bool Dirty { get; set; }
    }
}
