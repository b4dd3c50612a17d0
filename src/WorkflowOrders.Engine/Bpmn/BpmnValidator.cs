using System.Globalization;
using System.Text.RegularExpressions;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Engine.Bpmn;

/// <summary>
/// Checks a parsed definition before it is accepted. Reports every problem at once; each message names the element
/// (type, id, name) and says what to do.
/// </summary>
public static partial class BpmnValidator
{
    public static IReadOnlyList<BpmnProblem> Validate(BpmnDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var problems = new List<BpmnProblem>(document.ParseProblems);

        var executable = document.Processes.Where(p => p.IsExecutable).ToList();
        if (document.Processes.Count == 0)
        {
            problems.Add(BpmnProblem.Error(null, "definitions", null,
                "The file contains no process: draw the process (start event, tasks, end event) and save it again."));
        }
        else if (executable.Count == 0)
        {
            var ids = string.Join(", ", document.Processes.Select(p => $"'{p.Id}'"));
            problems.Add(BpmnProblem.Error(document.Processes[0].Id, "process", document.Processes[0].Name,
                $"No process in the file is executable ({ids}): set isExecutable=\"true\" on the process to deploy (in Camunda Modeler: tick 'Executable' in the process properties)."));
        }

        foreach (var process in executable)
        {
            new ProcessCheck(process, problems).Run();
        }

        return problems;
    }

    /// <summary>A variable name or dotted path as io mappings and result variables accept.</summary>
    [GeneratedRegex(@"^[\p{L}_][\p{L}\p{Nd}_]*(\.[\p{L}_][\p{L}\p{Nd}_]*)*$")]
    internal static partial Regex VariablePath();

    /// <summary>A date, or a date and time with or without offset (without: the instance calendar's zone), optionally with a [zone] suffix.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?(\[[^\]]+\])?$")]
    internal static partial Regex IsoDateTime();

    private sealed class ProcessCheck(ProcessModel process, List<BpmnProblem> problems)
    {
        private readonly HashSet<string> _reportedMessages = new(StringComparer.Ordinal);
        private readonly HashSet<FlowNode> _withoutIncoming = [];

        public void Run()
        {
            problems.AddRange(process.ParseProblems);
            CheckStartEvents();
            foreach (var node in process.Nodes)
            {
                CheckConnections(node);
                CheckNode(node);
                CheckMappings(node);
            }

            foreach (var flow in process.Flows)
            {
                CheckFlow(flow);
            }

            CheckReachability();
        }

        private void Add(FlowNode node, string message) => problems.Add(BpmnProblem.Error(node, message));

        private void CheckStartEvents()
        {
            var starts = process.Nodes.OfType<StartEvent>().ToList();
            // An unsupported start event (signal, conditional …) is reported already; "no start event" would only repeat it.
            if (starts.Count == 0 && !process.ParseProblems.Any(p => p.ElementType == "startEvent"))
            {
                problems.Add(BpmnProblem.Error(process.Id, "process", process.Name,
                    $"{DocumentReader.Describe("process", process.Id, process.Name)} has no start event: add a start event where the process begins."));
            }

            var noneStarts = starts.Where(s => s.Trigger == EventTrigger.None).ToList();
            foreach (var extra in noneStarts.Skip(1))
            {
                Add(extra, $"{extra.Describe()} is a second start event without a trigger (the first is {noneStarts[0].Describe()}): a process has at most one; remove it or give it a message or timer definition.");
            }
        }

        private void CheckConnections(FlowNode node)
        {
            var d = node.Describe();
            switch (node)
            {
                case StartEvent when node.Incoming.Count > 0:
                    Add(node, $"{d} has an incoming sequence flow: nothing may lead into a start event; connect the flow to another element.");
                    break;
                case BoundaryEvent when node.Incoming.Count > 0:
                    Add(node, $"{d} has an incoming sequence flow: a boundary event is triggered by its activity, not by a flow; remove the flow.");
                    break;
                case StartEvent or BoundaryEvent:
                    break;
                default:
                    if (node.Incoming.Count == 0)
                    {
                        _withoutIncoming.Add(node);
                        Add(node, $"{d} has no incoming sequence flow, so it can never be reached: connect a previous element to it or remove it.");
                    }

                    break;
            }

            if (node is EndEvent)
            {
                if (node.Outgoing.Count > 0)
                {
                    Add(node, $"{d} has an outgoing sequence flow: an end event ends its path; remove the flow or use another element.");
                }
            }
            else if (node.Outgoing.Count == 0)
            {
                Add(node, node is ExclusiveGateway or ParallelGateway
                    ? $"{d} has no outgoing sequence flow: a gateway must lead somewhere; connect it to the next elements."
                    : $"{d} has no outgoing sequence flow: connect it to the next element, or end the path with an end event.");
            }
        }

        private void CheckNode(FlowNode node)
        {
            var d = node.Describe();
            switch (node)
            {
                case UserTask task:
                    if (!task.HasAssignment)
                    {
                        Add(node, $"{d} has no assignee, candidate groups or candidate users, so nobody would receive it: set an assignment (zeebe:assignmentDefinition, e.g. candidate groups = a role key such as 'sales').");
                    }

                    CheckExpression(node, "assignee", task.Assignee);
                    CheckExpression(node, "candidate groups", task.CandidateGroups);
                    CheckExpression(node, "candidate users", task.CandidateUsers);
                    CheckExpression(node, "due date", task.DueDate);
                    CheckExpression(node, "follow-up date", task.FollowUpDate);
                    CheckExpression(node, "priority", task.Priority);
                    if (task.Priority?.StaticValue is { } priority && !IsIntegerIn(priority, 0, 100))
                    {
                        Add(node, $"{d} has priority '{priority}': write a whole number from 0 to 100 or an expression starting with '='.");
                    }

                    break;
                case JobTask job:
                    if (job.TaskType is null)
                    {
                        Add(node, $"{d} has no task type, so no handler would do its work: set zeebe:taskDefinition type (pick the task from an element template).");
                    }

                    CheckExpression(node, "task type", job.TaskType);
                    CheckExpression(node, "retries", job.Retries);
                    if (job.Retries?.StaticValue is { } retries && !IsIntegerIn(retries, 0, int.MaxValue))
                    {
                        Add(node, $"{d} has retries '{retries}': write a whole number of attempts (0 or more) or an expression starting with '='.");
                    }

                    break;
                case ScriptTask script:
                    if (script.Expression is null)
                    {
                        Add(node, $"{d} has no script expression: set zeebe:script expression (a FEEL expression starting with '=').");
                    }
                    else if (!script.Expression.IsExpression)
                    {
                        Add(node, $"{d} has the script expression '{script.Expression.Raw}', which is not a FEEL expression: start it with '='.");
                    }

                    if (script.ResultVariable is null)
                    {
                        Add(node, $"{d} has no result variable: set zeebe:script resultVariable to the variable that receives the value.");
                    }
                    else if (!VariablePath().IsMatch(script.ResultVariable))
                    {
                        Add(node, $"{d} has the result variable '{script.ResultVariable}', which is not a variable name: use letters, digits and '_' (not starting with a digit).");
                    }

                    CheckExpression(node, "script expression", script.Expression);
                    break;
                case CallActivity call:
                    if (call.CalledProcessId is null)
                    {
                        Add(node, $"{d} does not say which process to call: set zeebe:calledElement processId to the id of the called process.");
                    }

                    CheckExpression(node, "called process id", call.CalledProcessId);
                    break;
                case ExclusiveGateway gateway:
                    CheckExclusiveGateway(gateway);
                    break;
                case StartEvent start:
                    CheckEventDefinition(node, start.Trigger, start.Timer, start.MessageRef, start.Message, needsCorrelationKey: false);
                    if (start.Trigger == EventTrigger.Timer)
                    {
                        // The runtime schedules timers per instance; a process-level timer start has no instance to live in yet.
                        Add(node, $"{d} is a timer start event, which this engine does not run: use a none start event and start the process from the app or the API, or a message start event.");
                    }

                    break;
                case IntermediateCatchEvent catchEvent:
                    if (catchEvent.Trigger == EventTrigger.None)
                    {
                        Add(node, $"{d} has no event definition, so it would wait for nothing: make it a timer or message event, or remove it.");
                    }

                    CheckEventDefinition(node, catchEvent.Trigger, catchEvent.Timer, catchEvent.MessageRef, catchEvent.Message, needsCorrelationKey: true);
                    if (catchEvent.Timer?.Kind == TimerKind.Cycle)
                    {
                        Add(node, $"{d} uses a timer cycle, which an intermediate timer cannot use: use a timer duration or a timer date.");
                    }

                    break;
                case BoundaryEvent boundary:
                    CheckBoundary(boundary);
                    break;
                default:
                    break;
            }
        }

        private void CheckBoundary(BoundaryEvent boundary)
        {
            var d = boundary.Describe();
            if (boundary.AttachedToId.Length == 0)
            {
                Add(boundary, $"{d} is not attached to any activity: drop it onto the border of a task or call activity.");
            }
            else if (boundary.AttachedTo is null)
            {
                if (!process.UnsupportedIds.Contains(boundary.AttachedToId))
                {
                    Add(boundary, $"{d} is attached to '{boundary.AttachedToId}', which is not an element of process '{process.Id}': attach it to a task or call activity of this process.");
                }
            }
            else if (!IsActivity(boundary.AttachedTo))
            {
                Add(boundary, $"{d} is attached to {boundary.AttachedTo.Describe()}, which is not an activity: attach it to a task or call activity.");
            }

            switch (boundary.Trigger)
            {
                case EventTrigger.None:
                    Add(boundary, $"{d} has no event definition: make it a timer, message or error boundary event, or remove it.");
                    break;
                case EventTrigger.Error:
                    if (!boundary.CancelActivity)
                    {
                        Add(boundary, $"{d} is an error boundary event marked non-interrupting: an error always ends its activity; set cancelActivity=\"true\".");
                    }

                    if (boundary.ErrorRef is not null && boundary.Error is null)
                    {
                        Add(boundary, $"{d} refers to error '{boundary.ErrorRef}', which is not defined in the file: select an existing error or define it (bpmn:error with an error code).");
                    }
                    else if (boundary.Error is { ErrorCode: null } error)
                    {
                        Add(boundary, $"{d} catches error '{error.Id}', which has no error code: set the error code the handler raises (or remove the error reference to catch every error).");
                    }

                    break;
                default:
                    CheckEventDefinition(boundary, boundary.Trigger, boundary.Timer, boundary.MessageRef, boundary.Message, needsCorrelationKey: true);
                    break;
            }
        }

        private void CheckEventDefinition(FlowNode node, EventTrigger trigger, TimerDefinition? timer, string? messageRef, MessageDefinition? message, bool needsCorrelationKey)
        {
            var d = node.Describe();
            if (trigger == EventTrigger.Timer)
            {
                if (timer is null)
                {
                    Add(node, $"{d} is a timer event without a time: set a timer duration (e.g. PT4H), date or cycle, or an expression starting with '='.");
                }
                else
                {
                    CheckTimer(node, timer);
                }
            }
            else if (trigger == EventTrigger.Message)
            {
                if (messageRef is null)
                {
                    Add(node, $"{d} is a message event without a message: select or create a message (with a name) in its properties.");
                }
                else if (message is null)
                {
                    Add(node, $"{d} refers to message '{messageRef}', which is not defined in the file: select an existing message or create it.");
                }
                else
                {
                    CheckMessage(node, message, needsCorrelationKey);
                }
            }
        }

        private void CheckMessage(FlowNode node, MessageDefinition message, bool needsCorrelationKey)
        {
            var d = node.Describe();
            if (message.Name.Raw.Length == 0)
            {
                Add(node, $"{d} uses message '{message.Id}', which has no name: give the message the name senders use.");
            }

            if (needsCorrelationKey && message.CorrelationKey is null)
            {
                Add(node, $"{d} waits for message '{message.Id}', which has no correlation key: set the subscription correlation key (e.g. =orderId) so the message reaches the right instance.");
            }

            // The same message may serve several events; its expressions are reported once.
            if (_reportedMessages.Add(message.Id))
            {
                CheckExpression(node, $"name of message '{message.Id}' used by", message.Name, describeOwner: true);
                CheckExpression(node, $"correlation key of message '{message.Id}' used by", message.CorrelationKey, describeOwner: true);
            }
        }

        private void CheckTimer(FlowNode node, TimerDefinition timer)
        {
            var label = timer.Kind switch
            {
                TimerKind.Duration => "timer duration",
                TimerKind.Date => "timer date",
                _ => "timer cycle",
            };
            CheckExpression(node, label, timer.Value);
            if (timer.Value.StaticValue is not { } text)
            {
                return;
            }

            var valid = timer.Kind switch
            {
                // The same readers the runtime arms timers with, so what passes here also runs.
                TimerKind.Duration => IsoDurations.TryAdd(DateTimeOffset.UnixEpoch, text, out _),
                TimerKind.Date => IsIsoDateTime(text),
                _ => IsoDurations.TryParseCycle(text, out _, out _, out _),
            };
            if (!valid)
            {
                var example = timer.Kind switch
                {
                    TimerKind.Duration => "an ISO-8601 duration such as PT4H or P1D",
                    TimerKind.Date => "an ISO-8601 date and time such as 2026-03-02T09:00:00+08:00 (without offset it is read in the calendar's time zone)",
                    _ => "a repetition such as R3/PT1H or R/P1D (cron expressions are not supported)",
                };
                Add(node, $"{node.Describe()} has the {label} '{text}', which cannot be read: write {example}, or an expression starting with '='.");
            }
        }

        private void CheckExclusiveGateway(ExclusiveGateway gateway)
        {
            var d = gateway.Describe();
            if (gateway.DefaultFlowId is not null && gateway.DefaultFlow is null)
            {
                var exists = process.Flows.Any(f => f.Id == gateway.DefaultFlowId);
                Add(gateway, exists
                    ? $"{d} names sequenceFlow '{gateway.DefaultFlowId}' as its default flow, but that flow does not leave this gateway: choose one of the gateway's outgoing flows as default."
                    : $"{d} names '{gateway.DefaultFlowId}' as its default flow, but there is no such sequence flow: choose one of the gateway's outgoing flows as default.");
            }

            if (gateway.DefaultFlow?.Condition is not null)
            {
                problems.Add(new BpmnProblem(ProblemSeverity.Warning, gateway.DefaultFlow.Id, "sequenceFlow", gateway.DefaultFlow.Name,
                    $"{DescribeFlow(gateway.DefaultFlow)} is the default flow of {d} and also has a condition, which is never evaluated: remove the condition."));
            }

            if (gateway.Outgoing.Count < 2)
            {
                return;
            }

            foreach (var flow in gateway.Outgoing.Where(f => f.Condition is null && !ReferenceEquals(f, gateway.DefaultFlow)))
            {
                problems.Add(BpmnProblem.Error(flow.Id, "sequenceFlow", flow.Name,
                    $"{DescribeFlow(flow)} leaves {d} without a condition and is not its default flow, so the gateway could not decide: add a condition (e.g. =approved = true) or make it the default flow."));
            }
        }

        private void CheckFlow(SequenceFlow flow)
        {
            var d = DescribeFlow(flow);
            CheckEnd(flow, flow.SourceId, flow.Source, "source", "sourceRef");
            CheckEnd(flow, flow.TargetId, flow.Target, "target", "targetRef");
            if (flow.Condition is not null && flow.Source is not null and not ExclusiveGateway)
            {
                problems.Add(BpmnProblem.Error(flow.Id, "sequenceFlow", flow.Name,
                    $"{d} has a condition but leaves {flow.Source.Describe()}: conditions are only evaluated on flows leaving an exclusive gateway; remove the condition or insert an exclusive gateway."));
            }

            if (flow.Condition?.ParseError is { } error)
            {
                problems.Add(BpmnProblem.Error(flow.Id, "sequenceFlow", flow.Name,
                    $"The condition of {d} cannot be parsed: {error}. Correct the FEEL expression."));
            }
        }

        private void CheckEnd(SequenceFlow flow, string id, FlowNode? resolved, string role, string attribute)
        {
            if (resolved is not null || process.UnsupportedIds.Contains(id))
            {
                return;
            }

            var message = id.Length == 0
                ? $"{DescribeFlow(flow)} has no {role} ({attribute}): connect both of its ends in the diagram or delete it."
                : $"{DescribeFlow(flow)} has {role} '{id}', which is not an element of process '{process.Id}': reconnect it in the diagram or delete it.";
            problems.Add(BpmnProblem.Error(flow.Id, "sequenceFlow", flow.Name, message));
        }

        private void CheckMappings(FlowNode node)
        {
            foreach (var (mappings, direction) in new[] { (node.Inputs, "input"), (node.Outputs, "output") })
            {
                foreach (var mapping in mappings)
                {
                    if (!VariablePath().IsMatch(mapping.Target))
                    {
                        var target = mapping.Target.Length == 0 ? "an empty target" : $"the target '{mapping.Target}'";
                        Add(node, $"{node.Describe()} has an {direction} mapping with {target}: name the variable to write (letters, digits, '_', paths with '.').");
                    }

                    CheckExpression(node, $"{direction} mapping '{mapping.Target}' of", mapping.Source, describeOwner: true);
                }
            }
        }

        private void CheckReachability()
        {
            var reached = new HashSet<FlowNode>();
            var pending = new Stack<FlowNode>();
            void Visit(FlowNode? node)
            {
                if (node is not null && reached.Add(node))
                {
                    pending.Push(node);
                }
            }

            // Elements behind an unsupported or unknown element are treated as reachable: that break is reported already.
            foreach (var node in process.Nodes)
            {
                if (node is StartEvent || node is BoundaryEvent { AttachedTo: null })
                {
                    Visit(node);
                }
            }

            foreach (var flow in process.Flows.Where(f => f.Source is null))
            {
                Visit(flow.Target);
            }

            while (pending.Count > 0)
            {
                var node = pending.Pop();
                foreach (var flow in node.Outgoing)
                {
                    Visit(flow.Target);
                }

                foreach (var boundary in node.BoundaryEvents)
                {
                    Visit(boundary);
                }
            }

            foreach (var node in process.Nodes)
            {
                if (!reached.Contains(node) && !_withoutIncoming.Contains(node) && node is not BoundaryEvent)
                {
                    Add(node, $"{node.Describe()} cannot be reached from any start event: connect it to the flow or remove it.");
                }
            }
        }

        private void CheckExpression(FlowNode node, string label, BpmnExpression? expression, bool describeOwner = false)
        {
            if (expression?.ParseError is not { } error)
            {
                return;
            }

            var owner = describeOwner ? $"The {label} {node.Describe()}" : $"The {label} of {node.Describe()}";
            Add(node, $"{owner} cannot be parsed: {error}. Correct the FEEL expression.");
        }
    }

    internal static string DescribeFlow(SequenceFlow flow) => DocumentReader.Describe("sequenceFlow", flow.Id, flow.Name);

    private static bool IsActivity(FlowNode node) => node.Kind is ElementKind.UserTask or ElementKind.ServiceTask or ElementKind.SendTask
        or ElementKind.ScriptTask or ElementKind.ManualTask or ElementKind.Task or ElementKind.CallActivity;

    private static bool IsIntegerIn(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max;

    private static bool IsIsoDateTime(string text)
    {
        if (!IsoDateTime().IsMatch(text))
        {
            return false;
        }

        var bracket = text.IndexOf('[', StringComparison.Ordinal);
        var instant = bracket < 0 ? text : text[..bracket];
        return DateTime.TryParse(instant, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }
}
