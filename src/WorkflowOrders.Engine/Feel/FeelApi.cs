using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Calendar;

namespace WorkflowOrders.Engine.Feel;

// The public surface of the FEEL subset that the rest of the engine codes against.
// (Bodies are filled in by the FEEL implementation; the signatures are the contract.)

/// <summary>Where a FEEL problem is: 0-based offset into the expression text, and 1-based line/column.</summary>
public sealed record FeelError(int Position, int Line, int Column, string Message)
{
    public override string ToString() => $"{Message} (at line {Line}, column {Column})";
}

/// <summary>An expression that could not be parsed.</summary>
public sealed class FeelParseException(FeelError error) : Exception(error.ToString())
{
    public FeelError Error { get; } = error;
}

/// <summary>Evaluation stopped for a reason FEEL does not turn into null (work or depth limit exceeded).</summary>
public sealed class FeelEvaluationException(FeelError error) : Exception(error.ToString())
{
    public FeelError Error { get; } = error;
}

/// <summary>Read-only access to the variables an expression may see.</summary>
public interface IFeelVariables
{
    /// <summary>Looks up a variable by name; false when it does not exist.</summary>
    bool TryGet(string name, out JsonNode? value);
}

/// <summary>What an evaluation can see: variables, the clock (for now()/today()) and the instance's working calendar.</summary>
public sealed class FeelEnvironment
{
    public required IFeelVariables Variables { get; init; }
    public required TimeProvider Time { get; init; }
    /// <summary>Bound to the instance's calendar; the working-time functions fail (null + warning) without one.</summary>
    public IWorkingCalendar? Calendar { get; init; }

    /// <summary>Work budget of one evaluation (about one step per node evaluated); beyond it evaluation throws.</summary>
    public long MaxSteps { get; init; } = 1_000_000;

    /// <summary>Largest list an evaluation may build (for/ranges/concatenation); beyond it evaluation throws.</summary>
    public int MaxListSize { get; init; } = 100_000;
}

/// <summary>The value of an evaluation plus FEEL warnings (e.g. "no variable found for name 'x'").</summary>
public sealed record FeelResult(FeelValue Value, IReadOnlyList<string> Warnings);
