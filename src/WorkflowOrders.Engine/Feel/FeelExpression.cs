using System.Text.Json.Nodes;

namespace WorkflowOrders.Engine.Feel;

/// <summary>A value of the FEEL type system (null, number, string, boolean, temporal, list, context, range, function).</summary>
public abstract record FeelValue
{
    /// <summary>Converts a JSON variable value into FEEL (numbers become decimals; strings stay strings).</summary>
    public static FeelValue FromJson(JsonNode? json) => throw new NotImplementedException();

    /// <summary>Converts into the JSON stored as a variable (temporal values as strings, see camunda-rest-v2.md §11).</summary>
    public abstract JsonNode? ToJson();
}

/// <summary>A parsed FEEL expression (the text after the leading '=' of a BPMN attribute).</summary>
public sealed class FeelExpression
{
    private FeelExpression(string text) => Text = text;

    public string Text { get; }

    /// <summary>Root variable names the expression reads (used to recompute timers when a variable changes).</summary>
    public IReadOnlySet<string> VariableNames { get; } = new HashSet<string>();

    /// <summary>Parses; throws <see cref="FeelParseException"/> with the position of the problem.</summary>
    public static FeelExpression Parse(string text) => throw new NotImplementedException(text);

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
    public FeelResult Evaluate(FeelEnvironment environment) => throw new NotImplementedException(environment.ToString());
}
