using WorkflowOrders.Engine.Bpmn;

namespace WorkflowOrders.Engine.Tests.Bpmn;

public class BpmnValidatorTests
{
    private static IReadOnlyList<BpmnProblem> Check(string xml) => BpmnXml.Check(xml);

    private static BpmnProblem Single(string xml, string elementId) => BpmnXml.SingleErrorFor(Check(xml), elementId);

    private static void AssertMentions(BpmnProblem problem, params string[] parts)
    {
        foreach (var part in parts)
        {
            Assert.Contains(part, problem.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_MinimalValidProcess_HasNoProblems()
    {
        Assert.Empty(Check(BpmnXml.Around(BpmnXml.ValidUserTask)));
    }

    // ---- unsupported elements ----

    [Theory]
    [InlineData("subProcess", "call activity")]
    [InlineData("adHocSubProcess", "call activity")]
    [InlineData("transaction", "call activity")]
    [InlineData("eventBasedGateway", "boundary events")]
    [InlineData("inclusiveGateway", "parallel gateway")]
    [InlineData("complexGateway", "parallel and exclusive gateways")]
    [InlineData("businessRuleTask", "script task")]
    [InlineData("receiveTask", "message intermediate catch event")]
    [InlineData("intermediateThrowEvent", "send task")]
    public void Validate_UnsupportedFlowElement_NamesItAndItsReplacement(string element, string replacement)
    {
        var xml = BpmnXml.Around($"""<bpmn:{element} id="X" name="Odd step" />""");

        var problem = Single(xml, "X");

        Assert.Equal(element, problem.ElementType);
        Assert.Equal("Odd step", problem.ElementName);
        AssertMentions(problem, $"{element} 'X' (Odd step)", "is not supported by this engine: remove it or replace it with", replacement);
    }

    [Fact]
    public void Validate_UnsupportedElement_CausesNoFollowUpProblemsForItsFlowsOrSuccessors()
    {
        var xml = BpmnXml.Process("""
            <bpmn:startEvent id="S" />
            <bpmn:inclusiveGateway id="G" />
            <bpmn:subProcess id="Sub"><bpmn:startEvent id="Inner" /></bpmn:subProcess>
            <bpmn:endEvent id="E" />
            <bpmn:boundaryEvent id="B" attachedToRef="Sub"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:endEvent id="E2" />
            <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="G" />
            <bpmn:sequenceFlow id="F2" sourceRef="G" targetRef="Sub" />
            <bpmn:sequenceFlow id="F3" sourceRef="Sub" targetRef="E" />
            <bpmn:sequenceFlow id="F4" sourceRef="B" targetRef="E2" />
            """);

        var problems = Check(xml);

        Assert.Equal(["G", "Sub"], problems.Select(p => p.ElementId));
    }

    [Theory]
    [InlineData("startEvent", "signalEventDefinition", "a signal start event")]
    [InlineData("startEvent", "conditionalEventDefinition", "a conditional start event")]
    [InlineData("startEvent", "errorEventDefinition", "an error start event")]
    [InlineData("endEvent", "errorEventDefinition", "an error end event")]
    [InlineData("endEvent", "messageEventDefinition", "a message end event")]
    [InlineData("endEvent", "escalationEventDefinition", "an escalation end event")]
    [InlineData("endEvent", "compensateEventDefinition", "a compensate end event")]
    [InlineData("intermediateCatchEvent", "signalEventDefinition", "a signal intermediate catch event")]
    [InlineData("intermediateCatchEvent", "linkEventDefinition", "a link intermediate catch event")]
    [InlineData("intermediateCatchEvent", "conditionalEventDefinition", "a conditional intermediate catch event")]
    [InlineData("boundaryEvent", "escalationEventDefinition", "an escalation boundary event")]
    [InlineData("boundaryEvent", "compensateEventDefinition", "a compensate boundary event")]
    [InlineData("boundaryEvent", "signalEventDefinition", "a signal boundary event")]
    public void Validate_UnsupportedEventDefinition_NamesTheEventAndItsKind(string eventType, string definition, string described)
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, $"""
            <bpmn:{eventType} id="Ev" name="Odd event" attachedToRef="X"><bpmn:{definition} id="Def" /></bpmn:{eventType}>
            <bpmn:sequenceFlow id="F_a" sourceRef="X" targetRef="Ev" />
            <bpmn:sequenceFlow id="F_b" sourceRef="Ev" targetRef="E" />
            """);

        var problem = Single(xml, "Ev");

        Assert.Equal(eventType, problem.ElementType);
        AssertMentions(problem, $"{eventType} 'Ev' (Odd event) is {described}, which is not supported by this engine: remove it or replace it with");
    }

    [Fact]
    public void Validate_ErrorEndEvent_SuggestsANoneEndEventAndHandlerErrors()
    {
        var xml = BpmnXml.Process("""
            <bpmn:startEvent id="S" />
            <bpmn:endEvent id="Err" name="Failed"><bpmn:errorEventDefinition errorRef="E1" /></bpmn:endEvent>
            <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="Err" />
            """, """<bpmn:error id="E1" errorCode="X" />""");

        AssertMentions(Single(xml, "Err"), "endEvent 'Err' (Failed) is an error end event", "a none end event");
    }

    [Fact]
    public void Validate_EventWithTwoDefinitions_IsAnUnsupportedMultipleEvent()
    {
        var xml = BpmnXml.Around("""
            <bpmn:intermediateCatchEvent id="X" name="Either">
              <bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>
              <bpmn:messageEventDefinition messageRef="M" />
            </bpmn:intermediateCatchEvent>
            """);

        AssertMentions(Single(xml, "X"), "intermediateCatchEvent 'X' (Either) has 2 event definitions", "keep one definition");
    }

    [Theory]
    [InlineData("multiInstanceLoopCharacteristics", "Multi-instance on userTask 'X' (Review)")]
    [InlineData("standardLoopCharacteristics", "A loop marker on userTask 'X' (Review)")]
    public void Validate_LoopCharacteristics_AreNotSupported(string loop, string expected)
    {
        var xml = BpmnXml.Around($"""
            <bpmn:userTask id="X" name="Review">
              <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="sales" /></bpmn:extensionElements>
              <bpmn:{loop} />
            </bpmn:userTask>
            """);

        AssertMentions(Single(xml, "X"), expected, "is not supported by this engine: remove it");
    }

    // ---- flows ----

    [Fact]
    public void Validate_FlowToUnknownTarget_IsReportedAsDangling()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, """<bpmn:sequenceFlow id="F9" name="lost" sourceRef="X" targetRef="Nowhere" />""");

        var problem = Single(xml, "F9");

        Assert.Equal("sequenceFlow", problem.ElementType);
        Assert.Equal("lost", problem.ElementName);
        AssertMentions(problem, "sequenceFlow 'F9' (lost) has target 'Nowhere', which is not an element of process 'p'", "reconnect it");
    }

    [Fact]
    public void Validate_FlowFromUnknownSource_IsReportedAsDangling()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, """<bpmn:sequenceFlow id="F9" sourceRef="Ghost" targetRef="X" />""");

        AssertMentions(Single(xml, "F9"), "sequenceFlow 'F9' has source 'Ghost', which is not an element of process 'p'");
    }

    [Fact]
    public void Validate_FlowWithoutSourceRef_IsReported()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, """<bpmn:sequenceFlow id="F9" targetRef="X" />""");

        AssertMentions(Single(xml, "F9"), "sequenceFlow 'F9' has no source (sourceRef)", "connect both of its ends");
    }

    [Fact]
    public void Validate_TaskWithoutIncomingFlow_IsReportedOnceNotAlsoAsUnreachable()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, """
            <bpmn:manualTask id="Lonely" name="Orphan" />
            <bpmn:sequenceFlow id="F9" sourceRef="Lonely" targetRef="E" />
            """);

        var problem = Single(xml, "Lonely");

        AssertMentions(problem, "manualTask 'Lonely' (Orphan) has no incoming sequence flow", "connect a previous element to it or remove it");
    }

    [Fact]
    public void Validate_TaskWithoutOutgoingFlow_IsReported()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, """
            <bpmn:task id="Dead" name="Dead end" />
            <bpmn:sequenceFlow id="F9" sourceRef="X" targetRef="Dead" />
            """);

        AssertMentions(Single(xml, "Dead"), "task 'Dead' (Dead end) has no outgoing sequence flow", "end the path with an end event");
    }

    [Theory]
    [InlineData("parallelGateway")]
    [InlineData("exclusiveGateway")]
    public void Validate_GatewayWithoutOutgoingFlow_IsReported(string gateway)
    {
        var xml = BpmnXml.Process($"""
            <bpmn:startEvent id="S" />
            <bpmn:{gateway} id="G" name="Split" />
            <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="G" />
            """);

        var problem = Single(xml, "G");

        Assert.Equal(gateway, problem.ElementType);
        AssertMentions(problem, $"{gateway} 'G' (Split) has no outgoing sequence flow: a gateway must lead somewhere");
    }

    [Fact]
    public void Validate_FlowIntoStartEventOutOfEndEventAndIntoBoundary_AreEachReported()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, """
            <bpmn:boundaryEvent id="B" attachedToRef="X"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:sequenceFlow id="F_back" sourceRef="E" targetRef="S" />
            <bpmn:sequenceFlow id="F_b" sourceRef="B" targetRef="E" />
            <bpmn:sequenceFlow id="F_intoB" sourceRef="X" targetRef="B" />
            """);

        var problems = Check(xml);

        AssertMentions(BpmnXml.SingleErrorFor(problems, "S"), "startEvent 'S' has an incoming sequence flow");
        AssertMentions(BpmnXml.SingleErrorFor(problems, "E"), "endEvent 'E' has an outgoing sequence flow");
        AssertMentions(BpmnXml.SingleErrorFor(problems, "B"), "boundaryEvent 'B' has an incoming sequence flow");
    }

    // ---- exclusive gateways ----

    [Fact]
    public void Validate_ExclusiveGatewayWithUnconditionedFlows_ReportsEachFlowThatIsNeitherConditionNorDefault()
    {
        var xml = BpmnXml.Process("""
            <bpmn:startEvent id="S" />
            <bpmn:exclusiveGateway id="G" name="OK?" />
            <bpmn:endEvent id="E1" /><bpmn:endEvent id="E2" />
            <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="G" />
            <bpmn:sequenceFlow id="F2" name="yes" sourceRef="G" targetRef="E1" />
            <bpmn:sequenceFlow id="F3" sourceRef="G" targetRef="E2" />
            """);

        var problems = Check(xml);

        Assert.Equal(["F2", "F3"], problems.Select(p => p.ElementId));
        AssertMentions(problems[0], "sequenceFlow 'F2' (yes) leaves exclusiveGateway 'G' (OK?) without a condition and is not its default flow", "add a condition");
    }

    [Fact]
    public void Validate_ExclusiveGatewayWithDefaultAndConditionedFlow_IsValid()
    {
        var xml = BpmnXml.Process("""
            <bpmn:startEvent id="S" />
            <bpmn:exclusiveGateway id="G" default="F3" />
            <bpmn:endEvent id="E1" /><bpmn:endEvent id="E2" />
            <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="G" />
            <bpmn:sequenceFlow id="F2" sourceRef="G" targetRef="E1"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=ok</bpmn:conditionExpression></bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="F3" sourceRef="G" targetRef="E2" />
            """);

        Assert.Empty(Check(xml));
    }

    [Fact]
    public void Validate_DefaultFlowLeavingAnotherElement_IsReportedOnTheGateway()
    {
        var xml = BpmnXml.Process("""
            <bpmn:startEvent id="S" />
            <bpmn:exclusiveGateway id="G" name="Route" default="F1" />
            <bpmn:endEvent id="E1" />
            <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="G" />
            <bpmn:sequenceFlow id="F2" sourceRef="G" targetRef="E1" />
            """);

        AssertMentions(Single(xml, "G"), "exclusiveGateway 'G' (Route) names sequenceFlow 'F1' as its default flow, but that flow does not leave this gateway");
    }

    [Fact]
    public void Validate_DefaultFlowThatDoesNotExist_IsReportedOnTheGateway()
    {
        var xml = BpmnXml.Process("""
            <bpmn:startEvent id="S" />
            <bpmn:exclusiveGateway id="G" default="F_missing" />
            <bpmn:endEvent id="E1" />
            <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="G" />
            <bpmn:sequenceFlow id="F2" sourceRef="G" targetRef="E1" />
            """);

        AssertMentions(Single(xml, "G"), "exclusiveGateway 'G' names 'F_missing' as its default flow, but there is no such sequence flow");
    }

    [Fact]
    public void Validate_DefaultFlowWithCondition_IsOnlyAWarning()
    {
        var xml = BpmnXml.Process("""
            <bpmn:startEvent id="S" />
            <bpmn:exclusiveGateway id="G" default="F2" />
            <bpmn:endEvent id="E1" />
            <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="G" />
            <bpmn:sequenceFlow id="F2" sourceRef="G" targetRef="E1"><bpmn:conditionExpression>=ok</bpmn:conditionExpression></bpmn:sequenceFlow>
            """);

        var problem = Assert.Single(Check(xml));

        Assert.Equal(ProblemSeverity.Warning, problem.Severity);
        AssertMentions(problem, "sequenceFlow 'F2' is the default flow of exclusiveGateway 'G'", "remove the condition");
    }

    [Fact]
    public void Validate_ConditionOnFlowLeavingATask_IsReported()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask).Replace(
            """<bpmn:sequenceFlow id="F_out" sourceRef="X" targetRef="E" />""",
            """<bpmn:sequenceFlow id="F_out" sourceRef="X" targetRef="E"><bpmn:conditionExpression>=ok</bpmn:conditionExpression></bpmn:sequenceFlow>""",
            StringComparison.Ordinal);

        AssertMentions(Single(xml, "F_out"), "sequenceFlow 'F_out' has a condition but leaves userTask 'X' (Review)", "insert an exclusive gateway");
    }

    // ---- tasks ----

    [Fact]
    public void Validate_UserTaskWithoutAssignment_IsReported()
    {
        var xml = BpmnXml.Around("""<bpmn:userTask id="X" name="评审" />""");

        var problem = Single(xml, "X");

        Assert.Equal(("userTask", "评审"), (problem.ElementType, problem.ElementName));
        AssertMentions(problem, "userTask 'X' (评审) has no assignee, candidate groups or candidate users", "set an assignment");
    }

    [Theory]
    [InlineData("""assignee="li.lei" """)]
    [InlineData("""candidateUsers="li.lei, han.meimei" """)]
    [InlineData("""candidateGroups="quality" """)]
    public void Validate_UserTaskWithAnyOneAssignment_IsValid(string attributes)
    {
        var xml = BpmnXml.Around($"""<bpmn:userTask id="X"><bpmn:extensionElements><zeebe:assignmentDefinition {attributes}/></bpmn:extensionElements></bpmn:userTask>""");

        Assert.Empty(Check(xml));
    }

    [Theory]
    [InlineData("101")]
    [InlineData("high")]
    [InlineData("-1")]
    public void Validate_UserTaskPriorityOutOfRange_IsReported(string priority)
    {
        var xml = BpmnXml.Around($"""<bpmn:userTask id="X"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="a" /><zeebe:priorityDefinition priority="{priority}" /></bpmn:extensionElements></bpmn:userTask>""");

        AssertMentions(Single(xml, "X"), $"userTask 'X' has priority '{priority}': write a whole number from 0 to 100");
    }

    [Theory]
    [InlineData("serviceTask")]
    [InlineData("sendTask")]
    public void Validate_JobTaskWithoutTaskType_IsReported(string type)
    {
        var xml = BpmnXml.Around($"""<bpmn:{type} id="X" name="Notify" />""");

        var problem = Single(xml, "X");

        Assert.Equal(type, problem.ElementType);
        AssertMentions(problem, $"{type} 'X' (Notify) has no task type", "zeebe:taskDefinition type");
    }

    [Fact]
    public void Validate_JobTaskWithNonNumericRetries_IsReported()
    {
        var xml = BpmnXml.Around("""<bpmn:serviceTask id="X"><bpmn:extensionElements><zeebe:taskDefinition type="send-email" retries="many" /></bpmn:extensionElements></bpmn:serviceTask>""");

        AssertMentions(Single(xml, "X"), "serviceTask 'X' has retries 'many'");
    }

    [Fact]
    public void Validate_ScriptTaskWithoutScript_ReportsExpressionAndResultVariable()
    {
        var xml = BpmnXml.Around("""<bpmn:scriptTask id="X" name="Compute" />""");

        var problems = Check(xml);

        Assert.Equal(2, problems.Count);
        AssertMentions(problems[0], "scriptTask 'X' (Compute) has no script expression");
        AssertMentions(problems[1], "scriptTask 'X' (Compute) has no result variable");
    }

    [Fact]
    public void Validate_ScriptTaskWithStaticTextOrBadResultVariable_IsReported()
    {
        var xml = BpmnXml.Around("""<bpmn:scriptTask id="X"><bpmn:extensionElements><zeebe:script expression="1 + 1" resultVariable="9lives" /></bpmn:extensionElements></bpmn:scriptTask>""");

        var problems = Check(xml);

        Assert.Equal(2, problems.Count);
        AssertMentions(problems[0], "scriptTask 'X' has the script expression '1 + 1', which is not a FEEL expression: start it with '='");
        AssertMentions(problems[1], "scriptTask 'X' has the result variable '9lives', which is not a variable name");
    }

    [Fact]
    public void Validate_CallActivityWithoutProcessId_IsReported()
    {
        var xml = BpmnXml.Around("""<bpmn:callActivity id="X" name="Change"><bpmn:extensionElements><zeebe:calledElement propagateAllChildVariables="false" /></bpmn:extensionElements></bpmn:callActivity>""");

        AssertMentions(Single(xml, "X"), "callActivity 'X' (Change) does not say which process to call", "processId");
    }

    [Fact]
    public void Validate_MappingWithoutTarget_IsReported()
    {
        var xml = BpmnXml.Around("""
            <bpmn:userTask id="X"><bpmn:extensionElements>
              <zeebe:assignmentDefinition assignee="a" />
              <zeebe:ioMapping><zeebe:output source="done" /><zeebe:input source="x" target="order.items" /></zeebe:ioMapping>
            </bpmn:extensionElements></bpmn:userTask>
            """);

        AssertMentions(Single(xml, "X"), "userTask 'X' has an output mapping with an empty target");
    }

    // ---- events ----

    [Fact]
    public void Validate_TimerEventWithoutTime_IsReported()
    {
        var xml = BpmnXml.Around("""<bpmn:intermediateCatchEvent id="X" name="Wait"><bpmn:timerEventDefinition /></bpmn:intermediateCatchEvent>""");

        AssertMentions(Single(xml, "X"), "intermediateCatchEvent 'X' (Wait) is a timer event without a time");
    }

    [Fact]
    public void Validate_IntermediateCatchEventWithoutDefinition_IsReported()
    {
        var xml = BpmnXml.Around("""<bpmn:intermediateCatchEvent id="X" />""");

        AssertMentions(Single(xml, "X"), "intermediateCatchEvent 'X' has no event definition");
    }

    [Theory]
    [InlineData("timeDuration", "1 day", "an ISO-8601 duration")]
    [InlineData("timeDuration", "P", "an ISO-8601 duration")]
    [InlineData("timeDuration", "PT", "an ISO-8601 duration")]
    [InlineData("timeDate", "2026-03-02 09:00", "an ISO-8601 date and time")]
    [InlineData("timeDate", "2026-13-02T09:00:00+08:00", "an ISO-8601 date and time")]
    [InlineData("timeDate", "tomorrow", "an ISO-8601 date and time")]
    public void Validate_UnreadableStaticTimerValue_IsReported(string element, string value, string hint)
    {
        var xml = BpmnXml.Around($"""<bpmn:intermediateCatchEvent id="X"><bpmn:timerEventDefinition><bpmn:{element}>{value}</bpmn:{element}></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>""");

        AssertMentions(Single(xml, "X"), $"'{value}', which cannot be read: write {hint}");
    }

    [Theory]
    [InlineData("timeDuration", "PT4H")]
    [InlineData("timeDuration", "P1DT12H30M")]
    [InlineData("timeDuration", "P2W")]
    [InlineData("timeDate", "2026-03-02T09:00:00+08:00")]
    [InlineData("timeDate", "2026-03-02T01:00:00Z")]
    [InlineData("timeDate", "2026-03-02T09:00:00")]
    [InlineData("timeDate", "2026-03-02")]
    [InlineData("timeDate", "2026-03-02T09:00:00+08:00[Asia/Shanghai]")]
    public void Validate_ReadableStaticTimerValue_IsValid(string element, string value)
    {
        var xml = BpmnXml.Around($"""<bpmn:intermediateCatchEvent id="X"><bpmn:timerEventDefinition><bpmn:{element}>{value}</bpmn:{element}></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>""");

        Assert.Empty(Check(xml));
    }

    [Theory]
    [InlineData("R/PT1H", true)]
    [InlineData("R5/P1D", true)]
    [InlineData("R3/2026-03-02T09:00:00+08:00/PT4H", true)]
    [InlineData("0 0 9 * * MON-FRI", false)]
    [InlineData("R3/soon", false)]
    [InlineData("PT1H", false)]
    [InlineData("R/P1M", false)]
    public void Validate_TimerCycleOnBoundaryEvent_AcceptsOnlyRepetitions(string cycle, bool valid)
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, $"""
            <bpmn:boundaryEvent id="B" cancelActivity="false" attachedToRef="X"><bpmn:timerEventDefinition><bpmn:timeCycle>{cycle}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:sequenceFlow id="F_b" sourceRef="B" targetRef="E" />
            """);

        var problems = Check(xml);

        if (valid)
        {
            Assert.Empty(problems);
        }
        else
        {
            AssertMentions(BpmnXml.SingleErrorFor(problems, "B"), "has the timer cycle", "R3/PT1H");
        }
    }

    [Fact]
    public void Validate_TimerStartEventAndCycleOnIntermediateEvent_AreReported()
    {
        var xml = BpmnXml.Process("""
            <bpmn:startEvent id="S" name="Soon"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
            <bpmn:intermediateCatchEvent id="C"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="E" />
            <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="C" />
            <bpmn:sequenceFlow id="F2" sourceRef="C" targetRef="E" />
            """);

        var problems = Check(xml);

        AssertMentions(BpmnXml.SingleErrorFor(problems, "S"), "startEvent 'S' (Soon) is a timer start event, which this engine does not run");
        AssertMentions(BpmnXml.SingleErrorFor(problems, "C"), "intermediateCatchEvent 'C' uses a timer cycle");
    }

    [Fact]
    public void Validate_MessageEventWithoutMessage_IsReported()
    {
        var xml = BpmnXml.Around("""<bpmn:intermediateCatchEvent id="X" name="Reply"><bpmn:messageEventDefinition /></bpmn:intermediateCatchEvent>""");

        AssertMentions(Single(xml, "X"), "intermediateCatchEvent 'X' (Reply) is a message event without a message");
    }

    [Fact]
    public void Validate_MessageEventWithUnknownMessage_IsReported()
    {
        var xml = BpmnXml.Around("""<bpmn:intermediateCatchEvent id="X"><bpmn:messageEventDefinition messageRef="Message_Gone" /></bpmn:intermediateCatchEvent>""");

        AssertMentions(Single(xml, "X"), "intermediateCatchEvent 'X' refers to message 'Message_Gone', which is not defined in the file");
    }

    [Fact]
    public void Validate_MessageWithoutNameOrCorrelationKey_IsReportedOnTheWaitingEvent()
    {
        var xml = BpmnXml.Around(
            """<bpmn:intermediateCatchEvent id="X"><bpmn:messageEventDefinition messageRef="M1" /></bpmn:intermediateCatchEvent>""",
            root: """<bpmn:message id="M1" />""");

        var problems = Check(xml);

        Assert.Equal(2, problems.Count);
        AssertMentions(problems[0], "intermediateCatchEvent 'X' uses message 'M1', which has no name");
        AssertMentions(problems[1], "intermediateCatchEvent 'X' waits for message 'M1', which has no correlation key");
    }

    [Fact]
    public void Validate_MessageStartEventWithoutCorrelationKey_IsValid()
    {
        var xml = BpmnXml.Process("""
            <bpmn:startEvent id="S"><bpmn:messageEventDefinition messageRef="M1" /></bpmn:startEvent>
            <bpmn:endEvent id="E" />
            <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="E" />
            """, """<bpmn:message id="M1" name="order-received" />""");

        Assert.Empty(Check(xml));
    }

    [Fact]
    public void Validate_BoundaryEventAttachedToUnknownElement_IsReported()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, """
            <bpmn:boundaryEvent id="B" name="Late" attachedToRef="Task_Gone"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:sequenceFlow id="F_b" sourceRef="B" targetRef="E" />
            """);

        AssertMentions(Single(xml, "B"), "boundaryEvent 'B' (Late) is attached to 'Task_Gone', which is not an element of process 'p'");
    }

    [Fact]
    public void Validate_BoundaryEventAttachedToGateway_IsReported()
    {
        var xml = BpmnXml.Around("""<bpmn:parallelGateway id="X" name="Fork" />""", """
            <bpmn:boundaryEvent id="B" attachedToRef="X"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:sequenceFlow id="F_b" sourceRef="B" targetRef="E" />
            """);

        AssertMentions(Single(xml, "B"), "boundaryEvent 'B' is attached to parallelGateway 'X' (Fork), which is not an activity");
    }

    [Fact]
    public void Validate_BoundaryEventWithoutAttachmentOrDefinition_ReportsBoth()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, """
            <bpmn:boundaryEvent id="B" />
            <bpmn:sequenceFlow id="F_b" sourceRef="B" targetRef="E" />
            """);

        var problems = Check(xml);

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Equal("B", p.ElementId));
        AssertMentions(problems[0], "boundaryEvent 'B' is not attached to any activity");
        AssertMentions(problems[1], "boundaryEvent 'B' has no event definition");
    }

    [Fact]
    public void Validate_ErrorBoundaryEventProblems_AreReported()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, """
            <bpmn:boundaryEvent id="B1" cancelActivity="false" attachedToRef="X"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>
            <bpmn:boundaryEvent id="B2" attachedToRef="X"><bpmn:errorEventDefinition errorRef="Error_Gone" /></bpmn:boundaryEvent>
            <bpmn:boundaryEvent id="B3" attachedToRef="X"><bpmn:errorEventDefinition errorRef="Error_NoCode" /></bpmn:boundaryEvent>
            <bpmn:sequenceFlow id="F_1" sourceRef="B1" targetRef="E" />
            <bpmn:sequenceFlow id="F_2" sourceRef="B2" targetRef="E" />
            <bpmn:sequenceFlow id="F_3" sourceRef="B3" targetRef="E" />
            """, """<bpmn:error id="Error_NoCode" name="Odd" />""");

        var problems = Check(xml);

        AssertMentions(BpmnXml.SingleErrorFor(problems, "B1"), "boundaryEvent 'B1' is an error boundary event marked non-interrupting");
        AssertMentions(BpmnXml.SingleErrorFor(problems, "B2"), "boundaryEvent 'B2' refers to error 'Error_Gone', which is not defined");
        AssertMentions(BpmnXml.SingleErrorFor(problems, "B3"), "boundaryEvent 'B3' catches error 'Error_NoCode', which has no error code");
    }

    // ---- structure ----

    [Fact]
    public void Validate_DuplicateIds_NameBothElements()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, """
            <bpmn:task id="X" name="Copy" />
            """);

        var problem = Single(xml, "X");

        Assert.Equal(("X", "task", "Copy"), (problem.ElementId, problem.ElementType, problem.ElementName));
        AssertMentions(problem, "The id 'X' is used twice: by userTask 'X' (Review) and by task 'X' (Copy)", "rename one of them");
    }

    [Fact]
    public void Validate_ElementWithoutId_IsReported()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, """<bpmn:task name="Anonymous" />""");

        var problem = Assert.Single(Check(xml), p => p.ElementId is null);

        AssertMentions(problem, "A task named 'Anonymous'", "has no id");
    }

    [Fact]
    public void Validate_ElementsOnlyReachableFromEachOther_AreUnreachable()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, """
            <bpmn:task id="A" name="Ping" /><bpmn:task id="B" name="Pong" />
            <bpmn:sequenceFlow id="F_ab" sourceRef="A" targetRef="B" />
            <bpmn:sequenceFlow id="F_ba" sourceRef="B" targetRef="A" />
            """);

        var problems = Check(xml);

        Assert.Equal(["A", "B"], problems.Select(p => p.ElementId));
        AssertMentions(problems[0], "task 'A' (Ping) cannot be reached from any start event");
    }

    [Fact]
    public void Validate_BoundaryPathOfReachableTask_IsReachable()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, """
            <bpmn:boundaryEvent id="B" attachedToRef="X"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:task id="Late" /><bpmn:endEvent id="E2" />
            <bpmn:sequenceFlow id="F_b" sourceRef="B" targetRef="Late" />
            <bpmn:sequenceFlow id="F_c" sourceRef="Late" targetRef="E2" />
            """);

        Assert.Empty(Check(xml));
    }

    [Fact]
    public void Validate_TwoNoneStartEvents_ReportsTheSecond()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask, """
            <bpmn:startEvent id="S2" name="Again" />
            <bpmn:sequenceFlow id="F_s2" sourceRef="S2" targetRef="X" />
            """);

        AssertMentions(Single(xml, "S2"), "startEvent 'S2' (Again) is a second start event without a trigger (the first is startEvent 'S')", "at most one");
    }

    [Fact]
    public void Validate_ProcessWithoutStartEvent_IsReportedOnTheProcess()
    {
        var xml = BpmnXml.Process("""<bpmn:endEvent id="E" />""");

        var problems = Check(xml);

        var problem = BpmnXml.SingleErrorFor(problems, "p");
        Assert.Equal("process", problem.ElementType);
        AssertMentions(problem, "process 'p' (Test process) has no start event");
    }

    [Fact]
    public void Validate_NoExecutableProcess_IsReported()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask).Replace("isExecutable=\"true\"", "isExecutable=\"false\"", StringComparison.Ordinal);

        var problem = Assert.Single(Check(xml));

        AssertMentions(problem, "No process in the file is executable ('p')", "isExecutable=\"true\"");
    }

    [Fact]
    public void Validate_NonExecutableProcessBesideAnExecutableOne_IsNotChecked()
    {
        var xml = BpmnXml.Around(BpmnXml.ValidUserTask).Replace("</bpmn:definitions>",
            """<bpmn:process id="other" isExecutable="false"><bpmn:userTask id="Other" /></bpmn:process></bpmn:definitions>""",
            StringComparison.Ordinal);

        Assert.Empty(Check(xml));
    }

    [Fact]
    public void Validate_FileWithoutProcess_IsReported()
    {
        var xml = $"{BpmnXml.Header}</bpmn:definitions>";

        AssertMentions(Assert.Single(Check(xml)), "The file contains no process");
    }

    [Fact]
    public void Validate_SeveralProblems_AreAllReportedAtOnce()
    {
        var xml = BpmnXml.Process("""
            <bpmn:startEvent id="S" />
            <bpmn:userTask id="T1" name="No one" />
            <bpmn:serviceTask id="T2" name="No type" />
            <bpmn:subProcess id="Sub" />
            <bpmn:callActivity id="T3" />
            <bpmn:endEvent id="E" />
            <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="T1" />
            <bpmn:sequenceFlow id="F2" sourceRef="T1" targetRef="T2" />
            <bpmn:sequenceFlow id="F3" sourceRef="T2" targetRef="Sub" />
            <bpmn:sequenceFlow id="F4" sourceRef="Sub" targetRef="T3" />
            <bpmn:sequenceFlow id="F5" sourceRef="T3" targetRef="Missing" />
            """);

        var problems = Check(xml);

        Assert.Equal(["Sub", "T1", "T2", "T3", "E", "F5"], problems.Select(p => p.ElementId));
        Assert.All(problems, p => Assert.Equal(ProblemSeverity.Error, p.Severity));
    }

    // ---- expressions (need the FEEL parser) ----

    [Fact]
    public void Validate_UnparsableCondition_NamesTheFlowAndTheFeelPosition()
    {
        var xml = BpmnXml.Process("""
            <bpmn:startEvent id="S" />
            <bpmn:exclusiveGateway id="G" default="F2" />
            <bpmn:endEvent id="E1" /><bpmn:endEvent id="E2" />
            <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="G" />
            <bpmn:sequenceFlow id="F3" sourceRef="G" targetRef="E1"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=amount &gt; </bpmn:conditionExpression></bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="F2" sourceRef="G" targetRef="E2" />
            """);

        var problem = Single(xml, "F3");

        AssertMentions(problem, "The condition of sequenceFlow 'F3' cannot be parsed: ", "(at line 1, column ", "Correct the FEEL expression");
    }

    [Fact]
    public void Validate_UnparsableDueDate_NamesTheTaskAndTheFeelPosition()
    {
        var xml = BpmnXml.Around("""<bpmn:userTask id="X" name="Review"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="a" /><zeebe:taskSchedule dueDate="=addWorkingDays(now(), " /></bpmn:extensionElements></bpmn:userTask>""");

        AssertMentions(Single(xml, "X"), "The due date of userTask 'X' (Review) cannot be parsed: ", "(at line 1, column ");
    }

    [Fact]
    public void Validate_UnparsableMappingSource_NamesTheMapping()
    {
        var xml = BpmnXml.Around("""<bpmn:userTask id="X"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="a" /><zeebe:ioMapping><zeebe:input source="=order.(" target="o" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:userTask>""");

        AssertMentions(Single(xml, "X"), "The input mapping 'o' of userTask 'X' cannot be parsed: ");
    }
}
