using WorkflowOrders.Engine.Bpmn;

namespace WorkflowOrders.Engine.Tests.Bpmn;

public class ProcessDiffTests
{
    private const string Review = """
        <bpmn:userTask id="X" name="Review">
          <bpmn:extensionElements>
            <zeebe:assignmentDefinition candidateGroups="sales" />
            <zeebe:taskSchedule dueDate="=addWorkingDays(now(), 1)" />
            <zeebe:formDefinition formId="order-review" />
            <zeebe:properties><zeebe:property name="name.en" value="Review" /></zeebe:properties>
          </bpmn:extensionElements>
        </bpmn:userTask>
        """;

    private static ProcessModel Model(string xml) => Assert.Single(BpmnXml.ParseValid(xml).Processes);

    [Fact]
    public void Compare_SameDefinition_IsEmpty()
    {
        var model = Model(BpmnXml.Around(Review));

        var diff = ProcessDiff.Compare(model, Model(BpmnXml.Around(Review)));

        Assert.True(diff.IsEmpty);
    }

    [Fact]
    public void Compare_DueDateCandidateGroupsAndEnglishNameChanged_ListsExactlyThoseProperties()
    {
        var changed = Review
            .Replace("candidateGroups=\"sales\"", "candidateGroups=\"sales, technical\"", StringComparison.Ordinal)
            .Replace("now(), 1)", "now(), 2)", StringComparison.Ordinal)
            .Replace("value=\"Review\"", "value=\"Order review\"", StringComparison.Ordinal);

        var diff = ProcessDiff.Compare(Model(BpmnXml.Around(Review)), Model(BpmnXml.Around(changed)));

        var change = Assert.Single(diff.Changes);
        Assert.Equal((ElementChangeKind.Changed, "X", "userTask"), (change.Change, change.ElementId, change.ElementType));
        Assert.Equal(
            [
                new PropertyChange(ProcessDiffKeys.CandidateGroups, "sales", "sales, technical"),
                new PropertyChange(ProcessDiffKeys.DueDate, "=addWorkingDays(now(), 1)", "=addWorkingDays(now(), 2)"),
                new PropertyChange(ProcessDiffKeys.PropertyPrefix + "name.en", "Review", "Order review"),
            ],
            change.Properties);
    }

    [Fact]
    public void Compare_StepInsertedBetweenTwoElements_ReportsAddedTaskAndFlowAndRewiredNeighbours()
    {
        var before = BpmnXml.Around(Review);
        var after = BpmnXml.Process($"""
            <bpmn:startEvent id="S" />
            {Review}
            <bpmn:serviceTask id="Notify" name="Notify">
              <bpmn:extensionElements><zeebe:taskDefinition type="notify.email" /></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:endEvent id="E" />
            <bpmn:sequenceFlow id="F_in" sourceRef="S" targetRef="X" />
            <bpmn:sequenceFlow id="F_out" sourceRef="X" targetRef="Notify" />
            <bpmn:sequenceFlow id="F_notify" sourceRef="Notify" targetRef="E" />
            """);

        var diff = ProcessDiff.Compare(Model(before), Model(after));

        var added = diff.Added.ToList();
        Assert.Equal(["Notify", "F_notify"], added.Select(a => a.ElementId));
        Assert.Contains(new PropertyChange(ProcessDiffKeys.TaskType, null, "notify.email"), added[0].Properties);
        Assert.Empty(diff.Removed);
        var flow = Assert.Single(diff.Changed, c => c.ElementId == "F_out");
        Assert.Equal([new PropertyChange(ProcessDiffKeys.Target, "E", "Notify")], flow.Properties);
        var end = Assert.Single(diff.Changed, c => c.ElementId == "E");
        Assert.Equal([new PropertyChange(ProcessDiffKeys.Incoming, "F_out", "F_notify")], end.Properties);
    }

    [Fact]
    public void Compare_TaskRemoved_ReportsRemovedWithItsLastProperties()
    {
        var before = BpmnXml.Process($"""
            <bpmn:startEvent id="S" />
            {Review}
            <bpmn:endEvent id="E" />
            <bpmn:sequenceFlow id="F_in" sourceRef="S" targetRef="X" />
            <bpmn:sequenceFlow id="F_out" sourceRef="X" targetRef="E" />
            """);
        var after = BpmnXml.Process("""
            <bpmn:startEvent id="S" />
            <bpmn:endEvent id="E" />
            <bpmn:sequenceFlow id="F_in" sourceRef="S" targetRef="E" />
            """);

        var diff = ProcessDiff.Compare(Model(before), Model(after));

        Assert.Equal(["X", "F_out"], diff.Removed.Select(r => r.ElementId));
        var task = diff.Removed.First();
        Assert.Equal("Review", task.Name);
        Assert.Contains(new PropertyChange(ProcessDiffKeys.FormId, "order-review", null), task.Properties);
        Assert.Empty(diff.Added);
    }

    [Fact]
    public void Compare_ConditionTimerAndIoMappingChanged_ReportsEachAsText()
    {
        static string Definition(string condition, string duration, string mapping) => BpmnXml.Process($"""
            <bpmn:startEvent id="S" />
            <bpmn:exclusiveGateway id="G" default="F_else" />
            <bpmn:intermediateCatchEvent id="Wait">
              <bpmn:timerEventDefinition><bpmn:timeDuration>{duration}</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            <bpmn:serviceTask id="T">
              <bpmn:extensionElements>
                <zeebe:taskDefinition type="order.set-status" />
                <zeebe:ioMapping><zeebe:input source="{mapping}" target="status" /></zeebe:ioMapping>
              </bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:endEvent id="E" />
            <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="G" />
            <bpmn:sequenceFlow id="F_big" sourceRef="G" targetRef="Wait"><bpmn:conditionExpression>{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="F_else" sourceRef="G" targetRef="T" />
            <bpmn:sequenceFlow id="F2" sourceRef="Wait" targetRef="T" />
            <bpmn:sequenceFlow id="F3" sourceRef="T" targetRef="E" />
            """);

        var diff = ProcessDiff.Compare(
            Model(Definition("=amount &gt; 100000", "PT1H", "=&quot;open&quot;")),
            Model(Definition("=amount &gt; 200000", "PT2H", "=&quot;review&quot;")));

        Assert.Equal(["Wait", "T", "F_big"], diff.Changed.Select(c => c.ElementId));
        Assert.Equal([new PropertyChange(ProcessDiffKeys.Timer, "duration: PT1H", "duration: PT2H")], diff.Changed.ElementAt(0).Properties);
        Assert.Equal([new PropertyChange(ProcessDiffKeys.InputPrefix + "status", "=\"open\"", "=\"review\"")], diff.Changed.ElementAt(1).Properties);
        Assert.Equal([new PropertyChange(ProcessDiffKeys.Condition, "=amount > 100000", "=amount > 200000")], diff.Changed.ElementAt(2).Properties);
    }

    [Fact]
    public void Compare_ProcessNameChanged_ReportsTheProcessItself()
    {
        var renamed = BpmnXml.Around(Review).Replace("name=\"Test process\"", "name=\"评审流程\"", StringComparison.Ordinal);

        var diff = ProcessDiff.Compare(Model(BpmnXml.Around(Review)), Model(renamed));

        var change = Assert.Single(diff.Changes);
        Assert.Equal(("p", ProcessDiff.ProcessType), (change.ElementId, change.ElementType));
        Assert.Equal([new PropertyChange(ProcessDiffKeys.Name, "Test process", "评审流程")], change.Properties);
    }
}
