namespace WorkflowOrders.Engine.Bpmn;

public enum ElementChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One property of an element that differs; <see cref="From"/> or <see cref="To"/> is null when it is absent on that side.</summary>
public sealed record PropertyChange(string Property, string? From, string? To);

/// <summary>
/// An element added, removed or changed between two versions. <see cref="ElementType"/> is the BPMN local name
/// ("userTask", "sequenceFlow", "process" for the process itself); <see cref="Properties"/> lists every property of an
/// added or removed element (one side null) and only the differing ones of a changed element.
/// </summary>
public sealed record ElementChange(ElementChangeKind Change, string ElementId, string ElementType, string? Name, IReadOnlyList<PropertyChange> Properties);

/// <summary>The changes from one version of a process to another, in the order of the newer version's document.</summary>
public sealed record ProcessDiffResult(IReadOnlyList<ElementChange> Changes)
{
    public bool IsEmpty => Changes.Count == 0;

    public IEnumerable<ElementChange> Added => Changes.Where(c => c.Change == ElementChangeKind.Added);

    public IEnumerable<ElementChange> Removed => Changes.Where(c => c.Change == ElementChangeKind.Removed);

    public IEnumerable<ElementChange> Changed => Changes.Where(c => c.Change == ElementChangeKind.Changed);
}

/// <summary>Property names of <see cref="ProcessDiff.Describe(FlowNode)"/>; extension properties, headers and mappings add a ":name" suffix.</summary>
public static class ProcessDiffKeys
{
    public const string Name = "name";
    public const string Type = "type";
    public const string Incoming = "incoming";
    public const string Outgoing = "outgoing";
    public const string TaskType = "taskType";
    public const string Retries = "retries";
    public const string Assignee = "assignee";
    public const string CandidateGroups = "candidateGroups";
    public const string CandidateUsers = "candidateUsers";
    public const string DueDate = "dueDate";
    public const string FollowUpDate = "followUpDate";
    public const string Priority = "priority";
    public const string FormId = "formId";
    public const string FormKey = "formKey";
    public const string Trigger = "trigger";
    public const string Timer = "timer";
    public const string Message = "message";
    public const string CorrelationKey = "correlationKey";
    public const string Error = "error";
    public const string AttachedTo = "attachedTo";
    public const string CancelActivity = "cancelActivity";
    public const string CalledElement = "calledElement";
    public const string Script = "script";
    public const string ResultVariable = "resultVariable";
    public const string DefaultFlow = "defaultFlow";
    public const string Source = "source";
    public const string Target = "target";
    public const string Condition = "condition";
    public const string PropertyPrefix = "property:";
    public const string HeaderPrefix = "header:";
    public const string InputPrefix = "input:";
    public const string OutputPrefix = "output:";
}

/// <summary>
/// What changed between two parsed versions of a process: elements (flow nodes and sequence flows) matched by id,
/// and for each the properties a process owner edits — name, type, flows, zeebe task type, assignment, schedule, form,
/// conditions, timers, messages, extension properties, headers and io mappings. Diagram layout is not compared:
/// moving a shape is no change of the procedure.
/// </summary>
public static class ProcessDiff
{
    public const string ProcessType = "process";
    public const string FlowType = "sequenceFlow";

    public static ProcessDiffResult Compare(ProcessModel from, ProcessModel to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var before = Elements(from);
        var after = Elements(to);
        var changes = new List<ElementChange>();
        foreach (var (id, element) in after)
        {
            if (!before.TryGetValue(id, out var old))
            {
                changes.Add(new ElementChange(ElementChangeKind.Added, id, element.Type, element.Name,
                    element.Properties.Select(p => new PropertyChange(p.Key, null, p.Value)).ToList()));
                continue;
            }

            var differing = Compare(old.Properties, element.Properties);
            if (differing.Count > 0)
            {
                changes.Add(new ElementChange(ElementChangeKind.Changed, id, element.Type, element.Name ?? old.Name, differing));
            }
        }

        foreach (var (id, element) in before)
        {
            if (!after.ContainsKey(id))
            {
                changes.Add(new ElementChange(ElementChangeKind.Removed, id, element.Type, element.Name,
                    element.Properties.Select(p => new PropertyChange(p.Key, p.Value, null)).ToList()));
            }
        }

        return new ProcessDiffResult(changes);
    }

    /// <summary>The comparable properties of a flow node, as text (absent properties are left out).</summary>
    public static IReadOnlyDictionary<string, string> Describe(FlowNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var p = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Put(p, ProcessDiffKeys.Name, node.Name);
        Put(p, ProcessDiffKeys.Type, node.XmlType);
        Put(p, ProcessDiffKeys.Incoming, Join(node.Incoming.Select(f => f.Id)));
        Put(p, ProcessDiffKeys.Outgoing, Join(node.Outgoing.Select(f => f.Id)));
        switch (node)
        {
            case UserTask task:
                Put(p, ProcessDiffKeys.Assignee, task.Assignee?.Raw);
                Put(p, ProcessDiffKeys.CandidateGroups, task.CandidateGroups?.Raw);
                Put(p, ProcessDiffKeys.CandidateUsers, task.CandidateUsers?.Raw);
                Put(p, ProcessDiffKeys.DueDate, task.DueDate?.Raw);
                Put(p, ProcessDiffKeys.FollowUpDate, task.FollowUpDate?.Raw);
                Put(p, ProcessDiffKeys.Priority, task.Priority?.Raw);
                Put(p, ProcessDiffKeys.FormId, task.FormId);
                Put(p, ProcessDiffKeys.FormKey, task.FormKey);
                PutAll(p, ProcessDiffKeys.HeaderPrefix, task.Headers);
                break;
            case JobTask job:
                Put(p, ProcessDiffKeys.TaskType, job.TaskType?.Raw);
                Put(p, ProcessDiffKeys.Retries, job.Retries?.Raw);
                PutAll(p, ProcessDiffKeys.HeaderPrefix, job.Headers);
                break;
            case ScriptTask script:
                Put(p, ProcessDiffKeys.Script, script.Expression?.Raw);
                Put(p, ProcessDiffKeys.ResultVariable, script.ResultVariable);
                break;
            case CallActivity call:
                Put(p, ProcessDiffKeys.CalledElement, call.CalledProcessId?.Raw);
                break;
            case ExclusiveGateway gateway:
                Put(p, ProcessDiffKeys.DefaultFlow, gateway.DefaultFlowId);
                break;
            case StartEvent start:
                PutEvent(p, start.Trigger, start.Timer, start.Message, start.MessageRef);
                break;
            case IntermediateCatchEvent catchEvent:
                PutEvent(p, catchEvent.Trigger, catchEvent.Timer, catchEvent.Message, catchEvent.MessageRef);
                break;
            case BoundaryEvent boundary:
                PutEvent(p, boundary.Trigger, boundary.Timer, boundary.Message, boundary.MessageRef);
                Put(p, ProcessDiffKeys.AttachedTo, boundary.AttachedToId);
                Put(p, ProcessDiffKeys.CancelActivity, boundary.CancelActivity ? "true" : "false");
                if (boundary.Trigger == EventTrigger.Error)
                {
                    Put(p, ProcessDiffKeys.Error, boundary.Error?.ErrorCode ?? boundary.ErrorRef ?? "*");
                }

                break;
            case EndEvent end:
                if (end.Trigger != EventTrigger.None)
                {
                    Put(p, ProcessDiffKeys.Trigger, Lower(end.Trigger));
                }

                break;
        }

        PutAll(p, ProcessDiffKeys.PropertyPrefix, node.Properties);
        PutMappings(p, ProcessDiffKeys.InputPrefix, node.Inputs);
        PutMappings(p, ProcessDiffKeys.OutputPrefix, node.Outputs);
        return p;
    }

    public static IReadOnlyDictionary<string, string> Describe(SequenceFlow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var p = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Put(p, ProcessDiffKeys.Name, flow.Name);
        Put(p, ProcessDiffKeys.Source, flow.SourceId);
        Put(p, ProcessDiffKeys.Target, flow.TargetId);
        Put(p, ProcessDiffKeys.Condition, flow.Condition?.Raw);
        return p;
    }

    private static Dictionary<string, Element> Elements(ProcessModel process)
    {
        var elements = new Dictionary<string, Element>(StringComparer.Ordinal);
        var own = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Put(own, ProcessDiffKeys.Name, process.Name);
        PutAll(own, ProcessDiffKeys.PropertyPrefix, process.Properties);
        elements[process.Id] = new Element(ProcessType, process.Name, own);
        foreach (var node in process.Nodes.OrderBy(n => n.DocumentOrder))
        {
            elements.TryAdd(node.Id, new Element(node.XmlType, node.Name, Describe(node)));
        }

        foreach (var flow in process.Flows.OrderBy(f => f.DocumentOrder))
        {
            elements.TryAdd(flow.Id, new Element(FlowType, flow.Name, Describe(flow)));
        }

        return elements;
    }

    private static List<PropertyChange> Compare(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var changes = new List<PropertyChange>();
        foreach (var key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var from = before.GetValueOrDefault(key);
            var to = after.GetValueOrDefault(key);
            if (!string.Equals(from, to, StringComparison.Ordinal))
            {
                changes.Add(new PropertyChange(key, from, to));
            }
        }

        return changes;
    }

    private static void PutEvent(SortedDictionary<string, string> p, EventTrigger trigger, TimerDefinition? timer, MessageDefinition? message, string? messageRef)
    {
        if (trigger != EventTrigger.None)
        {
            Put(p, ProcessDiffKeys.Trigger, Lower(trigger));
        }

        if (timer is not null)
        {
            Put(p, ProcessDiffKeys.Timer, $"{Lower(timer.Kind)}: {timer.Value.Raw}");
        }

        Put(p, ProcessDiffKeys.Message, message?.Name.Raw ?? messageRef);
        Put(p, ProcessDiffKeys.CorrelationKey, message?.CorrelationKey?.Raw);
    }

    private static void PutAll(SortedDictionary<string, string> p, string prefix, IReadOnlyDictionary<string, string> values)
    {
        foreach (var (name, value) in values)
        {
            p[prefix + name] = value;
        }
    }

    private static void PutMappings(SortedDictionary<string, string> p, string prefix, IReadOnlyList<VariableMapping> mappings)
    {
        foreach (var mapping in mappings)
        {
            p[prefix + mapping.Target] = mapping.Source.Raw;
        }
    }

    private static void Put(SortedDictionary<string, string> p, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            p[key] = value;
        }
    }

    private static string Join(IEnumerable<string> ids) => string.Join(", ", ids.Order(StringComparer.Ordinal));

    private static string Lower<T>(T value)
        where T : struct, Enum
    {
        var text = value.ToString();
        return char.ToLowerInvariant(text[0]) + text[1..];
    }

    private sealed record Element(string Type, string? Name, IReadOnlyDictionary<string, string> Properties);
}
