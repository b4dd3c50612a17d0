namespace WorkflowOrders.Engine.Feel;

/// <summary>A parsed FEEL expression (the text after the leading '=' of a BPMN attribute).</summary>
/// <remarks>Immutable after parsing: one instance may be evaluated by many threads at once.</remarks>
public sealed class FeelExpression
{
    private readonly Node _root;

    private FeelExpression(string text, Node root, HashSet<string> variableNames)
    {
        Text = text;
        _root = root;
        VariableNames = variableNames;
    }

    public string Text { get; }

    /// <summary>Root variable names the expression reads (used to recompute timers when a variable changes).</summary>
    public IReadOnlySet<string> VariableNames { get; }

    /// <summary>Parses; throws <see cref="FeelParseException"/> with the position of the problem.</summary>
    public static FeelExpression Parse(string text)
    {
        var (root, variables) = FeelParser.Parse(text);
        return new FeelExpression(text, root, variables);
    }

    public static bool TryParse(string text, out FeelExpression? expression, out FeelError? error)
    {
        try
        {
            expression = Parse(text);
            error = null;
            return true;
        }
        catch (FeelParseException e)
        {
            expression = null;
            error = e.Error;
            return false;
        }
    }

    /// <summary>Evaluates; FEEL's own errors give null plus a warning; work/depth limits throw <see cref="FeelEvaluationException"/>.</summary>
    public FeelResult Evaluate(FeelEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var evaluator = new FeelEvaluator(Text, environment);
        try
        {
            return new FeelResult(_root.Eval(evaluator), evaluator.Warnings);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException or InvalidOperationException)
        {
            // Values at the edge of .NET's ranges (year 1 or 9999 shifted by an offset …) end as FEEL errors do.
            evaluator.Warn($"the expression could not be evaluated: {e.Message}");
            return new FeelResult(FeelNull.Instance, evaluator.Warnings);
        }
    }
}
