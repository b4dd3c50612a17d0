using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Engine.Ports;

namespace WorkflowOrders.Engine.Runtime;

/// <summary>What the engine needs from outside: the clock, unique keys and the working calendars.</summary>
public sealed class EngineServices
{
    public required TimeProvider Time { get; init; }
    public required IKeyGenerator Keys { get; init; }
    public required ICalendarProvider Calendars { get; init; }
}

/// <summary>
/// The interpreter of the BPMN subset. Every command takes the instance state, changes it in memory and returns the
/// intents (tasks, jobs, subscriptions, incidents, audit events, other instances to touch) that the runtime applies
/// together with the state in one transaction. It never sleeps, never does I/O and reads time only from
/// <see cref="EngineServices.Time"/>. Rejections are thrown before anything is changed.
/// </summary>
public sealed class WorkflowEngine(EngineServices services)
{
    public EngineServices Services { get; } = services;

    /// <summary>Starts an instance at the none start event (or at <paramref name="startElementId"/>, e.g. a message start).</summary>
    public InstanceState Start(
        ProcessDefinition definition,
        JsonObject? variables,
        List<EngineIntent> intents,
        string? businessKey = null,
        string? actor = null,
        long? key = null,
        long? parentInstanceKey = null,
        long? parentElementInstanceKey = null,
        string? startElementId = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(intents);
        FlowNode? start = startElementId is null
            ? definition.Model.NoneStartEvent
            : definition.Model.NodesById.GetValueOrDefault(startElementId);
        if (start is null)
        {
            throw CommandRejectedException.InvalidArgument(startElementId is null
                ? $"Process '{definition.ProcessId}' has no none start event: it can only be started by a message."
                : $"Process '{definition.ProcessId}' has no element '{startElementId}' to start at.");
        }

        var now = Services.Time.GetUtcNow();
        var state = new InstanceState
        {
            Key = key ?? Services.Keys.Next(),
            DefinitionKey = definition.Key,
            ProcessId = definition.ProcessId,
            Version = definition.Version,
            BusinessKey = businessKey,
            Status = InstanceStatus.Active,
            StartedAt = now,
            ParentInstanceKey = parentInstanceKey,
            ParentElementInstanceKey = parentElementInstanceKey,
            CalendarId = definition.Model.Properties.GetValueOrDefault("calendar") ?? "cn",
        };

        var run = new Execution(this, definition, state, intents, actor);
        run.Audit(AuditKinds.InstanceStarted, null, null, businessKey is null ? null : new JsonObject { ["businessKey"] = businessKey });
        if (variables is not null)
        {
            run.SetRootVariables(variables, recordAudit: true);
        }

        run.Enqueue(start, null);
        run.Finish();
        return state;
    }

    public void CompleteUserTask(ProcessDefinition definition, InstanceState state, long elementInstanceKey, JsonObject? variables, string? actor, List<EngineIntent> intents)
    {
        var run = Begin(definition, state, intents, actor);
        var element = run.RequireWaiting(elementInstanceKey, WaitKind.UserTask, "complete the user task");
        run.Emit(new UserTaskEnded(element.UserTaskKey!.Value, UserTaskState.Completed, actor, run.Now));
        run.Audit(AuditKinds.UserTaskCompleted, element.ElementId, element.Key, VariableNames(variables));
        run.CompleteActivity(element, variables);
        run.Finish();
    }

    /// <summary>A task handler finished the job of a service or send task.</summary>
    public void CompleteJob(ProcessDefinition definition, InstanceState state, long jobKey, JsonObject? variables, string? actor, List<EngineIntent> intents)
    {
        var run = Begin(definition, state, intents, actor);
        var element = run.RequireJob(jobKey);
        run.Audit(AuditKinds.JobCompleted, element.ElementId, element.Key, VariableNames(variables));
        run.CompleteActivity(element, variables);
        run.Finish();
    }

    /// <summary>A task handler gave up on a job after its last retry: the element stops with an incident.</summary>
    public void FailJob(ProcessDefinition definition, InstanceState state, long jobKey, string errorMessage, string? actor, List<EngineIntent> intents)
    {
        var run = Begin(definition, state, intents, actor);
        var element = run.RequireJob(jobKey);
        run.Audit(AuditKinds.JobFailed, element.ElementId, element.Key, new JsonObject { ["error"] = errorMessage });
        run.RaiseIncident(element, IncidentTypes.JobNoRetries, errorMessage, IncidentPhase.Job, jobKey);
        run.Finish();
    }

    /// <summary>A task handler threw a BPMN error: an error boundary event with that code catches it, else an incident.</summary>
    public void ThrowError(ProcessDefinition definition, InstanceState state, long jobKey, string errorCode, string? errorMessage, string? actor, List<EngineIntent> intents)
    {
        var run = Begin(definition, state, intents, actor);
        var element = run.RequireJob(jobKey);
        run.ThrowError(element, errorCode, errorMessage);
        run.Finish();
    }

    /// <summary>Fires a timer subscription. Returns false (and changes nothing) when the subscription no longer exists.</summary>
    /// <param name="actor">Who fired it, for the audit trail (e.g. the job executor node).</param>
    public bool FireTimer(ProcessDefinition definition, InstanceState state, long subscriptionKey, List<EngineIntent> intents, string? actor = null)
    {
        if (state.Status != InstanceStatus.Active || FindSubscription(state, subscriptionKey) is not { Subscription.IsTimer: true })
        {
            return false;
        }

        var run = Begin(definition, state, intents, actor);
        run.TriggerEvent(subscriptionKey, null);
        run.Finish();
        return true;
    }

    /// <summary>Delivers a message to a subscription. Returns false when the subscription no longer exists.</summary>
    public bool CorrelateMessage(ProcessDefinition definition, InstanceState state, long subscriptionKey, JsonObject? variables, List<EngineIntent> intents)
    {
        if (state.Status != InstanceStatus.Active || FindSubscription(state, subscriptionKey) is not { Subscription.IsTimer: false })
        {
            return false;
        }

        var run = Begin(definition, state, intents, null);
        run.TriggerEvent(subscriptionKey, variables);
        run.Finish();
        return true;
    }

    /// <summary>Sets root variables; timers whose expressions read them are recomputed.</summary>
    public void SetVariables(ProcessDefinition definition, InstanceState state, JsonObject variables, string? actor, List<EngineIntent> intents)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var run = Begin(definition, state, intents, actor);
        run.SetRootVariables(variables, recordAudit: true);
        run.Finish();
    }

    /// <summary>Cancels the instance: every waiting element, task, job, timer, subscription and child ends.</summary>
    public void Cancel(ProcessDefinition definition, InstanceState state, string? actor, List<EngineIntent> intents)
    {
        var run = Begin(definition, state, intents, actor);
        run.TerminateAll();
        state.Status = InstanceStatus.Terminated;
        state.EndedAt = run.Now;
        run.Audit(AuditKinds.InstanceTerminated, null, null, null);
        run.Finish();
    }

    /// <summary>Resolves an incident and retries what failed (activation, completion or the job).</summary>
    public void ResolveIncident(ProcessDefinition definition, InstanceState state, long incidentKey, string? actor, List<EngineIntent> intents)
    {
        var run = Begin(definition, state, intents, actor);
        var element = state.Elements.Find(e => e.IncidentKey == incidentKey)
            ?? throw CommandRejectedException.NotFound($"Incident {incidentKey} is not active in process instance {state.Key}.");
        run.RetryAfterIncident(element, incidentKey);
        run.Finish();
    }

    /// <summary>Raises an incident on a waiting element (e.g. the runtime found no definition for a call activity).</summary>
    public void RaiseIncident(ProcessDefinition definition, InstanceState state, long elementInstanceKey, string errorType, string message, List<EngineIntent> intents)
    {
        var run = Begin(definition, state, intents, null);
        var element = state.FindElement(elementInstanceKey)
            ?? throw CommandRejectedException.NotFound($"Element instance {elementInstanceKey} is not active in process instance {state.Key}.");
        run.RaiseIncident(element, errorType, message, IncidentPhase.Activate, null);
        run.Finish();
    }

    /// <summary>A child instance completed: the call activity completes with the child's variables.</summary>
    public void CompleteCallActivity(ProcessDefinition definition, InstanceState state, long elementInstanceKey, JsonObject childVariables, List<EngineIntent> intents)
    {
        var run = Begin(definition, state, intents, null);
        var element = state.FindElement(elementInstanceKey);
        if (element is null || element.Wait != WaitKind.CallActivity)
        {
            return; // the call activity was interrupted meanwhile; the child's result has nowhere to go
        }

        run.CompleteCallActivity(element, childVariables);
        run.Finish();
    }

    /// <summary>Audit entry for an assignment change (the task row itself is updated by the runtime).</summary>
    public static AuditEvent AssignmentAudit(UserTaskRecord task, string? assignee, string? actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new AuditEvent(task.InstanceKey, AuditKinds.UserTaskAssigned, task.ElementId, task.ElementInstanceKey, actor, at, new JsonObject { ["assignee"] = assignee });
    }

    internal static (ElementInstance Element, EventSubscription Subscription)? FindSubscription(InstanceState state, long subscriptionKey)
    {
        foreach (var element in state.Elements)
        {
            foreach (var sub in element.Subscriptions)
            {
                if (sub.Key == subscriptionKey)
                {
                    return (element, sub);
                }
            }
        }

        return null;
    }

    private Execution Begin(ProcessDefinition definition, InstanceState state, List<EngineIntent> intents, string? actor)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(intents);
        if (state.DefinitionKey != definition.Key)
        {
            throw new ArgumentException($"Instance {state.Key} runs definition {state.DefinitionKey}, not {definition.Key}.", nameof(definition));
        }

        if (state.Status != InstanceStatus.Active)
        {
            throw CommandRejectedException.InvalidState($"Process instance {state.Key} is {state.Status.ToString().ToUpperInvariant()}; nothing can change it any more.");
        }

        return new Execution(this, definition, state, intents, actor);
    }

    private static JsonObject? VariableNames(JsonObject? variables)
    {
        if (variables is null || variables.Count == 0)
        {
            return null;
        }

        var names = new JsonArray();
        for (var i = 0; i < variables.Count; i++)
        {
            names.Add(variables.GetAt(i).Key);
        }

        return new JsonObject { ["variables"] = names };
    }
}
