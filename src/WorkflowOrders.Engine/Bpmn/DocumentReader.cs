using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace WorkflowOrders.Engine.Bpmn;

/// <summary>
/// Walks a well-formed &lt;bpmn:definitions&gt; element and builds the model. It never throws for content problems:
/// anything it cannot represent becomes a <see cref="BpmnProblem"/> so the user sees every problem at once.
/// </summary>
internal sealed class DocumentReader(string xml)
{
    private static readonly XNamespace Bpmn = BpmnParser.Bpmn;
    private static readonly XNamespace Zeebe = BpmnParser.Zeebe;

    // Children of <process> that carry no behaviour here: layout, documentation, data and artifacts.
    private static readonly HashSet<string> IgnoredProcessChildren = new(StringComparer.Ordinal)
    {
        "documentation", "extensionElements", "laneSet", "textAnnotation", "association", "group",
        "dataObject", "dataObjectReference", "dataStoreReference", "property", "ioSpecification", "ioBinding",
        "auditing", "monitoring", "correlationSubscription", "supports", "resourceRole", "performer", "potentialOwner",
    };

    // The flow elements this engine cannot run, with what to use instead (architecture.md §2).
    private static readonly Dictionary<string, string> Replacements = new(StringComparer.Ordinal)
    {
        ["subProcess"] = "its steps drawn in the process itself, or a call activity starting a separate process that holds them",
        ["adHocSubProcess"] = "tasks behind a parallel gateway, or a call activity starting a separate process",
        ["transaction"] = "its steps drawn in the process itself, or a call activity",
        ["eventBasedGateway"] = "a user task or intermediate catch event with message and timer boundary events",
        ["inclusiveGateway"] = "a parallel gateway followed by an exclusive gateway on each branch",
        ["complexGateway"] = "parallel and exclusive gateways",
        ["businessRuleTask"] = "a script task (zeebe:script) or a service task",
        ["receiveTask"] = "a message intermediate catch event",
        ["intermediateThrowEvent"] = "a send task (to send a message) or a plain task (to mark a milestone)",
        ["callChoreography"] = "a call activity",
        ["subChoreography"] = "a call activity",
        ["choreographyTask"] = "a task",
    };

    private readonly List<BpmnProblem> _documentProblems = [];
    private readonly Dictionary<string, string> _idOwners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MessageDefinition> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ErrorDefinition> _errors = new(StringComparer.Ordinal);

    public BpmnDocument Read(XElement definitions)
    {
        // Messages and errors first: events refer to them, and modelers write them after the processes.
        foreach (var element in definitions.Elements(Bpmn + "message"))
        {
            var id = RequireId(element, null);
            var name = Attr(element, "name");
            var key = Attr(ZeebeExt(element, "subscription"), "correlationKey");
            var message = new MessageDefinition(id, BpmnExpression.From(name ?? ""), key is null ? null : BpmnExpression.From(key));
            _messages.TryAdd(id, message);
        }

        foreach (var element in definitions.Elements(Bpmn + "error"))
        {
            var id = RequireId(element, null);
            _errors.TryAdd(id, new ErrorDefinition(id, Attr(element, "name"), Attr(element, "errorCode")));
        }

        var processes = definitions.Elements(Bpmn + "process").Select(ReadProcess).ToList();

        return new BpmnDocument
        {
            Processes = processes,
            Messages = _messages,
            Errors = _errors,
            Xml = xml,
            ParseProblems = _documentProblems,
        };
    }

    private ProcessModel ReadProcess(XElement process)
    {
        var processId = RequireId(process, null);
        var reader = new ProcessReader(this, processId);
        var order = 0;
        var flowElements = new List<XElement>();
        foreach (var child in process.Elements())
        {
            if (child.Name.Namespace != Bpmn || IgnoredProcessChildren.Contains(child.Name.LocalName))
            {
                continue;
            }

            if (child.Name.LocalName == "sequenceFlow")
            {
                flowElements.Add(child);
                continue;
            }

            reader.ReadNode(child, order++);
        }

        var flowOrder = 0;
        foreach (var flow in flowElements)
        {
            reader.ReadFlow(flow, flowOrder++);
        }

        var isExecutable = string.Equals(Attr(process, "isExecutable"), "true", StringComparison.OrdinalIgnoreCase);
        return reader.Build(Attr(process, "name"), isExecutable, ReadProperties(process));
    }

    /// <summary>Reads the id and records duplicates; a missing id becomes "" with a problem.</summary>
    internal string RequireId(XElement element, List<BpmnProblem>? problems)
    {
        var type = element.Name.LocalName;
        var name = Attr(element, "name");
        var id = Attr(element, "id");
        if (id is null)
        {
            var named = name is null ? "" : $" named '{name}'";
            (problems ?? _documentProblems).Add(BpmnProblem.Error(null, type, name,
                $"A {type}{named}{LineOf(element)} has no id: give it a unique id (the modeler does this when you draw the element)."));
            return "";
        }

        var describe = Describe(type, id, name);
        if (!_idOwners.TryAdd(id, describe))
        {
            _documentProblems.Add(BpmnProblem.Error(id, type, name,
                $"The id '{id}' is used twice: by {_idOwners[id]} and by {describe}{LineOf(element)}. Ids must be unique in the file: rename one of them."));
        }

        return id;
    }

    internal static string Describe(string type, string id, string? name) =>
        name is null ? $"{type} '{id}'" : $"{type} '{id}' ({name})";

    internal static string LineOf(XElement element) =>
        element is IXmlLineInfo info && info.HasLineInfo()
            ? string.Create(CultureInfo.InvariantCulture, $" (line {info.LineNumber})")
            : "";

    /// <summary>An attribute's value, or null when absent or blank (modelers leave empty attributes behind).</summary>
    internal static string? Attr(XElement? element, string name)
    {
        var value = element?.Attribute(name)?.Value;
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    internal static XElement? ZeebeExt(XElement element, string localName) =>
        element.Element(Bpmn + "extensionElements")?.Element(Zeebe + localName);

    internal static Dictionary<string, string> ReadProperties(XElement element) =>
        KeyValues(ZeebeExt(element, "properties"), "property", "name", "value");

    internal static Dictionary<string, string> KeyValues(XElement? container, string itemName, string keyName, string valueName)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (container is null)
        {
            return result;
        }

        foreach (var item in container.Elements(Zeebe + itemName))
        {
            var key = Attr(item, keyName);
            if (key is not null)
            {
                result[key] = item.Attribute(valueName)?.Value ?? "";
            }
        }

        return result;
    }

    internal bool TryGetMessage(string id, out MessageDefinition? message) => _messages.TryGetValue(id, out message);

    internal bool TryGetError(string id, out ErrorDefinition? error) => _errors.TryGetValue(id, out error);

    internal static bool TryGetReplacement(string localName, out string? replacement) =>
        Replacements.TryGetValue(localName, out replacement);
}
