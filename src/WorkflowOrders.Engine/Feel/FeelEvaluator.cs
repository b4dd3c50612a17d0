using System.Runtime.CompilerServices;

namespace WorkflowOrders.Engine.Feel;

/// <summary>Names bound while evaluating (for/some/every variables, filter items, context entries, parameters).</summary>
internal sealed class Scope(string? name, FeelValue value, FeelContext? context, Scope? parent)
{
    public string? Name { get; } = name;
    public FeelValue Value { get; } = value;
    /// <summary>Entries of a filtered item that is a context: visible by their keys.</summary>
    public FeelContext? Context { get; } = context;
    public Scope? Parent { get; } = parent;
}

/// <summary>The state of one evaluation: variables, bound names, warnings and the work budget.</summary>
internal sealed class FeelEvaluator
{
    private const int MaxCallDepth = 64;

    private readonly string _text;
    private readonly long _maxSteps;
    private List<string>? _warnings;
    private long _steps;
    private int _callDepth;

    public FeelEvaluator(string text, FeelEnvironment environment)
    {
        _text = text;
        Environment = environment;
        _maxSteps = environment.MaxSteps;
        MaxListSize = environment.MaxListSize;
    }

    public FeelEnvironment Environment { get; }

    public int MaxListSize { get; }

    public Scope? Scope { get; set; }

    /// <summary>Where the built-in being run was called (for limit errors raised inside it).</summary>
    public int CallPosition { get; set; }

    public IReadOnlyList<string> Warnings => _warnings is null ? [] : _warnings;

    public int WarningCount => _warnings?.Count ?? 0;

    /// <summary>Every warning raised so far, counting repeats the list keeps once.</summary>
    public int WarningsRaised { get; private set; }

    public void Warn(string message)
    {
        WarningsRaised++;
        _warnings ??= new List<string>(2);
        // The same problem met in a loop is reported once.
        if (_warnings.Count < 50 && !_warnings.Contains(message)) _warnings.Add(message);
    }

    public void DropWarningsAfter(int count)
    {
        if (_warnings is not null && _warnings.Count > count) _warnings.RemoveRange(count, _warnings.Count - count);
    }

    public void Step(int position)
    {
        if (++_steps > _maxSteps)
        {
            throw Fail(position, $"the expression exceeded its work budget of {_maxSteps} steps");
        }
    }

    /// <summary>Counts work proportional to a size (e.g. items copied by a list function).</summary>
    public void Steps(int position, int count)
    {
        _steps += count;
        Step(position);
    }

    public void CheckListSize(int position, long count)
    {
        if (count > MaxListSize)
        {
            throw Fail(position, $"a list would have {count} items, more than the limit of {MaxListSize}");
        }
    }

    public void EnterCall(int position)
    {
        if (++_callDepth > MaxCallDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Fail(position, $"functions call each other deeper than {MaxCallDepth} levels");
        }
    }

    public void ExitCall() => _callDepth--;

    public FeelEvaluationException Fail(int position, string message) =>
        new(FeelSource.ErrorAt(_text, position, message));

    public void Bind(string name, FeelValue value) => Scope = new Scope(name, value, null, Scope);

    /// <summary>Looks a name up in the bound names, innermost first.</summary>
    public bool TryLookupLocal(string name, out FeelValue value)
    {
        for (var s = Scope; s is not null; s = s.Parent)
        {
            if (s.Context is not null && s.Context.TryGet(name, out value)) return true;
            if (s.Name is not null && string.Equals(s.Name, name, StringComparison.Ordinal))
            {
                value = s.Value;
                return true;
            }
        }
        value = FeelNull.Instance;
        return false;
    }

    public bool TryLookup(string name, out FeelValue value)
    {
        if (TryLookupLocal(name, out value)) return true;
        if (Environment.Variables.TryGet(name, out var json))
        {
            value = FeelValue.FromJson(json);
            return true;
        }
        value = FeelNull.Instance;
        return false;
    }
}

internal static class FeelSource
{
    public static FeelError ErrorAt(string text, int position, string message)
    {
        position = Math.Clamp(position, 0, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < position; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return new FeelError(position, line, position - lineStart + 1, message);
    }
}
