namespace WorkflowOrders.Engine.Bpmn;

public enum ProblemSeverity
{
    Error,
    Warning,
}

/// <summary>
/// One thing wrong with a definition. Messages name the element (id, type, name) and say what to do,
/// e.g. "userTask 'Review' (评审) has no assignee or candidate groups: set an assignment so someone receives the task."
/// </summary>
public sealed record BpmnProblem(
    ProblemSeverity Severity,
    string? ElementId,
    string? ElementType,
    string? ElementName,
    string Message)
{
    public static BpmnProblem Error(string? elementId, string? elementType, string? elementName, string message) =>
        new(ProblemSeverity.Error, elementId, elementType, elementName, message);

    public static BpmnProblem Error(FlowNode node, string message) =>
        new(ProblemSeverity.Error, node.Id, node.XmlType, node.Name, message);

    public override string ToString() => Message;
}

/// <summary>Thrown when a definition is refused; carries every problem found, not only the first.</summary>
public sealed class BpmnValidationException(IReadOnlyList<BpmnProblem> problems)
    : Exception(FormatMessage(problems))
{
    public IReadOnlyList<BpmnProblem> Problems { get; } = problems;

    private static string FormatMessage(IReadOnlyList<BpmnProblem> problems) =>
        problems.Count == 1
            ? "The definition was refused: " + problems[0].Message
            : $"The definition was refused ({problems.Count} problems): " + string.Join(" | ", problems.Select(p => p.Message));
}
