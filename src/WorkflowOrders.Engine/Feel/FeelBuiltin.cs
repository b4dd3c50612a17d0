using System.Text.RegularExpressions;

namespace WorkflowOrders.Engine.Feel;

/// <summary>A built-in function: its parameter names (alternatives separated by '|'), arity and body.</summary>
internal sealed class FeelBuiltin
{
    private readonly string[][] _parameterNames;

    public FeelBuiltin(string name, string parameters, int minArgs, Func<FeelEvaluator, FeelValue[], FeelValue> body,
        bool varArgs = false, bool probesArguments = false)
    {
        Name = name;
        var names = parameters.Length == 0 ? [] : parameters.Split(',', StringSplitOptions.TrimEntries);
        _parameterNames = new string[names.Length][];
        for (var i = 0; i < names.Length; i++)
        {
            _parameterNames[i] = names[i].Split('|');
        }
        MinArgs = minArgs;
        Body = body;
        VarArgs = varArgs;
        ProbesArguments = probesArguments;
    }

    public string Name { get; }
    public int MinArgs { get; }
    public int MaxArgs => VarArgs ? int.MaxValue : _parameterNames.Length;
    public bool VarArgs { get; }
    public bool ProbesArguments { get; }

    /// <summary>The result depends on the arguments only (not on the clock, the calendar or variables).</summary>
    public bool IsPure => !ProbesArguments && Name is not ("now" or "today" or "addWorkingDays" or "addWorkingHours"
        or "workingDayOnOrBefore" or "workingDayOnOrAfter");
    public Func<FeelEvaluator, FeelValue[], FeelValue> Body { get; }

    /// <summary>The position of a named argument, or -1.</summary>
    public int IndexOfParameter(string name)
    {
        for (var i = 0; i < _parameterNames.Length; i++)
        {
            if (Array.IndexOf(_parameterNames[i], name) >= 0) return i;
        }
        return -1;
    }

    public int ParameterCount => _parameterNames.Length;

    public FeelValue Call(FeelEvaluator ev, int position, FeelValue[] args)
    {
        if (args.Length < MinArgs || args.Length > MaxArgs)
        {
            ev.Warn($"no function found with name '{Name}' and {args.Length} parameters");
            return FeelNull.Instance;
        }
        ev.Step(position);
        try
        {
            ev.CallPosition = position;
            return Body(ev, args);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException or FormatException or InvalidOperationException)
        {
            ev.Warn($"failed to invoke function '{Name}': {e.Message}");
            return FeelNull.Instance;
        }
        catch (RegexMatchTimeoutException)
        {
            ev.Warn($"failed to invoke function '{Name}': the regular expression took too long");
            return FeelNull.Instance;
        }
    }
}
