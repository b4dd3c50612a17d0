using WorkflowOrders.Engine.Bpmn;

namespace WorkflowOrders.Engine.Tests.Bpmn;

/// <summary>Builds small definitions files for tests, and reads the sample files copied next to the tests.</summary>
internal static class BpmnXml
{
    public const string Header =
        """<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_Test" targetNamespace="http://bpmn.io/schema/bpmn">""";

    /// <summary>A file with one executable process 'p' holding <paramref name="body"/>; <paramref name="root"/> goes after it.</summary>
    public static string Process(string body, string root = "") =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        {Header}
          <bpmn:process id="p" name="Test process" isExecutable="true">
        {body}
          </bpmn:process>
        {root}
        </bpmn:definitions>
        """;

    /// <summary>start 'S' → <paramref name="middle"/> (entered by flow to 'X', left by flow from 'X') → end 'E'.</summary>
    public static string Around(string middle, string extraBody = "", string root = "") =>
        Process($"""
            <bpmn:startEvent id="S" />
            {middle}
            <bpmn:endEvent id="E" />
            <bpmn:sequenceFlow id="F_in" sourceRef="S" targetRef="X" />
            <bpmn:sequenceFlow id="F_out" sourceRef="X" targetRef="E" />
            {extraBody}
            """, root);

    public const string ValidUserTask = """<bpmn:userTask id="X" name="Review"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="sales" /></bpmn:extensionElements></bpmn:userTask>""";

    public static string Sample(string fileName) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Bpmn", "Samples", fileName));

    public static IReadOnlyList<BpmnProblem> Check(string xml) => BpmnLoader.Check(xml);

    public static BpmnDocument ParseValid(string xml)
    {
        var result = BpmnParser.Parse(xml);
        Assert.NotNull(result.Document);
        Assert.Empty(result.Problems);
        return result.Document;
    }

    /// <summary>The single error about <paramref name="elementId"/>; fails when there is none or several.</summary>
    public static BpmnProblem SingleErrorFor(IReadOnlyList<BpmnProblem> problems, string elementId) =>
        Assert.Single(problems, p => p.ElementId == elementId && p.Severity == ProblemSeverity.Error);
}
