using WorkflowOrders.Engine.Feel;

namespace WorkflowOrders.Engine.Bpmn;

// The immutable model of the supported BPMN subset (architecture.md §2) with its Camunda 8 (zeebe:) extensions.
// The parser builds it once per deployed definition; the interpreter only reads it.

public enum ElementKind
{
    StartEvent,
    EndEvent,
    IntermediateCatchEvent,
    BoundaryEvent,
    UserTask,
    ServiceTask,
    SendTask,
    ScriptTask,
    ManualTask,
    Task,
    CallActivity,
    ExclusiveGateway,
    ParallelGateway,
}

/// <summary>What an event reacts to (or, for an end event, does).</summary>
public enum EventTrigger
{
    None,
    Timer,
    Message,
    Error,
    Terminate,
}

public enum TimerKind
{
    /// <summary>timeDuration: ISO-8601 duration (or an expression giving one) from the moment the timer is armed.</summary>
    Duration,

    /// <summary>timeDate: an absolute instant.</summary>
    Date,

    /// <summary>timeCycle: R[n]/[start/]duration, or an expression giving one.</summary>
    Cycle,
}

/// <summary>
/// An attribute value that is either static text or a FEEL expression (text starting with '=').
/// Expressions are parsed once when the definition is parsed; <see cref="ParseError"/> holds the problem if any.
/// </summary>
public sealed class BpmnExpression
{
    private BpmnExpression(string raw, string? staticValue, FeelExpression? feel, FeelError? parseError)
    {
        Raw = raw;
        StaticValue = staticValue;
        Feel = feel;
        ParseError = parseError;
    }

    /// <summary>The attribute text as written in the XML.</summary>
    public string Raw { get; }

    public bool IsExpression => StaticValue is null;

    /// <summary>The value when the attribute is not an expression.</summary>
    public string? StaticValue { get; }

    /// <summary>The parsed expression (null for static values and for expressions that failed to parse).</summary>
    public FeelExpression? Feel { get; }

    public FeelError? ParseError { get; }

    /// <summary>Root variable names the expression reads (empty for static values).</summary>
    public IReadOnlySet<string> VariableNames => Feel?.VariableNames ?? EmptyNames;

    private static readonly IReadOnlySet<string> EmptyNames = new HashSet<string>();

    /// <summary>Reads an attribute: '=' prefix means FEEL, anything else is a static string.</summary>
    public static BpmnExpression From(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var trimmed = raw.TrimStart();
        if (!trimmed.StartsWith('='))
        {
            return new BpmnExpression(raw, raw, null, null);
        }

        var body = trimmed[1..];
        return FeelExpression.TryParse(body, out var feel, out var error)
            ? new BpmnExpression(raw, null, feel, null)
            : new BpmnExpression(raw, null, null, error);
    }

    /// <summary>A FEEL expression body (no '=' prefix), as used by sequence-flow conditions and io mappings.</summary>
    public static BpmnExpression FromFeel(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return FeelExpression.TryParse(body, out var feel, out var error)
            ? new BpmnExpression("=" + body, null, feel, null)
            : new BpmnExpression("=" + body, null, null, error);
    }

    public override string ToString() => Raw;
}

/// <summary>One zeebe:input or zeebe:output: evaluate <see cref="Source"/>, write it to <see cref="Target"/> (a name or a.b path).</summary>
public sealed record VariableMapping(BpmnExpression Source, string Target);

public sealed record MessageDefinition(string Id, BpmnExpression Name, BpmnExpression? CorrelationKey);

public sealed record TimerDefinition(TimerKind Kind, BpmnExpression Value);

public sealed record ErrorDefinition(string Id, string? Name, string? ErrorCode);

/// <summary>A sequence flow; <see cref="DocumentOrder"/> decides which true condition an exclusive gateway takes first.</summary>
public sealed class SequenceFlow
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public required string SourceId { get; init; }
    public required string TargetId { get; init; }
    public BpmnExpression? Condition { get; init; }
    public int DocumentOrder { get; init; }

    /// <summary>Resolved by the parser after all nodes are read; null when the reference dangles (the validator reports it).</summary>
    public FlowNode? Source { get; internal set; }

    public FlowNode? Target { get; internal set; }
}

/// <summary>Base of every flow node. Collections are filled by the parser and never change afterwards.</summary>
public abstract class FlowNode
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public abstract ElementKind Kind { get; }

    /// <summary>The XML element's local name (e.g. "userTask", whatever prefix the file uses), for messages.</summary>
    public required string XmlType { get; init; }

    public int DocumentOrder { get; init; }

    /// <summary>zeebe:properties (name → value), e.g. the English name or an escalation override.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = EmptyProperties;

    public IReadOnlyList<VariableMapping> Inputs { get; init; } = [];
    public IReadOnlyList<VariableMapping> Outputs { get; init; } = [];

    public IReadOnlyList<SequenceFlow> Incoming => IncomingList;
    public IReadOnlyList<SequenceFlow> Outgoing => OutgoingList;

    /// <summary>Boundary events attached to this activity, in document order.</summary>
    public IReadOnlyList<BoundaryEvent> BoundaryEvents => BoundaryList;

    internal List<SequenceFlow> IncomingList { get; } = [];
    internal List<SequenceFlow> OutgoingList { get; } = [];
    internal List<BoundaryEvent> BoundaryList { get; } = [];

    /// <summary>"userTask 'Review_Sales' (销售评审)" — how messages name an element.</summary>
    public string Describe() => Name is null ? $"{XmlType} '{Id}'" : $"{XmlType} '{Id}' ({Name})";

    internal static readonly IReadOnlyDictionary<string, string> EmptyProperties = new Dictionary<string, string>();
}

public sealed class StartEvent : FlowNode
{
    public override ElementKind Kind => ElementKind.StartEvent;
    public EventTrigger Trigger { get; init; }
    public MessageDefinition? Message { get; init; }

    /// <summary>The messageRef as written; set while <see cref="Message"/> is null means the reference dangles.</summary>
    public string? MessageRef { get; init; }
    public TimerDefinition? Timer { get; init; }
}

public sealed class EndEvent : FlowNode
{
    public override ElementKind Kind => ElementKind.EndEvent;

    /// <summary>None or Terminate.</summary>
    public EventTrigger Trigger { get; init; }
}

public sealed class IntermediateCatchEvent : FlowNode
{
    public override ElementKind Kind => ElementKind.IntermediateCatchEvent;
    public EventTrigger Trigger { get; init; }
    public MessageDefinition? Message { get; init; }

    /// <summary>The messageRef as written; set while <see cref="Message"/> is null means the reference dangles.</summary>
    public string? MessageRef { get; init; }
    public TimerDefinition? Timer { get; init; }
}

public sealed class BoundaryEvent : FlowNode
{
    public override ElementKind Kind => ElementKind.BoundaryEvent;
    public required string AttachedToId { get; init; }
    public FlowNode? AttachedTo { get; internal set; }
    public bool CancelActivity { get; init; } = true;
    public EventTrigger Trigger { get; init; }
    public MessageDefinition? Message { get; init; }

    /// <summary>The messageRef as written; set while <see cref="Message"/> is null means the reference dangles.</summary>
    public string? MessageRef { get; init; }

    public TimerDefinition? Timer { get; init; }

    /// <summary>Null for an error trigger catches every error; otherwise only errors with this definition's code.</summary>
    public ErrorDefinition? Error { get; init; }

    /// <summary>The errorRef as written; set while <see cref="Error"/> is null means the reference dangles.</summary>
    public string? ErrorRef { get; init; }
}

public sealed class UserTask : FlowNode
{
    public override ElementKind Kind => ElementKind.UserTask;
    public BpmnExpression? Assignee { get; init; }
    public BpmnExpression? CandidateGroups { get; init; }
    public BpmnExpression? CandidateUsers { get; init; }
    public BpmnExpression? DueDate { get; init; }
    public BpmnExpression? FollowUpDate { get; init; }
    public BpmnExpression? Priority { get; init; }

    /// <summary>zeebe:formDefinition formId (a linked Camunda Form) — or null.</summary>
    public string? FormId { get; init; }

    /// <summary>zeebe:formDefinition formKey / externalReference — kept for compatibility, not rendered.</summary>
    public string? FormKey { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = EmptyProperties;

    public bool HasAssignment => Assignee is not null || CandidateGroups is not null || CandidateUsers is not null;
}

/// <summary>Service and send tasks: work done by a built-in task handler named by zeebe:taskDefinition type.</summary>
public sealed class JobTask : FlowNode
{
    public required ElementKind JobKind { get; init; }
    public override ElementKind Kind => JobKind;
    public BpmnExpression? TaskType { get; init; }
    public BpmnExpression? Retries { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = EmptyProperties;
}

/// <summary>zeebe:script: evaluate <see cref="Expression"/> into <see cref="ResultVariable"/>.</summary>
public sealed class ScriptTask : FlowNode
{
    public override ElementKind Kind => ElementKind.ScriptTask;
    public BpmnExpression? Expression { get; init; }
    public string? ResultVariable { get; init; }
}

/// <summary>Manual task or plain task: passes straight through.</summary>
public sealed class PassThroughTask : FlowNode
{
    public required ElementKind TaskKind { get; init; }
    public override ElementKind Kind => TaskKind;
}

public sealed class CallActivity : FlowNode
{
    public override ElementKind Kind => ElementKind.CallActivity;
    public BpmnExpression? CalledProcessId { get; init; }

    /// <summary>zeebe:calledElement propagateAllChildVariables (default true).</summary>
    public bool PropagateAllChildVariables { get; init; } = true;

    /// <summary>zeebe:calledElement propagateAllParentVariables (default true).</summary>
    public bool PropagateAllParentVariables { get; init; } = true;
}

public sealed class ExclusiveGateway : FlowNode
{
    public override ElementKind Kind => ElementKind.ExclusiveGateway;
    public string? DefaultFlowId { get; init; }
    public SequenceFlow? DefaultFlow { get; internal set; }
}

public sealed class ParallelGateway : FlowNode
{
    public override ElementKind Kind => ElementKind.ParallelGateway;
}

/// <summary>One executable &lt;bpmn:process&gt; of a definitions file.</summary>
public sealed class ProcessModel
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public bool IsExecutable { get; init; } = true;
    public IReadOnlyDictionary<string, string> Properties { get; init; } = FlowNode.EmptyProperties;
    public required IReadOnlyList<FlowNode> Nodes { get; init; }
    public required IReadOnlyList<SequenceFlow> Flows { get; init; }
    public required IReadOnlyDictionary<string, FlowNode> NodesById { get; init; }

    /// <summary>
    /// What the parser found inside this process that the model cannot express (unsupported elements, bad attribute
    /// values). The validator reports them together with its own findings.
    /// </summary>
    public IReadOnlyList<BpmnProblem> ParseProblems { get; init; } = [];

    /// <summary>Ids of unsupported flow elements (already in <see cref="ParseProblems"/>); flows to them are not dangling.</summary>
    internal IReadOnlySet<string> UnsupportedIds { get; init; } = new HashSet<string>();

    /// <summary>The none start event (at most one; the validator checks).</summary>
    public StartEvent? NoneStartEvent => Nodes.OfType<StartEvent>().FirstOrDefault(s => s.Trigger == EventTrigger.None);

    public IEnumerable<StartEvent> MessageStartEvents => Nodes.OfType<StartEvent>().Where(s => s.Trigger == EventTrigger.Message);

    /// <summary>The English display name (zeebe:properties "name.en"), falling back to the name.</summary>
    public string? EnglishName => Properties.TryGetValue("name.en", out var en) ? en : Name;
}

/// <summary>A whole &lt;bpmn:definitions&gt; file: its processes, messages and errors, and the source XML kept verbatim.</summary>
public sealed class BpmnDocument
{
    public required IReadOnlyList<ProcessModel> Processes { get; init; }
    public required IReadOnlyDictionary<string, MessageDefinition> Messages { get; init; }
    public required IReadOnlyDictionary<string, ErrorDefinition> Errors { get; init; }

    /// <summary>Problems the parser found outside any single process (duplicate ids, elements without id).</summary>
    public IReadOnlyList<BpmnProblem> ParseProblems { get; init; } = [];

    /// <summary>The XML as deployed (including diagram interchange, which the engine does not need).</summary>
    public required string Xml { get; init; }
}
