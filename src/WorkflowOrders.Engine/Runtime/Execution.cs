using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Feel;

namespace WorkflowOrders.Engine.Runtime;

/// <summary>
/// One command's run over one instance: a work queue of tokens to move, the intents produced and the variables changed.
/// Token semantics follow Camunda 8 where BPMN leaves room (first true condition in document order, join waits for a
/// token on every incoming flow, completion when nothing is waiting).
/// </summary>
internal sealed class Execution
{
    /// <summary>Element activations allowed in one command before a loop without wait state is stopped by an incident.</summary>
    private const int MaxActivationsPerCommand = 10_000;

    /// <summary>A queue that served more activations than this may have grown large; it is not kept for reuse.</summary>
    private const int SpareWorkActivations = 64;

    private readonly WorkflowEngine _engine;
    private readonly ProcessDefinition _definition;
    private readonly InstanceState _state;
    private readonly List<EngineIntent> _out;
    private readonly string? _actor;
    /// <summary>
    /// One work queue per thread, reused: a command runs start to finish on one thread without awaiting, and commands
    /// never run inside one another. A command rejected half-way simply does not give its queue back.
    /// </summary>
    [ThreadStatic]
    private static Queue<(FlowNode Node, SequenceFlow? Via, long? Key)>? t_spareWork;

    private readonly Queue<(FlowNode Node, SequenceFlow? Via, long? Key)> _work;
    // Created on first use: most commands change no variable and evaluate no expression.
    private List<string>? _changed;
    private ScopeVariables? _scope;
    private FeelEnvironment? _feel;
    private readonly IWorkingCalendar? _calendar;
    private int _activations;

    public Execution(WorkflowEngine engine, ProcessDefinition definition, InstanceState state, List<EngineIntent> intents, string? actor)
    {
        _engine = engine;
        _definition = definition;
        _state = state;
        _out = intents;
        _actor = actor;
        _work = t_spareWork ?? new();
        t_spareWork = null;
        _work.Clear();
        Now = engine.Services.Time.GetUtcNow();
        _calendar = engine.Services.Calendars.Find(state.CalendarId);
    }

    public DateTimeOffset Now { get; }

    private ProcessModel Model => _definition.Model;

    private long NextKey() => _engine.Services.Keys.Next();

    public void Emit(EngineIntent intent) => _out.Add(intent);

    public void Audit(string kind, string? elementId, long? elementInstanceKey, JsonObject? details) =>
        _out.Add(new AuditRecorded(new AuditEvent(_state.Key, kind, elementId, elementInstanceKey, _actor, Now, details)));

    public void Enqueue(FlowNode node, SequenceFlow? via, long? key = null) => _work.Enqueue((node, via, key));

    // ---------------------------------------------------------------- finding what a command acts on

    public ElementInstance RequireWaiting(long elementInstanceKey, WaitKind wait, string action)
    {
        var element = _state.FindElement(elementInstanceKey);
        if (element is null)
        {
            throw CommandRejectedException.NotFound($"Expected to {action}, but element instance {elementInstanceKey} is not active in process instance {_state.Key}.");
        }

        if (element.Wait != wait)
        {
            throw CommandRejectedException.InvalidState($"Expected to {action}, but element '{element.ElementId}' is {Describe(element.Wait)}.");
        }

        return element;
    }

    public ElementInstance RequireJob(long jobKey)
    {
        foreach (var element in _state.Elements)
        {
            if (element.JobKey == jobKey && element.Wait == WaitKind.Job)
            {
                return element;
            }
        }

        throw CommandRejectedException.NotFound($"Job {jobKey} is not active in process instance {_state.Key}.");
    }

    private static string Describe(WaitKind wait) => wait switch
    {
        WaitKind.Incident => "stopped by an incident",
        WaitKind.UserTask => "waiting for a user task",
        WaitKind.Job => "waiting for a task handler",
        WaitKind.Timer => "waiting for a timer",
        WaitKind.Message => "waiting for a message",
        WaitKind.CallActivity => "waiting for a called process",
        _ => wait.ToString(),
    };

    // ---------------------------------------------------------------- the token loop

    /// <summary>Moves every queued token until each waits, ends or hits an incident; then completes the instance if nothing waits.</summary>
    public void Finish()
    {
        while (_work.Count > 0 && _state.Status == InstanceStatus.Active)
        {
            var (node, via, key) = _work.Dequeue();
            if (++_activations > MaxActivationsPerCommand)
            {
                var stuck = NewElement(node, key);
                RaiseIncident(stuck, IncidentTypes.ExtractValueError,
                    $"The process looped through more than {MaxActivationsPerCommand} steps without waiting; check the loop that reaches {node.Describe()}.",
                    IncidentPhase.Activate, null);
                _work.Clear();
                break;
            }

            Activate(node, via, key);
        }

        RecomputeTimers();
        if (_state.Status == InstanceStatus.Active && _state.Elements.Count == 0 && _state.JoinArrivals.Count == 0)
        {
            CompleteInstance();
        }

        if (_activations <= SpareWorkActivations)
        {
            _work.Clear();
            t_spareWork = _work;
        }
    }

    private void Activate(FlowNode node, SequenceFlow? via, long? key)
    {
        switch (node)
        {
            case ParallelGateway gateway:
                ActivateParallelGateway(gateway, via);
                return;
            case ExclusiveGateway gateway:
                ActivateExclusiveGateway(gateway, key);
                return;
            case StartEvent start:
                Pass(start, key);
                return;
            case EndEvent end:
                ActivateEndEvent(end, key);
                return;
            case PassThroughTask task:
                {
                    var element = NewElement(task, key);
                    if (ApplyInputs(element, task))
                    {
                        Audit(AuditKinds.ElementActivated, task.Id, element.Key, null);
                        CompleteActivity(element, null);
                    }

                    return;
                }

            default:
                ActivateActivityOrCatchEvent(node, key);
                return;
        }
    }

    /// <summary>Start events and other nodes that only pass the token on.</summary>
    private void Pass(FlowNode node, long? key)
    {
        if (node.Outputs.Count > 0)
        {
            // A start event's output mappings run like an activity's completion (an incident if one fails).
            var element = NewElement(node, key);
            Audit(AuditKinds.ElementActivated, node.Id, element.Key, null);
            CompleteActivity(element, null);
            return;
        }

        var elementKey = key ?? NextKey();
        Audit(AuditKinds.ElementActivated, node.Id, elementKey, null);
        Audit(AuditKinds.ElementCompleted, node.Id, elementKey, null);
        TakeOutgoing(node, null);
    }

    private void ActivateEndEvent(EndEvent end, long? key)
    {
        var elementKey = key ?? NextKey();
        Audit(AuditKinds.ElementActivated, end.Id, elementKey, null);
        Audit(AuditKinds.ElementCompleted, end.Id, elementKey, null);
        if (end.Trigger == EventTrigger.Terminate)
        {
            _work.Clear();
            TerminateAll();
            CompleteInstance();
        }
    }

    private void ActivateParallelGateway(ParallelGateway gateway, SequenceFlow? via)
    {
        if (gateway.Incoming.Count > 1 && via is not null)
        {
            if (!_state.JoinArrivals.TryGetValue(gateway.Id, out var arrived))
            {
                arrived = [];
                _state.JoinArrivals[gateway.Id] = arrived;
            }

            arrived.Add(via.Id);
            var incoming = gateway.Incoming;
            for (var i = 0; i < incoming.Count; i++)
            {
                if (!arrived.Contains(incoming[i].Id))
                {
                    return; // waits for a token on every incoming flow
                }
            }

            // One token of each incoming flow joins; extra tokens (loops) stay for the next round.
            for (var i = 0; i < incoming.Count; i++)
            {
                arrived.Remove(incoming[i].Id);
            }

            if (arrived.Count == 0)
            {
                _state.JoinArrivals.Remove(gateway.Id);
            }
        }

        var key = NextKey();
        Audit(AuditKinds.ElementActivated, gateway.Id, key, null);
        Audit(AuditKinds.ElementCompleted, gateway.Id, key, null);
        var outgoing = gateway.Outgoing;
        for (var i = 0; i < outgoing.Count; i++)
        {
            Take(outgoing[i]);
        }
    }

    private void ActivateExclusiveGateway(ExclusiveGateway gateway, long? key)
    {
        var elementKey = key ?? NextKey();
        SequenceFlow? chosen = null;
        if (gateway.Outgoing.Count == 1 && gateway.Outgoing[0].Condition is null)
        {
            chosen = gateway.Outgoing[0];
        }
        else
        {
            var outgoing = gateway.Outgoing;
            for (var i = 0; i < outgoing.Count; i++)
            {
                var flow = outgoing[i];
                if (flow.Condition is null || ReferenceEquals(flow, gateway.DefaultFlow))
                {
                    continue;
                }

                if (!TryEvaluateCondition(flow, null, out var taken, out var error))
                {
                    var element = NewElement(gateway, elementKey);
                    RaiseIncident(element, IncidentTypes.ConditionError, error, IncidentPhase.Activate, null);
                    return;
                }

                if (taken)
                {
                    chosen = flow;
                    break;
                }
            }

            chosen ??= gateway.DefaultFlow;
        }

        if (chosen is null)
        {
            var element = NewElement(gateway, elementKey);
            RaiseIncident(element, IncidentTypes.ConditionError,
                $"No outgoing flow of {gateway.Describe()} can be taken: no condition is true and there is no default flow. Set the variables the conditions read, or add a default flow, then retry.",
                IncidentPhase.Activate, null);
            return;
        }

        Audit(AuditKinds.ElementActivated, gateway.Id, elementKey, null);
        Audit(AuditKinds.ElementCompleted, gateway.Id, elementKey, null);
        Take(chosen);
    }

    private void Take(SequenceFlow flow)
    {
        Audit(AuditKinds.FlowTaken, flow.Id, null, null);
        Enqueue(flow.Target!, flow);
    }

    /// <summary>Leaves a non-gateway node: every outgoing flow without condition, and those whose condition is true.</summary>
    private void TakeOutgoing(FlowNode node, ElementInstance? element)
    {
        var outgoing = node.Outgoing;
        for (var i = 0; i < outgoing.Count; i++)
        {
            var flow = outgoing[i];
            if (flow.Condition is null)
            {
                Take(flow);
                continue;
            }

            if (!TryEvaluateCondition(flow, element?.Local, out var taken, out var error))
            {
                var stuck = element ?? NewElement(node, null);
                if (!_state.Elements.Contains(stuck))
                {
                    _state.Elements.Add(stuck);
                }

                RaiseIncident(stuck, IncidentTypes.ConditionError, error, IncidentPhase.Complete, null);
                return;
            }

            if (taken)
            {
                Take(flow);
            }
        }
    }

    // ---------------------------------------------------------------- activities and catch events

    private ElementInstance NewElement(FlowNode node, long? key) => new()
    {
        Key = key ?? NextKey(),
        ElementId = node.Id,
        EnteredAt = Now,
    };

    private void ActivateActivityOrCatchEvent(FlowNode node, long? key)
    {
        var element = NewElement(node, key);
        if (!ApplyInputs(element, node))
        {
            return;
        }

        Audit(AuditKinds.ElementActivated, node.Id, element.Key, null);
        switch (node)
        {
            case UserTask task:
                if (!CreateUserTask(element, task))
                {
                    return;
                }

                break;
            case JobTask job:
                if (!CreateJob(element, job))
                {
                    return;
                }

                break;
            case ScriptTask script:
                RunScript(element, script);
                return;
            case CallActivity call:
                if (!RequestChild(element, call))
                {
                    return;
                }

                break;
            case IntermediateCatchEvent { Trigger: EventTrigger.Timer, Timer: { } timer }:
                element.Wait = WaitKind.Timer;
                if (!ArmTimer(element, node.Id, timer))
                {
                    return;
                }

                _state.Elements.Add(element);
                return;
            case IntermediateCatchEvent { Trigger: EventTrigger.Message, Message: { } message }:
                element.Wait = WaitKind.Message;
                if (!OpenMessageSubscription(element, node.Id, message))
                {
                    return;
                }

                _state.Elements.Add(element);
                return;
            default:
                RaiseIncident(element, IncidentTypes.ExtractValueError, $"{node.Describe()} cannot be executed by this engine.", IncidentPhase.Activate, null);
                return;
        }

        _state.Elements.Add(element);
        ArmBoundaryEvents(element, node);
    }

    private bool ApplyInputs(ElementInstance element, FlowNode node)
    {
        if (node.Inputs.Count == 0)
        {
            return true;
        }

        var local = new JsonObject();
        element.Local = local;
        var inputs = node.Inputs;
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            if (!TryEvaluate(input.Source, local, out var value, out var error))
            {
                RaiseIncident(element, IncidentTypes.IoMappingError, $"Input mapping '{input.Target}' of {node.Describe()} failed: {error}", IncidentPhase.Activate, null);
                return false;
            }

            SetPath(local, input.Target, value);
        }

        return true;
    }

    private bool CreateUserTask(ElementInstance element, UserTask task)
    {
        string? assignee = null;
        IReadOnlyList<string> groups = [];
        IReadOnlyList<string> users = [];
        DateTimeOffset? due = null, followUp = null;
        var priority = 50;
        string? error = null;

        if (task.Assignee is not null && !TryEvaluateText(task.Assignee, element.Local, out assignee, out error))
        {
            error = $"The assignee of {task.Describe()} could not be evaluated: {error}";
        }
        else if (task.CandidateGroups is not null && !TryEvaluateList(task.CandidateGroups, element.Local, out groups, out error))
        {
            error = $"The candidate groups of {task.Describe()} could not be evaluated: {error}";
        }
        else if (task.CandidateUsers is not null && !TryEvaluateList(task.CandidateUsers, element.Local, out users, out error))
        {
            error = $"The candidate users of {task.Describe()} could not be evaluated: {error}";
        }
        else if (task.DueDate is not null && !TryEvaluateInstant(task.DueDate, element.Local, out due, out error))
        {
            error = $"The due date of {task.Describe()} could not be evaluated: {error}";
        }
        else if (task.FollowUpDate is not null && !TryEvaluateInstant(task.FollowUpDate, element.Local, out followUp, out error))
        {
            error = $"The follow-up date of {task.Describe()} could not be evaluated: {error}";
        }
        else if (task.Priority is not null && !TryEvaluatePriority(task.Priority, element.Local, out priority, out error))
        {
            error = $"The priority of {task.Describe()} could not be evaluated: {error}";
        }
        else
        {
            error = null;
        }

        if (error is not null)
        {
            RaiseIncident(element, IncidentTypes.ExtractValueError, error, IncidentPhase.Activate, null);
            return false;
        }

        if (due is not null)
        {
            WarnAboutCalendarGap(task, element, due.Value);
        }

        var record = new UserTaskRecord
        {
            Key = NextKey(),
            InstanceKey = _state.Key,
            ElementInstanceKey = element.Key,
            ElementId = task.Id,
            Name = task.Name,
            ProcessId = _state.ProcessId,
            DefinitionKey = _state.DefinitionKey,
            DefinitionVersion = _state.Version,
            BusinessKey = _state.BusinessKey,
            State = UserTaskState.Created,
            Assignee = string.IsNullOrWhiteSpace(assignee) ? null : assignee,
            CandidateGroups = groups,
            CandidateUsers = users,
            DueDate = due,
            FollowUpDate = followUp,
            Priority = priority,
            FormId = task.FormId,
            Headers = task.Headers,
            Properties = task.Properties,
            CreatedAt = Now,
        };
        element.Wait = WaitKind.UserTask;
        element.UserTaskKey = record.Key;
        Emit(new UserTaskCreated(record));
        Audit(AuditKinds.UserTaskCreated, task.Id, element.Key, due is null ? null : new JsonObject { ["dueDate"] = due.Value.ToString("O", CultureInfo.InvariantCulture) });
        return true;
    }

    private void WarnAboutCalendarGap(FlowNode node, ElementInstance element, DateTimeOffset until)
    {
        if (_calendar is null)
        {
            return;
        }

        var first = DateOnly.FromDateTime(Now.UtcDateTime);
        var last = DateOnly.FromDateTime(until.UtcDateTime);
        if (last < first)
        {
            (first, last) = (last, first);
        }

        var gaps = _calendar.YearsWithoutHolidayData(first, last);
        if (gaps.Count > 0)
        {
            Audit(AuditKinds.CalendarWarning, node.Id, element.Key, new JsonObject
            {
                ["calendar"] = _calendar.Id,
                ["years"] = new JsonArray([.. gaps.Select(y => JsonValue.Create(y))]),
                ["message"] = $"No holiday data for {string.Join(", ", gaps)} in calendar '{_calendar.Id}': the deadline of {node.Describe()} was counted on the plain work week. An administrator should add that year's holidays.",
            });
        }
    }

    private bool CreateJob(ElementInstance element, JobTask task)
    {
        string? type = null;
        var retries = 3;
        string? error = null;
        if (task.TaskType is null || !TryEvaluateText(task.TaskType, element.Local, out type, out error) || string.IsNullOrEmpty(type))
        {
            error = $"The task type of {task.Describe()} could not be evaluated: {error ?? "it is empty"}";
        }
        else if (task.Retries is not null && !TryEvaluatePriority(task.Retries, element.Local, out retries, out error, max: 1000))
        {
            error = $"The retries of {task.Describe()} could not be evaluated: {error}";
        }
        else
        {
            error = null;
        }

        if (error is not null)
        {
            RaiseIncident(element, IncidentTypes.ExtractValueError, error, IncidentPhase.Activate, null);
            return false;
        }

        ScheduleJob(element, task, type!, retries);
        return true;
    }

    private void ScheduleJob(ElementInstance element, JobTask task, string type, int retries)
    {
        var job = new JobRecord
        {
            Key = NextKey(),
            Kind = JobKind.Task,
            Type = type,
            InstanceKey = _state.Key,
            ElementInstanceKey = element.Key,
            ElementId = task.Id,
            ProcessId = _state.ProcessId,
            DueAt = Now,
            CreatedAt = Now,
            Retries = retries,
            Headers = task.Headers,
        };
        element.Wait = WaitKind.Job;
        element.JobKey = job.Key;
        Emit(new JobCreated(job));
        Audit(AuditKinds.JobCreated, task.Id, element.Key, new JsonObject { ["type"] = type });
    }

    private void RunScript(ElementInstance element, ScriptTask script)
    {
        JsonNode? value = null;
        var error = "it has no expression";
        if (script.Expression is null || !TryEvaluate(script.Expression, element.Local, out value, out error))
        {
            RaiseIncident(element, IncidentTypes.ExtractValueError,
                $"The script of {script.Describe()} could not be evaluated: {error}",
                IncidentPhase.Activate, null);
            return;
        }

        var result = new JsonObject();
        if (!string.IsNullOrEmpty(script.ResultVariable))
        {
            result[script.ResultVariable] = value;
        }

        CompleteActivity(element, result);
    }

    private bool RequestChild(ElementInstance element, CallActivity call)
    {
        if (call.CalledProcessId is null || !TryEvaluateText(call.CalledProcessId, element.Local, out var processId, out var error) || string.IsNullOrEmpty(processId))
        {
            RaiseIncident(element, IncidentTypes.CalledElementError, $"The called process of {call.Describe()} could not be determined: {(call.CalledProcessId is null ? "no process id is set" : "the expression failed")}", IncidentPhase.Activate, null);
            return false;
        }

        var variables = new JsonObject();
        if (call.PropagateAllParentVariables)
        {
            foreach (var (name, value) in _state.Variables)
            {
                variables[name] = value?.DeepClone();
            }
        }

        if (element.Local is not null)
        {
            foreach (var (name, value) in element.Local)
            {
                variables[name] = value?.DeepClone();
            }
        }

        element.Wait = WaitKind.CallActivity;
        element.ChildInstanceKey = NextKey();
        Emit(new ChildInstanceRequested(element.ChildInstanceKey.Value, processId, variables, _state.Key, element.Key, _state.BusinessKey));
        return true;
    }

    public void CompleteCallActivity(ElementInstance element, JsonObject childVariables)
    {
        var call = (CallActivity)Model.NodesById[element.ElementId];
        CloseSubscriptions(element);
        if (call.Outputs.Count > 0)
        {
            // Output mappings read the child's variables.
            element.Local = (JsonObject)childVariables.DeepClone();
            CompleteActivity(element, null);
        }
        else
        {
            CompleteActivity(element, call.PropagateAllChildVariables ? childVariables : null);
        }
    }

    // ---------------------------------------------------------------- completing activities

    /// <summary>Completes an activity: completion variables (with output mappings if any) then leaves it.</summary>
    public void CompleteActivity(ElementInstance element, JsonObject? variables)
    {
        var node = Model.NodesById[element.ElementId];
        if (node.Outputs.Count == 0)
        {
            if (variables is not null)
            {
                SetRootVariables(variables, recordAudit: variables.Count > 0);
            }
        }
        else
        {
            var local = element.Local ?? [];
            if (variables is not null)
            {
                foreach (var (name, value) in variables)
                {
                    local[name] = value?.DeepClone();
                }
            }

            var results = new JsonObject();
            var outputs = node.Outputs;
            for (var i = 0; i < outputs.Count; i++)
            {
                var output = outputs[i];
                if (!TryEvaluate(output.Source, local, out var value, out var error))
                {
                    element.PendingCompletion = variables is null ? null : (JsonObject)variables.DeepClone();
                    if (!_state.Elements.Contains(element))
                    {
                        _state.Elements.Add(element);
                    }

                    RaiseIncident(element, IncidentTypes.IoMappingError, $"Output mapping '{output.Target}' of {node.Describe()} failed: {error}", IncidentPhase.Complete, null);
                    return;
                }

                SetPath(results, output.Target, value);
            }

            SetRootVariables(results, recordAudit: true);
        }

        CloseSubscriptions(element);
        _state.Elements.Remove(element);
        Audit(AuditKinds.ElementCompleted, node.Id, element.Key, null);
        TakeOutgoing(node, null);
    }

    // ---------------------------------------------------------------- events: timers and messages

    private void ArmBoundaryEvents(ElementInstance element, FlowNode node)
    {
        var boundaries = node.BoundaryEvents;
        for (var i = 0; i < boundaries.Count; i++)
        {
            var boundary = boundaries[i];
            if (boundary.Trigger == EventTrigger.Timer && boundary.Timer is not null)
            {
                ArmTimer(element, boundary.Id, boundary.Timer);
            }
            else if (boundary.Trigger == EventTrigger.Message && boundary.Message is not null)
            {
                OpenMessageSubscription(element, boundary.Id, boundary.Message);
            }
        }
    }

    private bool ArmTimer(ElementInstance element, string eventElementId, TimerDefinition timer, EventSubscription? reuse = null)
    {
        if (!TryComputeDue(timer, element.Local, Now, out var due, out var repetitions, out var interval, out var error))
        {
            RaiseIncident(element, IncidentTypes.ExtractValueError, $"The timer of {Model.NodesById[eventElementId].Describe()} could not be computed: {error}", IncidentPhase.Activate, null);
            return false;
        }

        var sub = reuse ?? new EventSubscription { Key = NextKey(), EventElementId = eventElementId, IsTimer = true };
        sub.ArmedAt = Now;
        sub.DueAt = due;
        sub.RemainingRepetitions = repetitions;
        sub.CycleInterval = interval;
        sub.JobKey = NextKey();
        if (reuse is null)
        {
            element.Subscriptions.Add(sub);
        }

        Emit(new JobCreated(TimerJob(element, sub)));
        Audit(AuditKinds.TimerScheduled, eventElementId, element.Key, new JsonObject { ["dueAt"] = due.ToString("O", CultureInfo.InvariantCulture) });
        WarnAboutCalendarGap(Model.NodesById[eventElementId], element, due);
        return true;
    }

    private JobRecord TimerJob(ElementInstance element, EventSubscription sub) => new()
    {
        Key = sub.JobKey!.Value,
        Kind = JobKind.Timer,
        Type = "timer",
        InstanceKey = _state.Key,
        ElementInstanceKey = element.Key,
        ElementId = sub.EventElementId,
        ProcessId = _state.ProcessId,
        SubscriptionKey = sub.Key,
        DueAt = sub.DueAt!.Value,
        CreatedAt = Now,
        Retries = 3,
    };

    private bool TryComputeDue(TimerDefinition timer, JsonObject? local, DateTimeOffset armedAt, out DateTimeOffset due, out int repetitions, out TimeSpan? interval, out string error)
    {
        due = default;
        repetitions = 0;
        interval = null;
        error = "";
        switch (timer.Kind)
        {
            case TimerKind.Date:
                if (!TryEvaluateInstant(timer.Value, local, out var at, out error) || at is null)
                {
                    error = error.Length > 0 ? error : "the date is empty";
                    return false;
                }

                due = at.Value;
                return true;

            case TimerKind.Duration:
                {
                    if (!TryEvaluateText(timer.Value, local, out var text, out error) || text is null)
                    {
                        error = error.Length > 0 ? error : "the duration is empty";
                        return false;
                    }

                    if (!IsoDurations.TryAdd(armedAt, text, out due))
                    {
                        error = $"'{text}' is not an ISO-8601 duration such as PT4H or P2D";
                        return false;
                    }

                    return true;
                }

            case TimerKind.Cycle:
                {
                    if (!TryEvaluateText(timer.Value, local, out var text, out error) || text is null)
                    {
                        error = error.Length > 0 ? error : "the cycle is empty";
                        return false;
                    }

                    if (!IsoDurations.TryParseCycle(text, out repetitions, out var start, out var duration))
                    {
                        error = $"'{text}' is not a repeating interval such as R3/PT10M or R/P1D (cron expressions are not supported)";
                        return false;
                    }

                    if (!IsoDurations.TryParseTimeSpan(duration, out var span))
                    {
                        error = $"'{duration}' is not a duration";
                        return false;
                    }

                    interval = span;
                    due = start is { } s && s > armedAt ? s : armedAt + span;
                    return true;
                }

            default:
                error = "unknown timer kind";
                return false;
        }
    }

    private bool OpenMessageSubscription(ElementInstance element, string eventElementId, MessageDefinition message)
    {
        if (!TryEvaluateText(message.Name, element.Local, out var name, out var error) || string.IsNullOrEmpty(name))
        {
            RaiseIncident(element, IncidentTypes.ExtractValueError, $"The message name of {Model.NodesById[eventElementId].Describe()} could not be evaluated: {error}", IncidentPhase.Activate, null);
            return false;
        }

        var correlationKey = "";
        if (message.CorrelationKey is not null && !TryEvaluateCorrelationKey(message.CorrelationKey, element.Local, out correlationKey, out error))
        {
            RaiseIncident(element, IncidentTypes.ExtractValueError, $"The correlation key of {Model.NodesById[eventElementId].Describe()} could not be evaluated: {error}", IncidentPhase.Activate, null);
            return false;
        }

        var sub = new EventSubscription
        {
            Key = NextKey(),
            EventElementId = eventElementId,
            IsTimer = false,
            ArmedAt = Now,
            MessageName = name,
            CorrelationKey = correlationKey,
        };
        element.Subscriptions.Add(sub);
        Emit(new MessageSubscriptionOpened(new MessageSubscriptionRecord
        {
            Key = sub.Key,
            InstanceKey = _state.Key,
            ElementInstanceKey = element.Key,
            ElementId = eventElementId,
            MessageName = name,
            CorrelationKey = correlationKey,
        }));
        return true;
    }

    /// <summary>A timer fired or a message arrived for a subscription.</summary>
    public void TriggerEvent(long subscriptionKey, JsonObject? variables)
    {
        var (element, sub) = WorkflowEngine.FindSubscription(_state, subscriptionKey)!.Value;
        var eventNode = Model.NodesById[sub.EventElementId];
        Audit(sub.IsTimer ? AuditKinds.TimerFired : AuditKinds.MessageCorrelated, eventNode.Id, element.Key,
            sub.IsTimer ? null : new JsonObject { ["messageName"] = sub.MessageName, ["correlationKey"] = sub.CorrelationKey });

        if (eventNode is not BoundaryEvent boundary)
        {
            // The element's own catch event.
            element.Subscriptions.Remove(sub);
            if (!sub.IsTimer)
            {
                Emit(new MessageSubscriptionClosed(sub.Key));
            }

            CompleteActivity(element, variables);
            return;
        }

        if (boundary.CancelActivity)
        {
            element.Subscriptions.Remove(sub);
            if (!sub.IsTimer)
            {
                Emit(new MessageSubscriptionClosed(sub.Key));
            }

            TerminateElement(element);
        }
        else if (sub.IsTimer && sub.CycleInterval is { } interval && sub.RemainingRepetitions != 1)
        {
            // A cycle re-arms itself while the activity waits.
            if (sub.RemainingRepetitions > 1)
            {
                sub.RemainingRepetitions--;
            }

            sub.DueAt = sub.DueAt!.Value + interval;
            sub.JobKey = NextKey();
            Emit(new JobCreated(TimerJob(element, sub)));
            Audit(AuditKinds.TimerScheduled, boundary.Id, element.Key, new JsonObject { ["dueAt"] = sub.DueAt.Value.ToString("O", CultureInfo.InvariantCulture) });
        }
        else if (sub.IsTimer)
        {
            element.Subscriptions.Remove(sub);
        }

        // The boundary event itself: a transient element that applies its variables and leaves.
        var boundaryKey = NextKey();
        Audit(AuditKinds.ElementActivated, boundary.Id, boundaryKey, null);
        if (variables is not null && variables.Count > 0)
        {
            if (boundary.Outputs.Count == 0)
            {
                SetRootVariables(variables, recordAudit: true);
            }
            else
            {
                var local = (JsonObject)variables.DeepClone();
                var results = new JsonObject();
                foreach (var output in boundary.Outputs)
                {
                    if (TryEvaluate(output.Source, local, out var value, out _))
                    {
                        SetPath(results, output.Target, value);
                    }
                }

                SetRootVariables(results, recordAudit: true);
            }
        }

        Audit(AuditKinds.ElementCompleted, boundary.Id, boundaryKey, null);
        TakeOutgoing(boundary, null);
    }

    public void ThrowError(ElementInstance element, string errorCode, string? errorMessage)
    {
        var node = Model.NodesById[element.ElementId];
        var catcher = node.BoundaryEvents.FirstOrDefault(b => b.Trigger == EventTrigger.Error && b.Error?.ErrorCode == errorCode)
            ?? node.BoundaryEvents.FirstOrDefault(b => b.Trigger == EventTrigger.Error && string.IsNullOrEmpty(b.Error?.ErrorCode));
        if (catcher is null)
        {
            RaiseIncident(element, IncidentTypes.UnhandledErrorEvent,
                $"{node.Describe()} threw error '{errorCode}'{(errorMessage is null ? "" : $" ({errorMessage})")} but no error boundary event catches it.",
                IncidentPhase.Job, element.JobKey);
            return;
        }

        TerminateElement(element);
        var key = NextKey();
        Audit(AuditKinds.ElementActivated, catcher.Id, key, new JsonObject { ["errorCode"] = errorCode, ["errorMessage"] = errorMessage });
        Audit(AuditKinds.ElementCompleted, catcher.Id, key, null);
        TakeOutgoing(catcher, null);
    }

    /// <summary>Timers whose expressions read a changed variable get a new due time (a changed delivery date moves the notice).</summary>
    private void RecomputeTimers()
    {
        if (_changed is null || _state.Status != InstanceStatus.Active)
        {
            return;
        }

        foreach (var element in _state.Elements)
        {
            foreach (var sub in element.Subscriptions)
            {
                if (!sub.IsTimer || sub.CycleInterval is not null)
                {
                    continue;
                }

                var timer = Model.NodesById[sub.EventElementId] switch
                {
                    IntermediateCatchEvent c => c.Timer,
                    BoundaryEvent b => b.Timer,
                    _ => null,
                };
                if (timer is null || !timer.Value.VariableNames.Overlaps(_changed))
                {
                    continue;
                }

                if (!TryComputeDue(timer, element.Local, sub.ArmedAt, out var due, out _, out _, out var error))
                {
                    Audit(AuditKinds.TimerRescheduled, sub.EventElementId, element.Key, new JsonObject
                    {
                        ["error"] = $"The timer keeps its due time {sub.DueAt:O}: recomputing it failed: {error}",
                    });
                    continue;
                }

                if (due != sub.DueAt)
                {
                    var before = sub.DueAt;
                    sub.DueAt = due;
                    Emit(new JobRescheduled(sub.JobKey!.Value, due));
                    Audit(AuditKinds.TimerRescheduled, sub.EventElementId, element.Key, new JsonObject
                    {
                        ["from"] = before?.ToString("O", CultureInfo.InvariantCulture),
                        ["to"] = due.ToString("O", CultureInfo.InvariantCulture),
                    });
                }
            }
        }
    }

    // ---------------------------------------------------------------- ending things

    private void CloseSubscriptions(ElementInstance element)
    {
        foreach (var sub in element.Subscriptions)
        {
            if (sub.IsTimer)
            {
                if (sub.JobKey is { } job)
                {
                    Emit(new JobCanceled(job));
                }
            }
            else
            {
                Emit(new MessageSubscriptionClosed(sub.Key));
            }
        }

        element.Subscriptions.Clear();
    }

    /// <summary>Ends a waiting element early (interrupting event, cancellation, terminate end).</summary>
    private void TerminateElement(ElementInstance element)
    {
        CloseSubscriptions(element);
        switch (element.Wait)
        {
            case WaitKind.UserTask when element.UserTaskKey is { } task:
                Emit(new UserTaskEnded(task, UserTaskState.Canceled, _actor, Now));
                break;
            case WaitKind.Job when element.JobKey is { } job:
                Emit(new JobCanceled(job));
                break;
            case WaitKind.CallActivity when element.ChildInstanceKey is { } child:
                Emit(new ChildInstanceCancelRequested(child, _actor));
                break;
            case WaitKind.Incident when element.IncidentKey is { } incident:
                Emit(new IncidentResolved(incident, _actor, Now));
                break;
            default:
                break;
        }

        _state.Elements.Remove(element);
        Audit(AuditKinds.ElementTerminated, element.ElementId, element.Key, null);
    }

    public void TerminateAll()
    {
        foreach (var element in _state.Elements.ToList())
        {
            TerminateElement(element);
        }

        _state.JoinArrivals.Clear();
    }

    private void CompleteInstance()
    {
        _state.Status = InstanceStatus.Completed;
        _state.EndedAt = Now;
        Audit(AuditKinds.InstanceCompleted, null, null, null);
        if (_state.ParentInstanceKey is { } parent && _state.ParentElementInstanceKey is { } parentElement)
        {
            Emit(new ChildInstanceCompleted(parent, parentElement, (JsonObject)_state.Variables.DeepClone()));
        }
    }

    // ---------------------------------------------------------------- incidents

    public void RaiseIncident(ElementInstance element, string errorType, string message, IncidentPhase phase, long? jobKey)
    {
        var incident = new IncidentRecord
        {
            Key = NextKey(),
            InstanceKey = _state.Key,
            ElementInstanceKey = element.Key,
            ElementId = element.ElementId,
            ProcessId = _state.ProcessId,
            DefinitionKey = _state.DefinitionKey,
            ErrorType = errorType,
            ErrorMessage = message,
            State = IncidentState.Active,
            JobKey = jobKey,
            CreatedAt = Now,
        };
        if (phase == IncidentPhase.Activate)
        {
            // Nothing of the element is running any more: it will be activated afresh on resolve.
            CloseSubscriptions(element);
        }

        element.WaitBeforeIncident = element.Wait;
        element.Wait = WaitKind.Incident;
        element.IncidentKey = incident.Key;
        element.IncidentPhase = phase;
        if (!_state.Elements.Contains(element))
        {
            _state.Elements.Add(element);
        }

        Emit(new IncidentCreated(incident));
        Audit(AuditKinds.IncidentCreated, element.ElementId, element.Key, new JsonObject { ["errorType"] = errorType, ["message"] = message });
    }

    public void RetryAfterIncident(ElementInstance element, long incidentKey)
    {
        Emit(new IncidentResolved(incidentKey, _actor, Now));
        Audit(AuditKinds.IncidentResolved, element.ElementId, element.Key, null);
        var phase = element.IncidentPhase;
        element.IncidentKey = null;
        element.IncidentPhase = null;
        var node = Model.NodesById[element.ElementId];
        switch (phase)
        {
            case IncidentPhase.Job when node is JobTask task:
                element.Wait = WaitKind.Job;
                {
                    // The job runs again with the definition's retries, re-evaluated like on first entry.
                    var retries = 3;
                    if (task.Retries is not null && !TryEvaluatePriority(task.Retries, element.Local, out retries, out _, max: 1000))
                    {
                        retries = 3;
                    }

                    ScheduleJob(element, task, TryEvaluateText(task.TaskType!, element.Local, out var type, out _) && type is not null ? type : "unknown", retries);
                }

                break;
            case IncidentPhase.Complete:
                {
                    element.Wait = element.WaitBeforeIncident ?? WaitKind.UserTask;
                    var pending = element.PendingCompletion;
                    element.PendingCompletion = null;
                    CompleteActivity(element, pending);
                    break;
                }

            default:
                _state.Elements.Remove(element);
                Enqueue(node, null, element.Key);
                break;
        }
    }

    // ---------------------------------------------------------------- variables

    /// <summary>Merges variables into the root scope and remembers which names changed.</summary>
    public void SetRootVariables(JsonObject variables, bool recordAudit)
    {
        if (variables.Count == 0)
        {
            return;
        }

        JsonArray? names = recordAudit ? [] : null;
        _changed ??= new List<string>(variables.Count);
        for (var i = 0; i < variables.Count; i++)
        {
            // By index: enumerating a JsonObject boxes its enumerator.
            var (name, value) = variables.GetAt(i);
            _state.Variables[name] = value?.DeepClone();
            _changed.Add(name);
            names?.Add(name);
        }

        if (names is not null)
        {
            Audit(AuditKinds.VariablesChanged, null, null, new JsonObject { ["variables"] = names });
        }
    }

    /// <summary>Writes a value at "a" or "a.b.c", creating the intermediate contexts.</summary>
    private static void SetPath(JsonObject target, string path, JsonNode? value)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            target[path] = value;
            return;
        }

        var head = path[..dot];
        if (target[head] is not JsonObject inner)
        {
            inner = [];
            target[head] = inner;
        }

        SetPath(inner, path[(dot + 1)..], value);
    }

    // ---------------------------------------------------------------- evaluating expressions

    private bool TryEvaluate(BpmnExpression expression, JsonObject? local, out JsonNode? value, out string error)
    {
        if (!TryEvaluate(expression, local, out FeelValue? result, out value, out error))
        {
            return false;
        }

        value ??= result?.ToJson();
        return true;
    }

    /// <summary>
    /// Evaluates a FEEL expression to its FEEL value (<paramref name="result"/>; <paramref name="value"/> stays null), or
    /// gives a static attribute value as JSON text (<paramref name="value"/>; <paramref name="result"/> stays null).
    /// Callers that need a date or a boolean read it from the FEEL value without a trip through JSON text.
    /// </summary>
    private bool TryEvaluate(BpmnExpression expression, JsonObject? local, out FeelValue? result, out JsonNode? value, out string error)
    {
        result = null;
        value = null;
        error = "";
        if (!expression.IsExpression)
        {
            value = JsonValue.Create(expression.StaticValue);
            return true;
        }

        if (expression.Feel is null)
        {
            error = expression.ParseError?.ToString() ?? "the expression cannot be parsed";
            return false;
        }

        try
        {
            _scope ??= new ScopeVariables(_state.Variables);
            _feel ??= new FeelEnvironment { Variables = _scope, Time = _engine.Services.Time, Calendar = _calendar };
            _scope.Local = local;
            var evaluated = expression.Feel.Evaluate(_feel);
            if (evaluated.Warnings.Count > 0 && evaluated.Value.ToJson() is null)
            {
                error = $"'{expression.Raw}' gave null: {string.Join("; ", evaluated.Warnings)}";
                return false;
            }

            result = evaluated.Value;
            return true;
        }
        catch (FeelEvaluationException e)
        {
            error = $"'{expression.Raw}' failed: {e.Error}";
            return false;
        }
        finally
        {
            _scope!.Local = null;
        }
    }

    private bool TryEvaluateCondition(SequenceFlow flow, JsonObject? local, out bool taken, out string error)
    {
        taken = false;
        if (!TryEvaluate(flow.Condition!, local, out FeelValue? result, out var value, out error))
        {
            error = $"The condition of sequenceFlow '{flow.Id}'{(flow.Name is null ? "" : $" ({flow.Name})")} failed: {error}";
            return false;
        }

        if (result is FeelBoolean boolean)
        {
            taken = boolean.Value;
            return true;
        }

        value ??= result?.ToJson();
        if (value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            taken = v.GetValue<bool>();
            return true;
        }

        error = $"The condition of sequenceFlow '{flow.Id}'{(flow.Name is null ? "" : $" ({flow.Name})")} must give true or false, but '{flow.Condition!.Raw}' gave {Show(value)}.";
        return false;
    }

    private bool TryEvaluateText(BpmnExpression expression, JsonObject? local, out string? text, out string error)
    {
        text = null;
        if (!TryEvaluate(expression, local, out var value, out error))
        {
            return false;
        }

        switch (value)
        {
            case null:
                return true;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                text = v.GetValue<string>();
                return true;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                text = v.ToJsonString();
                return true;
            default:
                error = $"'{expression.Raw}' must give a text, but gave {Show(value)}";
                return false;
        }
    }

    private bool TryEvaluateCorrelationKey(BpmnExpression expression, JsonObject? local, out string key, out string error)
    {
        key = "";
        if (!TryEvaluateText(expression, local, out var text, out error))
        {
            return false;
        }

        if (text is null)
        {
            error = $"'{expression.Raw}' gave null; a correlation key must be a text or a number";
            return false;
        }

        key = text;
        return true;
    }

    private bool TryEvaluateList(BpmnExpression expression, JsonObject? local, out IReadOnlyList<string> list, out string error)
    {
        if (!expression.IsExpression)
        {
            // A static list (candidateGroups="sales, planning") is split once per definition and shared, read-only.
            list = StaticLists.GetValue(expression, static e => Array.AsReadOnly(SplitList(e.StaticValue!).ToArray()));
            error = "";
            return true;
        }

        list = [];
        if (!TryEvaluate(expression, local, out var value, out error))
        {
            return false;
        }

        switch (value)
        {
            case null:
                return true;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                list = SplitList(v.GetValue<string>());
                return true;
            case JsonArray array:
                {
                    var items = new List<string>(array.Count);
                    foreach (var item in array)
                    {
                        if (item is JsonValue iv && iv.GetValueKind() == JsonValueKind.String)
                        {
                            items.Add(iv.GetValue<string>());
                        }
                        else
                        {
                            error = $"'{expression.Raw}' must give a list of texts, but it contains {Show(item)}";
                            return false;
                        }
                    }

                    list = items;
                    return true;
                }

            default:
                error = $"'{expression.Raw}' must give a list of texts or a comma-separated text, but gave {Show(value)}";
                return false;
        }
    }

    private static readonly char[] ListSeparators = [','];

    private static readonly ConditionalWeakTable<BpmnExpression, IReadOnlyList<string>> StaticLists = [];

    private static List<string> SplitList(string text) =>
        [.. text.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private bool TryEvaluateInstant(BpmnExpression expression, JsonObject? local, out DateTimeOffset? instant, out string error)
    {
        instant = null;
        if (!TryEvaluate(expression, local, out FeelValue? result, out var value, out error))
        {
            return false;
        }

        // A date and time with an offset is the instant itself; its ISO text would parse back to the same value.
        if (result is FeelDateTime { Offset: not null } dateTime && TryToInstant(dateTime, out var exact))
        {
            instant = exact;
            return true;
        }

        value ??= result?.ToJson();
        if (value is null)
        {
            return true;
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && TryParseInstant(v.GetValue<string>(), out var parsed))
        {
            instant = parsed;
            return true;
        }

        error = $"'{expression.Raw}' must give a date and time (e.g. 2026-10-08T16:00:00+08:00), but gave {Show(value)}";
        return false;
    }

    private static bool TryToInstant(FeelDateTime dateTime, out DateTimeOffset instant)
    {
        try
        {
            instant = dateTime.ToInstant();
            return true;
        }
        catch (ArgumentException)
        {
            // Out of DateTimeOffset's range with that offset: the text path reports it as a value that is not a date.
            instant = default;
            return false;
        }
    }

    /// <summary>Reads the stored text of a FEEL date-time or date (camunda-rest-v2.md §11); local values are in the calendar's zone.</summary>
    private bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        var bracket = text.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0)
        {
            text = text[..bracket];
        }

        var zone = _calendar?.TimeZone ?? TimeZoneInfo.Utc;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var local = day.ToDateTime(TimeOnly.MinValue);
            instant = new DateTimeOffset(local, zone.GetUtcOffset(local));
            return true;
        }

        var hasOffset = text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.Ordinal);
        if (hasOffset)
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var localTime))
        {
            instant = new DateTimeOffset(localTime, zone.GetUtcOffset(localTime));
            return true;
        }

        instant = default;
        return false;
    }

    private bool TryEvaluatePriority(BpmnExpression expression, JsonObject? local, out int number, out string error, int max = 100)
    {
        number = 0;
        if (!TryEvaluate(expression, local, out var value, out error))
        {
            return false;
        }

        if (value is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var d) && d >= 0 && d <= max && d == Math.Floor(d))
            {
                number = (int)d;
                return true;
            }

            if (v.GetValueKind() == JsonValueKind.String && int.TryParse(v.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max)
            {
                number = n;
                return true;
            }
        }

        error = $"'{expression.Raw}' must give a whole number from 0 to {max}, but gave {Show(value)}";
        return false;
    }

    private static string Show(JsonNode? value) => value is null ? "null" : value.ToJsonString();

    /// <summary>Variable lookup for FEEL: the element's local scope first, then the instance's root scope.</summary>
    private sealed class ScopeVariables(JsonObject root) : IFeelVariables
    {
        public JsonObject? Local { get; set; }

        public bool TryGet(string name, out JsonNode? value)
        {
            if (Local is not null && Local.TryGetPropertyValue(name, out value))
            {
                return true;
            }

            return root.TryGetPropertyValue(name, out value);
        }
    }
}
