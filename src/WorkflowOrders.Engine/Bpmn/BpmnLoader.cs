namespace WorkflowOrders.Engine.Bpmn;

/// <summary>Parse and validate in one step: the gate every definition passes before it is deployed.</summary>
public static class BpmnLoader
{
    /// <summary>Every problem of a definitions file, errors and warnings, from reading and validating it.</summary>
    public static IReadOnlyList<BpmnProblem> Check(string xml)
    {
        var parsed = BpmnParser.Parse(xml);
        return parsed.Document is null ? parsed.Problems : BpmnValidator.Validate(parsed.Document);
    }

    /// <summary>Returns the document, or throws <see cref="BpmnValidationException"/> carrying every problem when there is any error.</summary>
    public static BpmnDocument Load(string xml)
    {
        var parsed = BpmnParser.Parse(xml);
        if (parsed.Document is null)
        {
            throw new BpmnValidationException(parsed.Problems);
        }

        var problems = BpmnValidator.Validate(parsed.Document);
        if (problems.Any(p => p.Severity == ProblemSeverity.Error))
        {
            throw new BpmnValidationException(problems);
        }

        return parsed.Document;
    }
}
