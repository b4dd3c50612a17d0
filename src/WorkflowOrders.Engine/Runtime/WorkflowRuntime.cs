using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Engine.Ports;

namespace WorkflowOrders.Engine.Runtime;

/// <summary>A file to deploy: a .bpmn definition or a .form task form.</summary>
public sealed record DeploymentResource(string Name, string Content);

public sealed record DeploymentResult(long DeploymentKey, IReadOnlyList<ProcessDefinition> Definitions, IReadOnlyList<FormRecord> Forms);

public sealed record PublishResult(long MessageKey, IReadOnlyList<long> CorrelatedInstances);

/// <summary>
/// Runs engine commands against a store: loads the instances a command touches, applies the engine's intents
/// (rows, jobs, other instances — child processes, parents, buffered messages) and commits it all in one unit of work.
/// A command that meets a concurrent writer is retried on fresh state; commands re-check everything, so a retry
/// either succeeds or is rejected with the reason (e.g. "already completed by …").
/// </summary>
public sealed class WorkflowRuntime(WorkflowEngine engine, IWorkflowStore store, IEnumerable<IUserTaskObserver>? taskObservers = null)
{
    private const int MaxConflictRetries = 5;

    private readonly IUserTaskObserver[] _taskObservers = taskObservers?.ToArray() ?? [];

    public WorkflowEngine Engine { get; } = engine;

    public IWorkflowStore Store { get; } = store;

    private DateTimeOffset Now => Engine.Services.Time.GetUtcNow();

    // ------------------------------------------------------------------ deployment

    /// <summary>
    /// Deploys definitions and forms atomically. A file whose content equals the latest version of its process (or form)
    /// does not create a new version. Throws <see cref="BpmnValidationException"/> with every problem of every file.
    /// </summary>
    public Task<DeploymentResult> DeployAsync(IReadOnlyList<DeploymentResource> resources, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var documents = new List<(DeploymentResource Resource, BpmnDocument Document)>();
        var forms = new List<(DeploymentResource Resource, string FormId)>();
        var problems = new List<BpmnProblem>();
        foreach (var resource in resources)
        {
            if (resource.Name.EndsWith(".bpmn", StringComparison.OrdinalIgnoreCase) || resource.Name.EndsWith(".bpmn20.xml", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    documents.Add((resource, BpmnLoader.Load(resource.Content)));
                }
                catch (BpmnValidationException e)
                {
                    problems.AddRange(e.Problems.Select(p => p with { Message = $"{resource.Name}: {p.Message}" }));
                }
            }
            else if (resource.Name.EndsWith(".form", StringComparison.OrdinalIgnoreCase))
            {
                var formId = ReadFormId(resource, problems);
                if (formId is not null)
                {
                    forms.Add((resource, formId));
                }
            }
            else
            {
                problems.Add(BpmnProblem.Error(null, null, null, $"{resource.Name}: only .bpmn process definitions and .form task forms can be deployed."));
            }
        }

        if (problems.Count > 0)
        {
            throw new BpmnValidationException(problems);
        }

        return RunAsync(async session =>
        {
            var uow = session.UnitOfWork;
            var deploymentKey = Engine.Services.Keys.Next();
            var deployed = new List<ProcessDefinition>();
            var deployedForms = new List<FormRecord>();
            foreach (var (resource, document) in documents)
            {
                foreach (var process in document.Processes.Where(p => p.IsExecutable))
                {
                    var hash = Hash(process.Id + "\n" + resource.Content);
                    var latest = await uow.FindLatestDefinitionAsync(process.Id).ConfigureAwait(false);
                    if (latest is not null && latest.ContentHash == hash)
                    {
                        deployed.Add(latest);
                        continue;
                    }

                    var definition = new ProcessDefinition
                    {
                        Key = Engine.Services.Keys.Next(),
                        ProcessId = process.Id,
                        Version = (latest?.Version ?? 0) + 1,
                        Model = process,
                        Xml = resource.Content,
                        ResourceName = resource.Name,
                        ContentHash = hash,
                        DeploymentKey = deploymentKey,
                        DeployedAt = Now,
                        DeployedBy = actor,
                    };
                    await uow.AddDefinitionAsync(definition).ConfigureAwait(false);
                    session.Audit(new AuditEvent(null, AuditKinds.DefinitionDeployed, process.Id, null, actor, Now, new JsonObject
                    {
                        ["processId"] = process.Id,
                        ["version"] = definition.Version,
                        ["definitionKey"] = definition.Key.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["resourceName"] = resource.Name,
                    }));
                    deployed.Add(definition);
                }
            }

            foreach (var (resource, formId) in forms)
            {
                var hash = Hash(resource.Content);
                var latest = await uow.FindLatestFormAsync(formId).ConfigureAwait(false);
                if (latest is not null && latest.ContentHash == hash)
                {
                    deployedForms.Add(latest);
                    continue;
                }

                var form = new FormRecord
                {
                    Key = Engine.Services.Keys.Next(),
                    FormId = formId,
                    Version = (latest?.Version ?? 0) + 1,
                    Schema = resource.Content,
                    ResourceName = resource.Name,
                    ContentHash = hash,
                    DeploymentKey = deploymentKey,
                    DeployedAt = Now,
                    DeployedBy = actor,
                };
                await uow.AddFormAsync(form).ConfigureAwait(false);
                session.Audit(new AuditEvent(null, AuditKinds.FormDeployed, formId, null, actor, Now, new JsonObject
                {
                    ["formId"] = formId,
                    ["version"] = form.Version,
                    ["resourceName"] = resource.Name,
                }));
                deployedForms.Add(form);
            }

            return new DeploymentResult(deploymentKey, deployed, deployedForms);
        }, cancellationToken);
    }

    private static string? ReadFormId(DeploymentResource resource, List<BpmnProblem> problems)
    {
        try
        {
            var json = JsonNode.Parse(resource.Content);
            if (json?["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String && id.GetValue<string>().Length > 0)
            {
                return id.GetValue<string>();
            }

            problems.Add(BpmnProblem.Error(null, "form", null, $"{resource.Name}: the form has no \"id\"; set one so user tasks can link it with zeebe:formDefinition formId."));
        }
        catch (JsonException e)
        {
            problems.Add(BpmnProblem.Error(null, "form", null, $"{resource.Name}: the form is not valid JSON: {e.Message}"));
        }

        return null;
    }

    private static string Hash(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    // ------------------------------------------------------------------ instances

    /// <summary>Starts the latest (or the given) version of a process.</summary>
    public Task<InstanceState> StartInstanceAsync(string processId, JsonObject? variables, string? businessKey = null, string? actor = null, int? version = null, CancellationToken cancellationToken = default) =>
        RunAsync((processId, variables, businessKey, actor, version), static async (session, args) =>
        {
            var (processId, variables, businessKey, actor, version) = args;
            var definition = version is null
                ? await session.UnitOfWork.FindLatestDefinitionAsync(processId).ConfigureAwait(false)
                : await session.UnitOfWork.FindDefinitionVersionAsync(processId, version.Value).ConfigureAwait(false);
            if (definition is null)
            {
                throw CommandRejectedException.NotFound(version is null
                    ? $"No process definition with id '{processId}' is deployed."
                    : $"Process '{processId}' has no version {version}.");
            }

            return await session.StartAsync(definition, variables, businessKey, actor).ConfigureAwait(false);
        }, cancellationToken);

    public Task<InstanceState> StartInstanceByKeyAsync(long definitionKey, JsonObject? variables, string? businessKey = null, string? actor = null, CancellationToken cancellationToken = default) =>
        RunAsync(async session =>
        {
            var definition = await session.UnitOfWork.FindDefinitionAsync(definitionKey).ConfigureAwait(false)
                ?? throw CommandRejectedException.NotFound($"No process definition with key {definitionKey} is deployed.");
            return await session.StartAsync(definition, variables, businessKey, actor).ConfigureAwait(false);
        }, cancellationToken);

    public Task CancelInstanceAsync(long instanceKey, string? actor, CancellationToken cancellationToken = default) =>
        RunAsync(async session =>
        {
            var (definition, state) = await session.RequireInstanceAsync(instanceKey).ConfigureAwait(false);
            Engine.Cancel(definition, state, actor, session.Intents);
            return true;
        }, cancellationToken);

    public Task SetVariablesAsync(long instanceKey, JsonObject variables, string? actor, CancellationToken cancellationToken = default) =>
        RunAsync(async session =>
        {
            var (definition, state) = await session.RequireInstanceAsync(instanceKey).ConfigureAwait(false);
            Engine.SetVariables(definition, state, variables, actor, session.Intents);
            return true;
        }, cancellationToken);

    public Task ResolveIncidentAsync(long incidentKey, string? actor, CancellationToken cancellationToken = default) =>
        RunAsync(async session =>
        {
            var incident = await session.UnitOfWork.FindIncidentAsync(incidentKey).ConfigureAwait(false);
            if (incident is null || incident.State != IncidentState.Active)
            {
                throw CommandRejectedException.NotFound(incident is null
                    ? $"Incident {incidentKey} was not found."
                    : $"Incident {incidentKey} was already resolved{(incident.ResolvedBy is null ? "" : $" by {incident.ResolvedBy}")}.");
            }

            var (definition, state) = await session.RequireInstanceAsync(incident.InstanceKey).ConfigureAwait(false);
            Engine.ResolveIncident(definition, state, incidentKey, actor, session.Intents);
            return true;
        }, cancellationToken);

    // ------------------------------------------------------------------ user tasks

    /// <summary>Completes a user task; a task already completed or canceled is refused with who and when.</summary>
    public Task CompleteUserTaskAsync(long taskKey, JsonObject? variables, string? actor, CancellationToken cancellationToken = default) =>
        RunAsync((taskKey, variables, actor), static async (session, args) =>
        {
            var (taskKey, variables, actor) = args;
            var task = await RequireOpenTaskAsync(session.UnitOfWork, taskKey, "complete").ConfigureAwait(false);
            var (definition, state) = await session.RequireInstanceAsync(task.InstanceKey).ConfigureAwait(false);
            session.Engine.CompleteUserTask(definition, state, task.ElementInstanceKey, variables, actor, session.Intents);
            return true;
        }, cancellationToken);

    /// <summary>Assigns (claims, hands over) or, with a null assignee, unassigns a user task.</summary>
    public Task<UserTaskRecord> AssignUserTaskAsync(long taskKey, string? assignee, string? actor, bool allowOverride = true, CancellationToken cancellationToken = default) =>
        RunAsync(async session =>
        {
            var task = await RequireOpenTaskAsync(session.UnitOfWork, taskKey, assignee is null ? "unassign" : "assign").ConfigureAwait(false);
            if (!allowOverride && assignee is not null && task.Assignee is not null && task.Assignee != assignee)
            {
                throw CommandRejectedException.InvalidState($"User task {taskKey} has already been assigned to {task.Assignee}.");
            }

            if (task.Assignee == assignee)
            {
                return task;
            }

            var previous = task.Assignee;
            task.Assignee = assignee;
            task.ClaimedAt = assignee is null ? null : Now;
            await session.UnitOfWork.UpdateUserTaskAsync(task).ConfigureAwait(false);
            foreach (var observer in _taskObservers)
            {
                await observer.OnAssignedAsync(task, previous, session.UnitOfWork).ConfigureAwait(false);
            }
            session.Audit(WorkflowEngine.AssignmentAudit(task, assignee, actor, Now));
            return task;
        }, cancellationToken);

    private static async ValueTask<UserTaskRecord> RequireOpenTaskAsync(IWorkflowUnitOfWork uow, long taskKey, string action)
    {
        var task = await uow.FindUserTaskAsync(taskKey).ConfigureAwait(false)
            ?? throw CommandRejectedException.NotFound($"Expected to {action} user task with key '{taskKey}', but no such user task was found.");
        return task.State switch
        {
            UserTaskState.Created => task,
            UserTaskState.Completed => throw CommandRejectedException.NotFound(
                $"Expected to {action} user task with key '{taskKey}', but it was already completed{(task.CompletedBy is null ? "" : $" by {task.CompletedBy}")}{(task.CompletedAt is null ? "" : $" at {task.CompletedAt:yyyy-MM-dd HH:mm} UTC")}."),
            _ => throw CommandRejectedException.NotFound($"Expected to {action} user task with key '{taskKey}', but it was canceled (its step ended another way)."),
        };
    }

    // ------------------------------------------------------------------ messages

    /// <summary>
    /// Publishes a message: it correlates with every waiting subscription of that name and key (once per instance),
    /// starts processes with a matching message start event, and — with a time-to-live — waits for subscriptions
    /// opened later.
    /// </summary>
    public Task<PublishResult> PublishMessageAsync(string name, string? correlationKey, JsonObject? variables, TimeSpan timeToLive, string? messageId = null, CancellationToken cancellationToken = default) =>
        RunAsync(session => PublishMessageInAsync(session, name, correlationKey, variables, timeToLive, messageId), cancellationToken);

    /// <summary>
    /// Publishes a message inside a unit of work someone else commits — a send task's job: the message's effects
    /// (correlations, started instances, the buffered copy) commit or roll back together with the job.
    /// </summary>
    public Task<PublishResult> PublishMessageAsync(IWorkflowUnitOfWork unitOfWork, string name, string? correlationKey, JsonObject? variables, TimeSpan timeToLive, string? messageId = null) =>
        RunInAsync(unitOfWork, session => PublishMessageInAsync(session, name, correlationKey, variables, timeToLive, messageId));

    private async ValueTask<PublishResult> PublishMessageInAsync(Session session, string name, string? correlationKey, JsonObject? variables, TimeSpan timeToLive, string? messageId)
    {
        ValidateMessageName(name);
        var key = correlationKey ?? "";
        if (messageId is not null && await session.UnitOfWork.BufferedMessageIdExistsAsync(messageId, Now).ConfigureAwait(false))
        {
            throw new CommandRejectedException(RejectionCodes.AlreadyExists, $"A message with id '{messageId}' was already published and is still buffered.");
        }

        var correlated = await session.CorrelateAsync(name, key, variables, onlyFirst: false).ConfigureAwait(false);
        correlated.AddRange(await session.StartByMessageAsync(name, key, variables).ConfigureAwait(false));
        var messageKey = Engine.Services.Keys.Next();
        if (timeToLive > TimeSpan.Zero)
        {
            await session.UnitOfWork.AddBufferedMessageAsync(new BufferedMessage
            {
                Key = messageKey,
                Name = name,
                CorrelationKey = key,
                Variables = variables is null ? null : (JsonObject)variables.DeepClone(),
                MessageId = messageId,
                PublishedAt = Now,
                ExpiresAt = Now + timeToLive,
                CorrelatedInstances = [.. correlated],
            }).ConfigureAwait(false);
        }

        return new PublishResult(messageKey, correlated);
    }

    /// <summary>Correlates a message with the first waiting subscription (not buffered); NOT_FOUND when nothing waits.</summary>
    public Task<PublishResult> CorrelateMessageAsync(string name, string? correlationKey, JsonObject? variables, CancellationToken cancellationToken = default) =>
        RunAsync(async session =>
        {
            ValidateMessageName(name);
            var correlated = await session.CorrelateAsync(name, correlationKey ?? "", variables, onlyFirst: true).ConfigureAwait(false);
            if (correlated.Count == 0)
            {
                correlated.AddRange(await session.StartByMessageAsync(name, correlationKey ?? "", variables).ConfigureAwait(false));
            }

            if (correlated.Count == 0)
            {
                throw CommandRejectedException.NotFound($"No process instance waits for message '{name}' with correlation key '{correlationKey}'.");
            }

            return new PublishResult(Engine.Services.Keys.Next(), correlated);
        }, cancellationToken);

    private static void ValidateMessageName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw CommandRejectedException.InvalidArgument("A message needs a name.");
        }
    }

    // ------------------------------------------------------------------ jobs (called by job executors)

    /// <summary>Fires the timer behind a job. False when the timer no longer exists (its element ended) — nothing changes.</summary>
    public Task<bool> FireTimerAsync(long jobKey, CancellationToken cancellationToken = default) =>
        RunAsync(session => FireTimerInAsync(session, jobKey), cancellationToken);

    /// <param name="actor">Who fires it (the job executor's node id), recorded in the audit trail.</param>
    public Task<bool> FireTimerAsync(IWorkflowUnitOfWork unitOfWork, long jobKey, string? actor = null) =>
        RunInAsync(unitOfWork, session => FireTimerInAsync(session, jobKey, actor));

    private async ValueTask<bool> FireTimerInAsync(Session session, long jobKey, string? actor = null)
    {
        var job = await session.UnitOfWork.FindJobAsync(jobKey).ConfigureAwait(false);
        if (job is null || job.SubscriptionKey is null)
        {
            return false;
        }

        var loaded = await session.LoadAsync(job.InstanceKey).ConfigureAwait(false);
        if (loaded is null)
        {
            await session.UnitOfWork.RemoveJobAsync(jobKey).ConfigureAwait(false);
            return false;
        }

        var (definition, state) = loaded.Value;
        await session.UnitOfWork.RemoveJobAsync(jobKey).ConfigureAwait(false);
        if (state.Status != InstanceStatus.Active)
        {
            return false;
        }

        return Engine.FireTimer(definition, state, job.SubscriptionKey.Value, session.Intents, actor);
    }

    /// <summary>Runs the task handler behind a job's outcome: completion, a BPMN error, or (after the last retry) an incident.</summary>
    public Task<bool> ApplyTaskOutcomeAsync(IWorkflowUnitOfWork unitOfWork, long jobKey, TaskOutcome outcome, string? actor = null) =>
        RunInAsync(unitOfWork, session => ApplyTaskOutcomeInAsync(session, jobKey, outcome, actor));

    public Task<bool> ApplyTaskOutcomeAsync(long jobKey, TaskOutcome outcome, string? actor = null, CancellationToken cancellationToken = default) =>
        RunAsync(session => ApplyTaskOutcomeInAsync(session, jobKey, outcome, actor), cancellationToken);

    private async ValueTask<bool> ApplyTaskOutcomeInAsync(Session session, long jobKey, TaskOutcome outcome, string? actor)
    {
        var job = await session.UnitOfWork.FindJobAsync(jobKey).ConfigureAwait(false);
        if (job is null)
        {
            return false;
        }

        var loaded = await session.LoadAsync(job.InstanceKey).ConfigureAwait(false);
        await session.UnitOfWork.RemoveJobAsync(jobKey).ConfigureAwait(false);
        if (loaded is null || loaded.Value.State.Status != InstanceStatus.Active || !loaded.Value.State.Elements.Exists(e => e.JobKey == jobKey && e.Wait == WaitKind.Job))
        {
            return false;
        }

        var (definition, state) = loaded.Value;
        switch (outcome)
        {
            case TaskOutcome.Completed completed:
                Engine.CompleteJob(definition, state, jobKey, completed.Variables, actor, session.Intents);
                break;
            case TaskOutcome.BpmnError error:
                Engine.ThrowError(definition, state, jobKey, error.ErrorCode, error.Message, actor, session.Intents);
                break;
            case TaskOutcome.Failed failed:
                Engine.FailJob(definition, state, jobKey, failed.Message, actor, session.Intents);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome));
        }

        return true;
    }

    /// <summary>The variables a task handler sees: the instance's root variables overlaid with the element's inputs.</summary>
    public static async ValueTask<(JsonObject Variables, string? BusinessKey)?> ReadJobVariablesAsync(IWorkflowUnitOfWork unitOfWork, JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        ArgumentNullException.ThrowIfNull(job);
        var state = await unitOfWork.LoadInstanceAsync(job.InstanceKey).ConfigureAwait(false);
        if (state is null)
        {
            return null;
        }

        var variables = (JsonObject)state.Variables.DeepClone();
        var element = state.FindElement(job.ElementInstanceKey);
        if (element?.Local is not null)
        {
            foreach (var (name, value) in element.Local)
            {
                variables[name] = value?.DeepClone();
            }
        }

        return (variables, state.BusinessKey);
    }

    // ------------------------------------------------------------------ the unit-of-work loop

    /// <summary>Runs a command in its own unit of work, retrying on a concurrent write.</summary>
    public Task<T> RunAsync<T>(Func<Session, ValueTask<T>> command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        return RunAsync(command, static (session, command) => command(session), cancellationToken);
    }

    /// <summary>
    /// Runs a command in its own unit of work, retrying on a concurrent write; <paramref name="state"/> is handed to the
    /// command, so a static lambda can serve every call (no closure and delegate per command on the hot paths).
    /// </summary>
    public async Task<T> RunAsync<TState, T>(TState state, Func<Session, TState, ValueTask<T>> command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        for (var attempt = 1; ; attempt++)
        {
            var uow = await Store.BeginAsync(cancellationToken).ConfigureAwait(false);
            await using (uow.ConfigureAwait(false))
            {
                try
                {
                    var session = new Session(this, uow);
                    var result = await command(session, state).ConfigureAwait(false);
                    await session.FlushAsync().ConfigureAwait(false);
                    await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return result;
                }
                catch (ConcurrencyConflictException) when (attempt < MaxConflictRetries)
                {
                    // Fresh state on the next attempt; the command re-checks everything.
                }
            }
        }
    }

    /// <summary>Runs a command inside a unit of work someone else commits (e.g. the job executor's transaction).</summary>
    public async Task<T> RunInAsync<T>(IWorkflowUnitOfWork unitOfWork, Func<Session, ValueTask<T>> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var session = new Session(this, unitOfWork);
        var result = await command(session).ConfigureAwait(false);
        await session.FlushAsync().ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// The instances one command touched and the intents still to apply. Applying an intent may run further engine
    /// commands (a child starts, a parent continues, a buffered message arrives); all of it lands in the same unit of work.
    /// </summary>
    public sealed class Session
    {
        private const int MaxIntents = 200_000;

        private readonly WorkflowRuntime _runtime;
        private readonly TouchedInstances _instances = new();
        private List<AuditEvent> _audit = [];
        private int _applied;

        internal Session(WorkflowRuntime runtime, IWorkflowUnitOfWork unitOfWork)
        {
            _runtime = runtime;
            UnitOfWork = unitOfWork;
        }

        public IWorkflowUnitOfWork UnitOfWork { get; }

        /// <summary>Intents produced so far; engine commands append, <see cref="FlushAsync"/> applies.</summary>
        public List<EngineIntent> Intents { get; } = [];

        internal WorkflowEngine Engine => _runtime.Engine;

        public void Audit(AuditEvent auditEvent) => _audit.Add(auditEvent);

        public async ValueTask<(ProcessDefinition Definition, InstanceState State)?> LoadAsync(long instanceKey)
        {
            if (_instances.TryGetValue(instanceKey, out var known))
            {
                return (known.Definition, known.State);
            }

            var state = await UnitOfWork.LoadInstanceAsync(instanceKey).ConfigureAwait(false);
            if (state is null)
            {
                return null;
            }

            var definition = await UnitOfWork.FindDefinitionAsync(state.DefinitionKey).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Process instance {instanceKey} refers to definition {state.DefinitionKey}, which is missing.");
            _instances[instanceKey] = (definition, state, false);
            return (definition, state);
        }

        public async ValueTask<(ProcessDefinition Definition, InstanceState State)> RequireInstanceAsync(long instanceKey)
        {
            var loaded = await LoadAsync(instanceKey).ConfigureAwait(false)
                ?? throw CommandRejectedException.NotFound($"Process instance {instanceKey} was not found.");
            if (loaded.State.Status != InstanceStatus.Active)
            {
                throw CommandRejectedException.NotFound($"Process instance {instanceKey} is already {loaded.State.Status.ToString().ToUpperInvariant()}.");
            }

            return loaded;
        }

        public ValueTask<InstanceState> StartAsync(ProcessDefinition definition, JsonObject? variables, string? businessKey, string? actor, long? key = null, long? parentKey = null, long? parentElementKey = null, string? startElementId = null)
        {
            var state = Engine.Start(definition, variables, Intents, businessKey, actor, key, parentKey, parentElementKey, startElementId);
            _instances[state.Key] = (definition, state, true);
            return ValueTask.FromResult(state);
        }

        /// <summary>Correlates with waiting subscriptions, at most one per instance; returns the instances reached.</summary>
        internal async ValueTask<List<long>> CorrelateAsync(string name, string correlationKey, JsonObject? variables, bool onlyFirst)
        {
            await FlushIntentsAsync().ConfigureAwait(false);
            var reached = new List<long>();
            var subscriptions = await UnitOfWork.FindMessageSubscriptionsAsync(name, correlationKey).ConfigureAwait(false);
            foreach (var sub in subscriptions.OrderBy(s => s.Key))
            {
                if (reached.Contains(sub.InstanceKey))
                {
                    continue;
                }

                var loaded = await LoadAsync(sub.InstanceKey).ConfigureAwait(false);
                if (loaded is null)
                {
                    continue;
                }

                if (Engine.CorrelateMessage(loaded.Value.Definition, loaded.Value.State, sub.Key, variables, Intents))
                {
                    reached.Add(sub.InstanceKey);
                    await FlushIntentsAsync().ConfigureAwait(false);
                    if (onlyFirst)
                    {
                        break;
                    }
                }
            }

            return reached;
        }

        internal async ValueTask<List<long>> StartByMessageAsync(string name, string correlationKey, JsonObject? variables)
        {
            var started = new List<long>();
            foreach (var definition in await UnitOfWork.LatestDefinitionsAsync().ConfigureAwait(false))
            {
                var start = definition.Model.MessageStartEvents.FirstOrDefault(s => s.Message?.Name.StaticValue == name);
                if (start is null)
                {
                    continue;
                }

                var state = await StartAsync(definition, variables, correlationKey.Length > 0 ? correlationKey : null, null, startElementId: start.Id).ConfigureAwait(false);
                started.Add(state.Key);
            }

            return started;
        }

        /// <summary>Applies every pending intent (which may add more), then saves the touched instances and the audit trail.</summary>
        public async ValueTask FlushAsync()
        {
            await FlushIntentsAsync().ConfigureAwait(false);
            for (var i = 0; i < _instances.Count; i++)
            {
                var (_, state, isNew) = _instances[i];
                await UnitOfWork.SaveInstanceAsync(state, isNew).ConfigureAwait(false);
            }

            _instances.Clear();
            if (_audit.Count > 0)
            {
                // Handed over, not copied: the session starts a new list for anything after this flush.
                var events = _audit;
                _audit = [];
                await UnitOfWork.AddAuditEventsAsync(events).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// The instances a session loaded or started, in that order (they are saved in it). Almost every command touches
        /// one or two, so a list searched from the end beats a dictionary; an index is built only for sessions that
        /// reach many (a message correlated with hundreds of instances).
        /// </summary>
        private sealed class TouchedInstances
        {
            private const int IndexFrom = 16;

            private readonly List<(ProcessDefinition Definition, InstanceState State, bool IsNew)> _list = new(2);
            private Dictionary<long, int>? _index;

            public int Count => _list.Count;

            public (ProcessDefinition Definition, InstanceState State, bool IsNew) this[int position] => _list[position];

            public bool TryGetValue(long key, out (ProcessDefinition Definition, InstanceState State, bool IsNew) value)
            {
                var position = Find(key);
                value = position < 0 ? default : _list[position];
                return position >= 0;
            }

            public (ProcessDefinition Definition, InstanceState State, bool IsNew) this[long key]
            {
                set
                {
                    var position = Find(key);
                    if (position >= 0)
                    {
                        _list[position] = value;
                        return;
                    }

                    _list.Add(value);
                    if (_index is not null)
                    {
                        _index[key] = _list.Count - 1;
                    }
                    else if (_list.Count >= IndexFrom)
                    {
                        _index = new Dictionary<long, int>(_list.Count * 2);
                        for (var i = 0; i < _list.Count; i++)
                        {
                            _index[_list[i].State.Key] = i;
                        }
                    }
                }
            }

            public void Clear()
            {
                _list.Clear();
                _index = null;
            }

            private int Find(long key)
            {
                if (_index is not null)
                {
                    return _index.TryGetValue(key, out var position) ? position : -1;
                }

                for (var i = _list.Count - 1; i >= 0; i--)
                {
                    if (_list[i].State.Key == key)
                    {
                        return i;
                    }
                }

                return -1;
            }
        }

        private async ValueTask FlushIntentsAsync()
        {
            while (_applied < Intents.Count)
            {
                if (_applied > MaxIntents)
                {
                    throw new InvalidOperationException("A command produced more follow-up work than one transaction may hold; a call activity may be calling itself.");
                }

                var intent = Intents[_applied++];
                await ApplyAsync(intent).ConfigureAwait(false);
            }
        }

        private async ValueTask ApplyAsync(EngineIntent intent)
        {
            var uow = UnitOfWork;
            switch (intent)
            {
                case AuditRecorded a:
                    _audit.Add(a.Event);
                    break;
                case UserTaskCreated c:
                    await uow.AddUserTaskAsync(c.Task).ConfigureAwait(false);
                    foreach (var observer in _runtime._taskObservers)
                    {
                        await observer.OnCreatedAsync(c.Task, _instances.TryGetValue(c.Task.InstanceKey, out var held) ? held.State : null, uow).ConfigureAwait(false);
                    }

                    break;
                case UserTaskEnded e:
                    {
                        var task = await uow.FindUserTaskAsync(e.TaskKey).ConfigureAwait(false);
                        if (task is not null)
                        {
                            task.State = e.State;
                            task.CompletedAt = e.At;
                            task.CompletedBy = e.State == UserTaskState.Completed ? e.Actor : null;
                            await uow.UpdateUserTaskAsync(task).ConfigureAwait(false);
                            foreach (var observer in _runtime._taskObservers)
                            {
                                await observer.OnEndedAsync(task, uow).ConfigureAwait(false);
                            }
                        }

                        break;
                    }

                case JobCreated j:
                    await uow.AddJobAsync(j.Job).ConfigureAwait(false);
                    break;
                case JobCanceled j:
                    await uow.RemoveJobAsync(j.JobKey).ConfigureAwait(false);
                    break;
                case JobRescheduled j:
                    await uow.RescheduleJobAsync(j.JobKey, j.DueAt).ConfigureAwait(false);
                    break;
                case MessageSubscriptionOpened m:
                    await uow.AddMessageSubscriptionAsync(m.Subscription).ConfigureAwait(false);
                    await DeliverBufferedAsync(m.Subscription).ConfigureAwait(false);
                    break;
                case MessageSubscriptionClosed m:
                    await uow.RemoveMessageSubscriptionAsync(m.SubscriptionKey).ConfigureAwait(false);
                    break;
                case IncidentCreated i:
                    await uow.AddIncidentAsync(i.Incident).ConfigureAwait(false);
                    break;
                case IncidentResolved i:
                    {
                        var incident = await uow.FindIncidentAsync(i.IncidentKey).ConfigureAwait(false);
                        if (incident is not null)
                        {
                            incident.State = IncidentState.Resolved;
                            incident.ResolvedAt = i.At;
                            incident.ResolvedBy = i.Actor;
                            await uow.UpdateIncidentAsync(incident).ConfigureAwait(false);
                        }

                        break;
                    }

                case ChildInstanceRequested r:
                    await StartChildAsync(r).ConfigureAwait(false);
                    break;
                case ChildInstanceCompleted c:
                    {
                        var parent = await LoadAsync(c.ParentInstanceKey).ConfigureAwait(false);
                        if (parent is { State.Status: InstanceStatus.Active })
                        {
                            Engine.CompleteCallActivity(parent.Value.Definition, parent.Value.State, c.ParentElementInstanceKey, c.Variables, Intents);
                        }

                        break;
                    }

                case ChildInstanceCancelRequested c:
                    {
                        var child = await LoadAsync(c.ChildKey).ConfigureAwait(false);
                        if (child is { State.Status: InstanceStatus.Active })
                        {
                            Engine.Cancel(child.Value.Definition, child.Value.State, c.Actor, Intents);
                        }

                        break;
                    }

                default:
                    throw new InvalidOperationException($"Unknown intent {intent.GetType().Name}.");
            }
        }

        private async ValueTask StartChildAsync(ChildInstanceRequested request)
        {
            var definition = await UnitOfWork.FindLatestDefinitionAsync(request.ProcessId).ConfigureAwait(false);
            var parent = await LoadAsync(request.ParentInstanceKey).ConfigureAwait(false);
            if (parent is null)
            {
                return;
            }

            if (definition is null || definition.Model.NoneStartEvent is null)
            {
                Engine.RaiseIncident(parent.Value.Definition, parent.Value.State, request.ParentElementInstanceKey, IncidentTypes.CalledElementError,
                    definition is null
                        ? $"The call activity wants process '{request.ProcessId}', but no such process is deployed. Deploy it, then retry."
                        : $"The call activity wants process '{request.ProcessId}', but it has no none start event.",
                    Intents);
                return;
            }

            await StartAsync(definition, request.Variables, request.BusinessKey, null, request.ChildKey, request.ParentInstanceKey, request.ParentElementInstanceKey).ConfigureAwait(false);
        }

        /// <summary>A subscription just opened: a buffered message it matches arrives now (once per instance).</summary>
        private async ValueTask DeliverBufferedAsync(MessageSubscriptionRecord subscription)
        {
            var now = Engine.Services.Time.GetUtcNow();
            foreach (var message in await UnitOfWork.FindBufferedMessagesAsync(subscription.MessageName, subscription.CorrelationKey, now).ConfigureAwait(false))
            {
                if (message.CorrelatedInstances.Contains(subscription.InstanceKey))
                {
                    continue;
                }

                var loaded = await LoadAsync(subscription.InstanceKey).ConfigureAwait(false);
                if (loaded is null)
                {
                    return;
                }

                if (Engine.CorrelateMessage(loaded.Value.Definition, loaded.Value.State, subscription.Key, message.Variables, Intents))
                {
                    message.CorrelatedInstances.Add(subscription.InstanceKey);
                    await UnitOfWork.UpdateBufferedMessageAsync(message).ConfigureAwait(false);
                }

                return;
            }
        }
    }
}
