using WorkflowOrders.Engine.Bpmn;

namespace WorkflowOrders.Engine.Tests.Bpmn;

public class BpmnLoaderTests
{
    [Fact]
    public void Load_ValidDefinition_ReturnsTheDocument()
    {
        var document = BpmnLoader.Load(BpmnXml.Around(BpmnXml.ValidUserTask));

        Assert.Equal(["S", "X", "E"], Assert.Single(document.Processes).Nodes.Select(n => n.Id));
    }

    [Fact]
    public void Load_DefinitionWithSeveralErrors_ThrowsCarryingEveryProblem()
    {
        var xml = BpmnXml.Around("""<bpmn:userTask id="X" name="Review" />""", """
            <bpmn:serviceTask id="T2" /><bpmn:sequenceFlow id="F9" sourceRef="X" targetRef="T2" />
            """);

        var error = Assert.Throws<BpmnValidationException>(() => BpmnLoader.Load(xml));

        Assert.Equal(["X", "T2", "T2"], error.Problems.Select(p => p.ElementId));
        Assert.StartsWith("The definition was refused (3 problems): userTask 'X' (Review) has no assignee", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MalformedXml_ThrowsWithTheOneReadingProblem()
    {
        var error = Assert.Throws<BpmnValidationException>(() => BpmnLoader.Load("<bpmn:definitions"));

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("The definition was refused: The file is not well-formed XML", error.Message, StringComparison.Ordinal);
        Assert.Null(problem.ElementId);
    }

    [Fact]
    public void Load_DefinitionWithOnlyWarnings_ReturnsTheDocumentAndCheckListsTheWarning()
    {
        var xml = BpmnXml.Process("""
            <bpmn:startEvent id="S" />
            <bpmn:exclusiveGateway id="G" default="F2" />
            <bpmn:endEvent id="E1" />
            <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="G" />
            <bpmn:sequenceFlow id="F2" sourceRef="G" targetRef="E1"><bpmn:conditionExpression>=ok</bpmn:conditionExpression></bpmn:sequenceFlow>
            """);

        var document = BpmnLoader.Load(xml);

        Assert.Equal("p", document.Processes[0].Id);
        Assert.Equal(ProblemSeverity.Warning, Assert.Single(BpmnLoader.Check(xml)).Severity);
    }
}
