using System.Text;
using WorkflowOrders.Engine.Bpmn;

namespace WorkflowOrders.Engine.Tests.Bpmn;

public class BpmnParserTests
{
    private static ProcessModel AllElements()
    {
        var document = BpmnXml.ParseValid(BpmnXml.Sample("all-elements.bpmn"));
        return Assert.Single(document.Processes);
    }

    private static T Node<T>(ProcessModel process, string id) where T : FlowNode => Assert.IsType<T>(process.NodesById[id]);

    [Fact]
    public void Parse_AllElementsSample_ReadsEveryNodeWithItsKindInDocumentOrder()
    {
        var process = AllElements();

        Assert.Equal("all-elements", process.Id);
        Assert.Equal("所有元素", process.Name);
        Assert.True(process.IsExecutable);
        Assert.Equal("All elements", process.EnglishName);
        var kinds = process.Nodes.Select(n => n.Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<ElementKind>().ToHashSet(), kinds);
        Assert.Equal(process.Nodes.Count, process.NodesById.Count);
        Assert.Equal(Enumerable.Range(0, process.Nodes.Count), process.Nodes.Select(n => n.DocumentOrder));
        Assert.Equal(26, process.Flows.Count);
    }

    [Fact]
    public void Parse_AllElementsSample_ReadsUserTaskExtensions()
    {
        var task = Node<UserTask>(AllElements(), "UserTask_Review");

        Assert.Equal("销售评审", task.Name);
        Assert.Equal("userTask", task.XmlType);
        Assert.Equal("=initiator", task.Assignee?.Raw);
        Assert.True(task.Assignee?.IsExpression);
        Assert.Equal("sales, planning", task.CandidateGroups?.StaticValue);
        Assert.Equal("=reviewers", task.CandidateUsers?.Raw);
        Assert.Equal("=addWorkingDays(now(), 1)", task.DueDate?.Raw);
        Assert.NotNull(task.DueDate?.Feel);
        Assert.Equal("=now()", task.FollowUpDate?.Raw);
        Assert.Equal("75", task.Priority?.StaticValue);
        Assert.Equal("review", task.FormId);
        Assert.Null(task.FormKey);
        Assert.Equal(new Dictionary<string, string> { ["role"] = "sales", ["escalation"] = "manager" }, task.Headers);
        Assert.Equal("Sales review", task.Properties["name.en"]);
        Assert.Equal("PT4H,P1D", task.Properties["escalation.ladder"]);
        var input = Assert.Single(task.Inputs);
        Assert.Equal(("=order.id", "orderId"), (input.Source.Raw, input.Target));
        var output = Assert.Single(task.Outputs);
        Assert.Equal(("=outcome", "reviewOutcome"), (output.Source.Raw, output.Target));
        Assert.True(task.HasAssignment);

        var approve = Node<UserTask>(AllElements(), "UserTask_Approve");
        Assert.Equal("https://forms.example/approve", approve.FormKey);
        Assert.Null(approve.FormId);
    }

    [Fact]
    public void Parse_AllElementsSample_ReadsServiceAndSendTaskDefinitions()
    {
        var process = AllElements();
        var notify = Node<JobTask>(process, "ServiceTask_Notify");
        var mail = Node<JobTask>(process, "SendTask_Mail");

        Assert.Equal(ElementKind.ServiceTask, notify.Kind);
        Assert.Equal("send-email", notify.TaskType?.StaticValue);
        Assert.Equal("5", notify.Retries?.StaticValue);
        Assert.Equal("review-started", notify.Headers["template"]);
        var input = Assert.Single(notify.Inputs);
        Assert.Equal(("=\"planning\"", "mail.to"), (input.Source.Raw, input.Target));

        Assert.Equal(ElementKind.SendTask, mail.Kind);
        Assert.Equal("sendTask", mail.XmlType);
        Assert.True(mail.TaskType?.IsExpression);
        Assert.Equal("3", mail.Retries?.StaticValue);
    }

    [Fact]
    public void Parse_AllElementsSample_ReadsScriptTaskAndCallActivity()
    {
        var process = AllElements();
        var script = Node<ScriptTask>(process, "ScriptTask_Score");
        var call = Node<CallActivity>(process, "CallActivity_Sub");

        Assert.Equal("=count(reviews)", script.Expression?.Raw);
        Assert.NotNull(script.Expression?.Feel);
        Assert.Equal("reviewCount", script.ResultVariable);
        Assert.Equal("order-change", call.CalledProcessId?.StaticValue);
        Assert.False(call.PropagateAllChildVariables);
        Assert.True(call.PropagateAllParentVariables);
        Assert.Equal(ElementKind.Task, Node<PassThroughTask>(process, "Task_Plain").Kind);
        Assert.Equal(ElementKind.ManualTask, Node<PassThroughTask>(process, "ManualTask_Check").Kind);
    }

    [Fact]
    public void Parse_AllElementsSample_ReadsStartAndEndEvents()
    {
        var process = AllElements();

        Assert.Equal("StartEvent_1", process.NoneStartEvent?.Id);
        Assert.Equal("Order received", process.NoneStartEvent?.Properties["name.en"]);
        var messageStart = Assert.Single(process.MessageStartEvents);
        Assert.Equal("StartEvent_Change", messageStart.Id);
        Assert.Equal("Message_Change", messageStart.MessageRef);
        Assert.Equal("order-change-requested", messageStart.Message?.Name.StaticValue);
        Assert.Null(messageStart.Message?.CorrelationKey);
        Assert.Equal(EventTrigger.Terminate, Node<EndEvent>(process, "End_Declined").Trigger);
        Assert.Equal(EventTrigger.None, Node<EndEvent>(process, "End_Done").Trigger);
    }

    [Fact]
    public void Parse_AllElementsSample_ReadsIntermediateCatchEvents()
    {
        var process = AllElements();
        var wait = Node<IntermediateCatchEvent>(process, "Catch_Wait");
        var confirm = Node<IntermediateCatchEvent>(process, "Catch_Confirm");

        Assert.Equal(EventTrigger.Timer, wait.Trigger);
        Assert.Equal(TimerKind.Duration, wait.Timer?.Kind);
        Assert.Equal("PT1H", wait.Timer?.Value.StaticValue);
        Assert.Equal(EventTrigger.Message, confirm.Trigger);
        Assert.Equal("customer-confirmed", confirm.Message?.Name.StaticValue);
        Assert.Equal("=orderId", confirm.Message?.CorrelationKey?.Raw);
        Assert.Contains("orderId", confirm.Message!.CorrelationKey!.VariableNames);
    }

    [Fact]
    public void Parse_AllElementsSample_ReadsBoundaryEventsAndAttachesThem()
    {
        var process = AllElements();
        var review = process.NodesById["UserTask_Review"];
        var remind = Node<BoundaryEvent>(process, "Boundary_Remind");
        var deadline = Node<BoundaryEvent>(process, "Boundary_Deadline");
        var cancel = Node<BoundaryEvent>(process, "Boundary_Cancel");
        var mailFailed = Node<BoundaryEvent>(process, "Boundary_MailFailed");

        Assert.Equal([remind, deadline], review.BoundaryEvents);
        Assert.Same(review, remind.AttachedTo);
        Assert.False(remind.CancelActivity);
        Assert.Equal(TimerKind.Cycle, remind.Timer?.Kind);
        Assert.Equal("R3/PT4H", remind.Timer?.Value.StaticValue);
        Assert.True(deadline.CancelActivity);
        Assert.Equal(TimerKind.Date, deadline.Timer?.Kind);
        Assert.Contains("order", deadline.Timer!.Value.VariableNames);
        Assert.Equal(EventTrigger.Message, cancel.Trigger);
        Assert.True(cancel.Message?.Name.IsExpression);
        Assert.Same(process.NodesById["CallActivity_Sub"], cancel.AttachedTo);
        Assert.Equal(EventTrigger.Error, mailFailed.Trigger);
        Assert.Equal(new ErrorDefinition("Error_Mail", "Mail failed", "MAIL_FAILED"), mailFailed.Error);
        Assert.Equal("Error_Mail", mailFailed.ErrorRef);
    }

    [Fact]
    public void Parse_AllElementsSample_LinksFlowsInDocumentOrderWithConditionsAndDefault()
    {
        var process = AllElements();
        var decide = Node<ExclusiveGateway>(process, "Gateway_Decide");
        var fork = process.NodesById["Gateway_Fork"];

        Assert.Equal(["Flow_Passed", "Flow_Rework", "Flow_Declined"], decide.Outgoing.Select(f => f.Id));
        Assert.Equal("Flow_Declined", decide.DefaultFlowId);
        Assert.Same(decide.Outgoing[2], decide.DefaultFlow);
        Assert.Null(decide.DefaultFlow?.Condition);
        Assert.Equal("=reviewOutcome = \"pass\"", decide.Outgoing[0].Condition?.Raw);
        Assert.Contains("reviewOutcome", decide.Outgoing[0].Condition!.VariableNames);
        // Written without '=': still FEEL.
        Assert.True(decide.Outgoing[1].Condition?.IsExpression);
        Assert.NotNull(decide.Outgoing[1].Condition?.Feel);
        Assert.Equal("yes", decide.Outgoing[0].Name);
        Assert.Equal(5, fork.Outgoing.Count);
        Assert.All(fork.Outgoing, f => Assert.Same(fork, f.Source));
        Assert.Equal(5, process.NodesById["Gateway_Join"].Incoming.Count);
        Assert.Equal(2, process.NodesById["UserTask_Review"].Incoming.Count);
        Assert.True(process.Flows.Zip(process.Flows.Skip(1)).All(pair => pair.First.DocumentOrder < pair.Second.DocumentOrder));
    }

    [Fact]
    public void Parse_AllElementsSample_ReadsRootMessagesAndErrorsAndKeepsTheXmlVerbatim()
    {
        var xml = BpmnXml.Sample("all-elements.bpmn");
        var document = BpmnXml.ParseValid(xml);

        Assert.Equal(["Message_Change", "Message_Confirm", "Message_Cancel"], document.Messages.Keys);
        Assert.Equal("MAIL_FAILED", document.Errors["Error_Mail"].ErrorCode);
        Assert.Same(xml, document.Xml);
        Assert.Contains("bpmndi:BPMNDiagram", document.Xml, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_StaticOnlyFileWithCollaborationLanesAndArtifacts_HasNoProblems()
    {
        var xml = $"""
            {BpmnXml.Header}
              <bpmn:collaboration id="C"><bpmn:participant id="P" name="Pool" processRef="p" /></bpmn:collaboration>
              <bpmn:process id="p" isExecutable="true">
                <bpmn:documentation>doc</bpmn:documentation>
                <bpmn:laneSet id="LS"><bpmn:lane id="L"><bpmn:flowNodeRef>S</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
                <bpmn:startEvent id="S"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
                {BpmnXml.ValidUserTask}
                <bpmn:endEvent id="E" />
                <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="X" />
                <bpmn:sequenceFlow id="F2" sourceRef="X" targetRef="E" />
                <bpmn:textAnnotation id="T"><bpmn:text>note</bpmn:text></bpmn:textAnnotation>
                <bpmn:association id="A" sourceRef="X" targetRef="T" />
                <bpmn:dataObjectReference id="DR" dataObjectRef="DO" /><bpmn:dataObject id="DO" />
                <bpmn:group id="G" />
              </bpmn:process>
              <bpmn:signal id="Signal_1" name="unused" />
              <bpmn:category id="Cat" />
            </bpmn:definitions>
            """;

        var document = BpmnXml.ParseValid(xml);

        Assert.Empty(BpmnValidator.Validate(document));
        Assert.Equal(["S", "X", "E"], document.Processes[0].Nodes.Select(n => n.Id));
    }

    [Fact]
    public void Parse_DefaultNamespaceWithoutPrefix_ReadsElementsAndUsesLocalNamesInMessages()
    {
        const string xml = """
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D">
              <process id="p" isExecutable="true">
                <startEvent id="S" /><userTask id="X" /><endEvent id="E" />
                <sequenceFlow id="F1" sourceRef="S" targetRef="X" /><sequenceFlow id="F2" sourceRef="X" targetRef="E" />
              </process>
            </definitions>
            """;

        var problem = Assert.Single(BpmnXml.Check(xml));

        Assert.Equal("userTask", problem.ElementType);
        Assert.StartsWith("userTask 'X' has no assignee", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ProcessWithoutIsExecutable_IsNotExecutable()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask).Replace("isExecutable=\"true\"", "", StringComparison.Ordinal);

        var document = BpmnXml.ParseValid(xml);

        Assert.False(document.Processes[0].IsExecutable);
    }

    [Fact]
    public void Parse_ServiceTaskWithoutRetries_DefaultsToThreeAttempts()
    {
        var xml = BpmnXml.Around("""<bpmn:serviceTask id="X"><bpmn:extensionElements><zeebe:taskDefinition type="send-email" /></bpmn:extensionElements></bpmn:serviceTask>""");

        var task = Assert.IsType<JobTask>(BpmnXml.ParseValid(xml).Processes[0].NodesById["X"]);

        Assert.Equal("3", task.Retries?.StaticValue);
        Assert.Equal("send-email", task.TaskType?.StaticValue);
    }

    [Fact]
    public void Parse_EmptyAttributesLeftByTheModeler_CountAsAbsent()
    {
        var xml = BpmnXml.Around("""<bpmn:userTask id="X"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="" candidateGroups="sales" /><zeebe:formDefinition formId="" /></bpmn:extensionElements></bpmn:userTask>""");

        var task = Assert.IsType<UserTask>(BpmnXml.ParseValid(xml).Processes[0].NodesById["X"]);

        Assert.Null(task.Assignee);
        Assert.Null(task.FormId);
        Assert.Equal("sales", task.CandidateGroups?.StaticValue);
    }

    [Fact]
    public void Parse_MalformedXml_GivesOneProblemWithLineAndPosition()
    {
        const string xml = "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n  <bpmn:process id=\"p\">\n</bpmn:definitions>";

        var result = BpmnParser.Parse(xml);

        Assert.Null(result.Document);
        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("The file is not well-formed XML: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("at line 3, position 3", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Line 3, position 3.", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not xml at all")]
    [InlineData("<a></b>")]
    public void Parse_NotXml_GivesOneNotWellFormedProblem(string xml)
    {
        var result = BpmnParser.Parse(xml);

        Assert.Null(result.Document);
        Assert.StartsWith("The file is not well-formed XML", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExternalEntityAttempt_IsRefusedWithOneProblemAndReadsNothing()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"bpmn-xxe-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "SECRET-CONTENT");
        try
        {
            var xml = $"""
                <?xml version="1.0"?>
                <!DOCTYPE definitions [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D">
                  <bpmn:process id="p" name="&xxe;" isExecutable="true" />
                </bpmn:definitions>
                """;

            var result = BpmnParser.Parse(xml);

            Assert.Null(result.Document);
            var problem = Assert.Single(result.Problems);
            Assert.Contains("DOCTYPE", problem.Message, StringComparison.Ordinal);
            Assert.Contains("refused", problem.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("SECRET-CONTENT", problem.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Parse_EntityExpansionBomb_IsRefusedWithOneProblem()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
              <!ENTITY lol "lol">
              <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
            ]>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol3;</bpmn:definitions>
            """;

        var result = BpmnParser.Parse(xml);

        Assert.Null(result.Document);
        Assert.Contains("DOCTYPE", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InputOverTheSizeLimit_IsRefusedBeforeReading()
    {
        var builder = new StringBuilder(BpmnXml.Around(BpmnXml.ValidUserTask));
        builder.Append(' ', BpmnParser.MaxDefinitionCharacters);

        var result = BpmnParser.Parse(builder.ToString());

        Assert.Null(result.Document);
        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("The file is too large", problem.Message, StringComparison.Ordinal);
        Assert.Contains("5 MB", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RootIsNotBpmnDefinitions_GivesOneProblem()
    {
        var result = BpmnParser.Parse("<definitions xmlns=\"http://www.omg.org/spec/DMN/20191111/MODEL/\" />");

        Assert.Null(result.Document);
        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("The file is not a BPMN 2.0 definitions file", problem.Message, StringComparison.Ordinal);
        Assert.Contains("DMN", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NonBooleanCancelActivity_IsAProblemNamingTheValue()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, """
            <bpmn:boundaryEvent id="B" name="Late" attachedToRef="X" cancelActivity="sometimes">
              <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:boundaryEvent>
            <bpmn:sequenceFlow id="F_b" sourceRef="B" targetRef="E" />
            """);

        var result = BpmnParser.Parse(xml);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("B", problem.ElementId);
        Assert.Contains("boundaryEvent 'B' (Late) has cancelActivity=\"sometimes\": write true or false", problem.Message, StringComparison.Ordinal);
    }
}
