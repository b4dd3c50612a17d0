using System.Xml.Linq;

namespace WorkflowOrders.Engine.Bpmn;

/// <summary>Builds one <see cref="ProcessModel"/>: reads its flow nodes and flows, then links them.</summary>
internal sealed class ProcessReader(DocumentReader document, string processId)
{
    private static readonly XNamespace Bpmn = BpmnParser.Bpmn;
    private static readonly XNamespace Zeebe = BpmnParser.Zeebe;

    private readonly List<BpmnProblem> _problems = [];
    private readonly List<FlowNode> _nodes = [];
    private readonly List<SequenceFlow> _flows = [];
    private readonly HashSet<string> _unsupportedIds = new(StringComparer.Ordinal);

    public void ReadNode(XElement element, int order)
    {
        var type = element.Name.LocalName;
        var id = document.RequireId(element, _problems);
        if (id.Length == 0)
        {
            // Reported already; nothing can refer to an element without id.
            return;
        }

        var name = DocumentReader.Attr(element, "name");
        var describe = DocumentReader.Describe(type, id, name);

        if (DocumentReader.TryGetReplacement(type, out var replacement) || !IsSupported(type))
        {
            var instead = replacement is null ? "remove it" : $"remove it or replace it with {replacement}";
            Unsupported(id, type, name, $"{describe}{DocumentReader.LineOf(element)} is not supported by this engine: {instead}.");
            return;
        }

        var loop = element.Elements().FirstOrDefault(c => c.Name == Bpmn + "multiInstanceLoopCharacteristics" || c.Name == Bpmn + "standardLoopCharacteristics");
        if (loop is not null)
        {
            var what = loop.Name.LocalName == "standardLoopCharacteristics" ? "A loop marker" : "Multi-instance";
            _problems.Add(BpmnProblem.Error(id, type, name,
                $"{what} on {describe} is not supported by this engine: remove it and model one task per participant (for example a parallel gateway with one task per branch), or loop back with an exclusive gateway."));
        }

        var node = type switch
        {
            "startEvent" or "endEvent" or "intermediateCatchEvent" or "boundaryEvent" => ReadEvent(element, type, id, name, order),
            "userTask" => ReadUserTask(element, id, name, order),
            "serviceTask" or "sendTask" => ReadJobTask(element, type, id, name, order),
            "scriptTask" => ReadScriptTask(element, id, name, order),
            "manualTask" or "task" => new PassThroughTask
            {
                Id = id, Name = name, XmlType = type, DocumentOrder = order,
                TaskKind = type == "task" ? ElementKind.Task : ElementKind.ManualTask,
                Properties = DocumentReader.ReadProperties(element), Inputs = Mappings(element, "input"), Outputs = Mappings(element, "output"),
            },
            "callActivity" => ReadCallActivity(element, id, name, order),
            "exclusiveGateway" => new ExclusiveGateway
            {
                Id = id, Name = name, XmlType = type, DocumentOrder = order, DefaultFlowId = DocumentReader.Attr(element, "default"),
                Properties = DocumentReader.ReadProperties(element), Inputs = Mappings(element, "input"), Outputs = Mappings(element, "output"),
            },
            "parallelGateway" => new ParallelGateway
            {
                Id = id, Name = name, XmlType = type, DocumentOrder = order,
                Properties = DocumentReader.ReadProperties(element), Inputs = Mappings(element, "input"), Outputs = Mappings(element, "output"),
            },
            _ => null,
        };

        if (node is not null)
        {
            _nodes.Add(node);
        }
    }

    public void ReadFlow(XElement element, int order)
    {
        var id = document.RequireId(element, _problems);
        var conditionText = element.Element(Bpmn + "conditionExpression")?.Value.Trim();
        BpmnExpression? condition = null;
        if (!string.IsNullOrEmpty(conditionText))
        {
            // Conditions are FEEL whether or not the modeler wrote the leading '='.
            condition = conditionText.StartsWith('=') ? BpmnExpression.From(conditionText) : BpmnExpression.FromFeel(conditionText);
        }

        _flows.Add(new SequenceFlow
        {
            Id = id,
            Name = DocumentReader.Attr(element, "name"),
            SourceId = DocumentReader.Attr(element, "sourceRef") ?? "",
            TargetId = DocumentReader.Attr(element, "targetRef") ?? "",
            Condition = condition,
            DocumentOrder = order,
        });
    }

    public ProcessModel Build(string? name, bool isExecutable, IReadOnlyDictionary<string, string> properties)
    {
        // On a duplicate id the first element wins and the later one is left out; the duplicate is reported already.
        var byId = new Dictionary<string, FlowNode>(StringComparer.Ordinal);
        _nodes.RemoveAll(node => !byId.TryAdd(node.Id, node));

        foreach (var flow in _flows)
        {
            flow.Source = byId.GetValueOrDefault(flow.SourceId);
            flow.Target = byId.GetValueOrDefault(flow.TargetId);
            flow.Source?.OutgoingList.Add(flow);
            flow.Target?.IncomingList.Add(flow);
        }

        foreach (var boundary in _nodes.OfType<BoundaryEvent>())
        {
            boundary.AttachedTo = byId.GetValueOrDefault(boundary.AttachedToId);
            boundary.AttachedTo?.BoundaryList.Add(boundary);
        }

        foreach (var gateway in _nodes.OfType<ExclusiveGateway>())
        {
            gateway.DefaultFlow = gateway.OutgoingList.FirstOrDefault(f => f.Id == gateway.DefaultFlowId);
        }

        return new ProcessModel
        {
            Id = processId,
            Name = name,
            IsExecutable = isExecutable,
            Properties = properties,
            Nodes = _nodes,
            Flows = _flows,
            NodesById = byId,
            ParseProblems = _problems,
            UnsupportedIds = _unsupportedIds,
        };
    }

    private static bool IsSupported(string type) => type is "startEvent" or "endEvent" or "intermediateCatchEvent" or "boundaryEvent"
        or "userTask" or "serviceTask" or "sendTask" or "scriptTask" or "manualTask" or "task" or "callActivity"
        or "exclusiveGateway" or "parallelGateway";

    private void Unsupported(string id, string type, string? name, string message)
    {
        _problems.Add(BpmnProblem.Error(id, type, name, message));
        _unsupportedIds.Add(id);
    }

    private FlowNode? ReadEvent(XElement element, string type, string id, string? name, int order)
    {
        var definitions = element.Elements()
            .Where(c => c.Name.Namespace == Bpmn && c.Name.LocalName.EndsWith("EventDefinition", StringComparison.Ordinal))
            .ToList();
        var describe = DocumentReader.Describe(type, id, name);
        if (definitions.Count > 1)
        {
            Unsupported(id, type, name, $"{describe} has {definitions.Count} event definitions (a multiple event), which this engine does not support: keep one definition, or use one event per trigger.");
            return null;
        }

        var definition = definitions.FirstOrDefault();
        var trigger = definition?.Name.LocalName switch
        {
            null => EventTrigger.None,
            "timerEventDefinition" => EventTrigger.Timer,
            "messageEventDefinition" => EventTrigger.Message,
            "errorEventDefinition" => EventTrigger.Error,
            "terminateEventDefinition" => EventTrigger.Terminate,
            _ => (EventTrigger?)null,
        };

        var allowed = type switch
        {
            "startEvent" => trigger is EventTrigger.None or EventTrigger.Message or EventTrigger.Timer,
            "endEvent" => trigger is EventTrigger.None or EventTrigger.Terminate,
            "intermediateCatchEvent" => trigger is EventTrigger.None or EventTrigger.Message or EventTrigger.Timer,
            _ => trigger is EventTrigger.None or EventTrigger.Message or EventTrigger.Timer or EventTrigger.Error,
        };
        if (!allowed || trigger is null)
        {
            var kind = definition!.Name.LocalName.Replace("EventDefinition", "", StringComparison.Ordinal);
            var article = "aeiou".Contains(kind[0], StringComparison.Ordinal) ? "an" : "a";
            Unsupported(id, type, name, $"{describe} is {article} {kind} {EventNoun(type)}, which is not supported by this engine: remove it or replace it with {EventReplacement(type, kind)}.");
            return null;
        }

        var messageRef = trigger == EventTrigger.Message ? DocumentReader.Attr(definition, "messageRef") : null;
        MessageDefinition? message = null;
        if (messageRef is not null)
        {
            document.TryGetMessage(messageRef, out message);
        }

        var timer = trigger == EventTrigger.Timer ? ReadTimer(definition!) : null;
        var properties = DocumentReader.ReadProperties(element);
        var inputs = Mappings(element, "input");
        var outputs = Mappings(element, "output");

        switch (type)
        {
            case "startEvent":
                if (string.Equals(DocumentReader.Attr(element, "isInterrupting"), "false", StringComparison.OrdinalIgnoreCase))
                {
                    _problems.Add(BpmnProblem.Error(id, type, name, $"{describe} is non-interrupting, which only event sub-processes allow and this engine does not support: remove isInterrupting=\"false\"."));
                }

                return new StartEvent
                {
                    Id = id, Name = name, XmlType = type, DocumentOrder = order, Trigger = trigger.Value,
                    Message = message, MessageRef = messageRef, Timer = timer,
                    Properties = properties, Inputs = inputs, Outputs = outputs,
                };
            case "endEvent":
                return new EndEvent
                {
                    Id = id, Name = name, XmlType = type, DocumentOrder = order, Trigger = trigger.Value,
                    Properties = properties, Inputs = inputs, Outputs = outputs,
                };
            case "intermediateCatchEvent":
                return new IntermediateCatchEvent
                {
                    Id = id, Name = name, XmlType = type, DocumentOrder = order, Trigger = trigger.Value,
                    Message = message, MessageRef = messageRef, Timer = timer,
                    Properties = properties, Inputs = inputs, Outputs = outputs,
                };
            default:
                var errorRef = trigger == EventTrigger.Error ? DocumentReader.Attr(definition, "errorRef") : null;
                ErrorDefinition? error = null;
                if (errorRef is not null)
                {
                    document.TryGetError(errorRef, out error);
                }

                return new BoundaryEvent
                {
                    Id = id, Name = name, XmlType = type, DocumentOrder = order, Trigger = trigger.Value,
                    AttachedToId = DocumentReader.Attr(element, "attachedToRef") ?? "",
                    CancelActivity = ReadBool(element, "cancelActivity", true, id, type, name),
                    Message = message, MessageRef = messageRef, Timer = timer, Error = error, ErrorRef = errorRef,
                    Properties = properties, Inputs = inputs, Outputs = outputs,
                };
        }
    }

    private static string EventNoun(string type) => type switch
    {
        "startEvent" => "start event",
        "endEvent" => "end event",
        "boundaryEvent" => "boundary event",
        _ => "intermediate catch event",
    };

    private static string EventReplacement(string type, string kind) => (type, kind) switch
    {
        ("endEvent", "error") => "a none end event (a service task's handler can raise a business error that an error boundary event catches)",
        ("endEvent", "message") => "a send task followed by a none end event",
        ("endEvent", _) => "a none or terminate end event",
        ("startEvent", _) => "a none, message or timer start event",
        ("boundaryEvent", _) => "a timer, message or error boundary event",
        _ => "a timer or message event",
    };

    private static TimerDefinition? ReadTimer(XElement definition)
    {
        foreach (var (local, kind) in new[] { ("timeDuration", TimerKind.Duration), ("timeDate", TimerKind.Date), ("timeCycle", TimerKind.Cycle) })
        {
            var text = definition.Element(Bpmn + local)?.Value.Trim();
            if (!string.IsNullOrEmpty(text))
            {
                return new TimerDefinition(kind, BpmnExpression.From(text));
            }
        }

        return null;
    }

    private static UserTask ReadUserTask(XElement element, string id, string? name, int order)
    {
        var assignment = DocumentReader.ZeebeExt(element, "assignmentDefinition");
        var schedule = DocumentReader.ZeebeExt(element, "taskSchedule");
        var form = DocumentReader.ZeebeExt(element, "formDefinition");
        var priority = DocumentReader.ZeebeExt(element, "priorityDefinition");
        return new UserTask
        {
            Id = id, Name = name, XmlType = "userTask", DocumentOrder = order,
            Assignee = Expression(assignment, "assignee"),
            CandidateGroups = Expression(assignment, "candidateGroups"),
            CandidateUsers = Expression(assignment, "candidateUsers"),
            DueDate = Expression(schedule, "dueDate"),
            FollowUpDate = Expression(schedule, "followUpDate"),
            Priority = Expression(priority, "priority"),
            FormId = DocumentReader.Attr(form, "formId"),
            FormKey = DocumentReader.Attr(form, "formKey") ?? DocumentReader.Attr(form, "externalReference"),
            Headers = Headers(element),
            Properties = DocumentReader.ReadProperties(element), Inputs = Mappings(element, "input"), Outputs = Mappings(element, "output"),
        };
    }

    private static JobTask ReadJobTask(XElement element, string type, string id, string? name, int order)
    {
        var definition = DocumentReader.ZeebeExt(element, "taskDefinition");
        return new JobTask
        {
            Id = id, Name = name, XmlType = type, DocumentOrder = order,
            JobKind = type == "sendTask" ? ElementKind.SendTask : ElementKind.ServiceTask,
            TaskType = Expression(definition, "type"),
            // Camunda 8 gives a job three attempts unless the definition says otherwise.
            Retries = Expression(definition, "retries") ?? BpmnExpression.From("3"),
            Headers = Headers(element),
            Properties = DocumentReader.ReadProperties(element), Inputs = Mappings(element, "input"), Outputs = Mappings(element, "output"),
        };
    }

    private static ScriptTask ReadScriptTask(XElement element, string id, string? name, int order)
    {
        var script = DocumentReader.ZeebeExt(element, "script");
        return new ScriptTask
        {
            Id = id, Name = name, XmlType = "scriptTask", DocumentOrder = order,
            Expression = Expression(script, "expression"),
            ResultVariable = DocumentReader.Attr(script, "resultVariable"),
            Properties = DocumentReader.ReadProperties(element), Inputs = Mappings(element, "input"), Outputs = Mappings(element, "output"),
        };
    }

    private CallActivity ReadCallActivity(XElement element, string id, string? name, int order)
    {
        var called = DocumentReader.ZeebeExt(element, "calledElement");
        return new CallActivity
        {
            Id = id, Name = name, XmlType = "callActivity", DocumentOrder = order,
            CalledProcessId = Expression(called, "processId"),
            PropagateAllChildVariables = called is null || ReadBool(called, "propagateAllChildVariables", true, id, "callActivity", name),
            PropagateAllParentVariables = called is null || ReadBool(called, "propagateAllParentVariables", true, id, "callActivity", name),
            Properties = DocumentReader.ReadProperties(element), Inputs = Mappings(element, "input"), Outputs = Mappings(element, "output"),
        };
    }

    private bool ReadBool(XElement element, string attribute, bool fallback, string id, string type, string? name)
    {
        var text = DocumentReader.Attr(element, attribute);
        if (text is null)
        {
            return fallback;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        _problems.Add(BpmnProblem.Error(id, type, name,
            $"{DocumentReader.Describe(type, id, name)} has {attribute}=\"{text}\": write true or false."));
        return fallback;
    }

    private static BpmnExpression? Expression(XElement? element, string attribute)
    {
        var text = DocumentReader.Attr(element, attribute);
        return text is null ? null : BpmnExpression.From(text);
    }

    private static Dictionary<string, string> Headers(XElement element) =>
        DocumentReader.KeyValues(DocumentReader.ZeebeExt(element, "taskHeaders"), "header", "key", "value");

    private static List<VariableMapping> Mappings(XElement element, string direction)
    {
        var io = DocumentReader.ZeebeExt(element, "ioMapping");
        if (io is null)
        {
            return [];
        }

        return io.Elements(Zeebe + direction)
            .Select(m =>
            {
                var source = DocumentReader.Attr(m, "source");
                // Camunda 8 sets the target to null when a mapping has no source.
                return new VariableMapping(source is null ? BpmnExpression.FromFeel("null") : BpmnExpression.From(source), DocumentReader.Attr(m, "target") ?? "");
            })
            .ToList();
    }
}
