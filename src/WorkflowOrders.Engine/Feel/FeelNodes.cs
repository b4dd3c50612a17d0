using System.Text.Json.Nodes;

namespace WorkflowOrders.Engine.Feel;

// The syntax tree. Each node evaluates itself (a tight tree walk: one virtual call per node, no LINQ).

internal abstract class Node
{
    protected Node(int position, params Node?[] children)
    {
        Position = position;
        var depth = 0;
        foreach (var child in children)
        {
            if (child is not null && child.Depth > depth) depth = child.Depth;
        }
        Depth = depth + 1;
    }

    public int Position { get; }

    /// <summary>Height of the tree below; bounded at parse so evaluation cannot exhaust the stack.</summary>
    public int Depth { get; protected set; }

    public abstract FeelValue Eval(FeelEvaluator ev);

    /// <summary>True when the node always yields a boolean or null (a comparison, a logical operator …).</summary>
    public virtual bool IsBooleanShaped => false;

    protected void RaiseDepth(IEnumerable<Node?> children)
    {
        foreach (var child in children)
        {
            if (child is not null && child.Depth + 1 > Depth) Depth = child.Depth + 1;
        }
    }
}

internal sealed class LiteralNode(int position, FeelValue value) : Node(position)
{
    public FeelValue Value { get; } = value;

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        return Value;
    }

    public override bool IsBooleanShaped => Value is FeelBoolean;
}

internal sealed class NameNode(int position, string name) : Node(position)
{
    public string Name { get; } = name;

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        if (ev.TryLookup(Name, out var value)) return value;
        ev.Warn($"no variable found for name '{Name}'");
        return FeelNull.Instance;
    }

    /// <summary>The raw JSON of a root variable, so a path reads one leaf instead of converting a whole object.</summary>
    public bool TryGetJson(FeelEvaluator ev, out JsonNode? json)
    {
        json = null;
        return !ev.TryLookupLocal(Name, out _) && ev.Environment.Variables.TryGet(Name, out json);
    }
}

internal sealed class PathNode(int position, Node target, string key) : Node(position, target)
{
    public Node Target { get; } = target;
    public string Key { get; } = key;

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        if (TryGetJson(ev, out var json)) return FeelValue.FromJson(json);
        return Get(ev, Target.Eval(ev), Key);
    }

    public bool TryGetJson(FeelEvaluator ev, out JsonNode? json)
    {
        JsonNode? parent;
        var found = Target switch
        {
            NameNode name => name.TryGetJson(ev, out parent),
            PathNode path => path.TryGetJson(ev, out parent),
            _ => Nothing(out parent),
        };
        if (found && parent is JsonObject obj && obj.TryGetPropertyValue(Key, out json)) return true;
        json = null;
        return false;
    }

    private static bool Nothing(out JsonNode? json)
    {
        json = null;
        return false;
    }

    public static FeelValue Get(FeelEvaluator ev, FeelValue target, string key)
    {
        switch (target)
        {
            case FeelContext context:
                if (context.TryGet(key, out var value)) return value;
                ev.Warn($"no context entry found with key '{key}'");
                return FeelNull.Instance;
            case FeelList list:
            {
                var items = new FeelValue[list.Items.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = Get(ev, list.Items[i], key);
                }
                return new FeelList(items);
            }
            case FeelNull:
                return FeelNull.Instance;
            default:
                var property = FeelProperties.Get(target, key);
                if (property is null)
                {
                    ev.Warn($"no property '{key}' on {target.TypeName}");
                    return FeelNull.Instance;
                }
                return property;
        }
    }
}

internal sealed class FilterNode : Node
{
    private readonly Node _target;
    private readonly Node _filter;

    public FilterNode(int position, Node target, Node filter) : base(position, target, filter)
    {
        _target = target;
        _filter = filter;
    }

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        var target = _target.Eval(ev);
        if (target is FeelNull) return target;
        var list = target as FeelList ?? new FeelList([target]);
        if (_filter is LiteralNode { Value: FeelNumber literal }) return Index(ev, list, literal.Value);
        if (!_filter.IsBooleanShaped)
        {
            // A filter that does not read the item (xs[n], xs[-1]) is an index; decide by trying it outside the item.
            var before = ev.WarningCount;
            var probe = _filter.Eval(ev);
            ev.DropWarningsAfter(before);
            if (probe is FeelNumber n) return Index(ev, list, n.Value);
        }
        var kept = new List<FeelValue>();
        var saved = ev.Scope;
        try
        {
            foreach (var item in list.Items)
            {
                ev.Scope = new Scope("item", item, item as FeelContext, saved);
                if (_filter.Eval(ev) is FeelBoolean { Value: true }) kept.Add(item);
            }
        }
        finally
        {
            ev.Scope = saved;
        }
        return new FeelList(kept);
    }

    private static FeelValue Index(FeelEvaluator ev, FeelList list, decimal index)
    {
        var count = list.Items.Count;
        if (index != decimal.Truncate(index) || index == 0 || Math.Abs(index) > count)
        {
            ev.Warn($"index {FeelNumber.Normalize(index)} is out of range for a list of {count} items");
            return FeelNull.Instance;
        }
        var i = (int)index;
        return list.Items[i > 0 ? i - 1 : count + i];
    }
}

internal enum ArithOp
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
}

internal sealed class ArithNode(int position, ArithOp op, Node left, Node right) : Node(position, left, right)
{
    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        var a = left.Eval(ev);
        var b = right.Eval(ev);
        return op switch
        {
            ArithOp.Add => FeelOps.Add(ev, a, b),
            ArithOp.Subtract => FeelOps.Subtract(ev, a, b),
            ArithOp.Multiply => FeelOps.Multiply(ev, a, b),
            ArithOp.Divide => FeelOps.Divide(ev, a, b),
            _ => FeelOps.Power(ev, a, b),
        };
    }
}

internal sealed class NegateNode(int position, Node operand) : Node(position, operand)
{
    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        return FeelOps.Negate(ev, operand.Eval(ev));
    }
}

internal enum CompareOp
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

internal sealed class CompareNode(int position, CompareOp op, Node left, Node right) : Node(position, left, right)
{
    public override bool IsBooleanShaped => true;

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        return Apply(ev, op, left.Eval(ev), right.Eval(ev));
    }

    private static FeelNull CannotCompare(FeelEvaluator ev, FeelValue a, FeelValue b)
    {
        ev.Warn(a.TypeName == b.TypeName
            ? $"can't compare {a.TypeName} without an offset with one that has an offset"
            : $"can't compare {a.TypeName} and {b.TypeName}");
        return FeelNull.Instance;
    }

    public static FeelValue Apply(FeelEvaluator ev, CompareOp op, FeelValue a, FeelValue b)
    {
        if (op is CompareOp.Equal or CompareOp.NotEqual)
        {
            var equal = FeelOps.Equal(a, b);
            if (equal is null) return CannotCompare(ev, a, b);
            return FeelBoolean.Of(equal.Value == (op == CompareOp.Equal));
        }
        var c = FeelOps.Compare(a, b);
        if (c is null) return CannotCompare(ev, a, b);
        return FeelBoolean.Of(op switch
        {
            CompareOp.Less => c < 0,
            CompareOp.LessOrEqual => c <= 0,
            CompareOp.Greater => c > 0,
            _ => c >= 0,
        });
    }
}

internal sealed class BetweenNode(int position, Node value, Node low, Node high) : Node(position, value, low, high)
{
    public override bool IsBooleanShaped => true;

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        var x = value.Eval(ev);
        var lower = CompareNode.Apply(ev, CompareOp.GreaterOrEqual, x, low.Eval(ev));
        var upper = CompareNode.Apply(ev, CompareOp.LessOrEqual, x, high.Eval(ev));
        return AndNode.Combine(lower, upper);
    }
}

internal sealed class AndNode(int position, Node left, Node right) : Node(position, left, right)
{
    public override bool IsBooleanShaped => true;

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        var a = left.Eval(ev);
        if (a is FeelBoolean { Value: false }) return a;
        return Combine(a, right.Eval(ev));
    }

    /// <summary>FEEL three-valued and: false wins, then null (also for non-booleans), else true.</summary>
    public static FeelValue Combine(FeelValue a, FeelValue b)
    {
        if (a is FeelBoolean { Value: false } || b is FeelBoolean { Value: false }) return FeelBoolean.False;
        if (a is FeelBoolean { Value: true } && b is FeelBoolean { Value: true }) return FeelBoolean.True;
        return FeelNull.Instance;
    }
}

internal sealed class OrNode(int position, Node left, Node right) : Node(position, left, right)
{
    public override bool IsBooleanShaped => true;

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        var a = left.Eval(ev);
        if (a is FeelBoolean { Value: true }) return a;
        var b = right.Eval(ev);
        if (b is FeelBoolean { Value: true }) return b;
        if (a is FeelBoolean { Value: false } && b is FeelBoolean { Value: false }) return FeelBoolean.False;
        return FeelNull.Instance;
    }
}

internal sealed class IfNode(int position, Node condition, Node then, Node otherwise) : Node(position, condition, then, otherwise)
{
    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        return condition.Eval(ev) is FeelBoolean { Value: true } ? then.Eval(ev) : otherwise.Eval(ev);
    }
}

internal sealed class ListNode : Node
{
    private readonly Node[] _items;

    public ListNode(int position, Node[] items) : base(position, items) => _items = items;

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        if (_items.Length == 0) return FeelList.Empty;
        var values = new FeelValue[_items.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _items[i].Eval(ev);
        }
        return new FeelList(values);
    }
}

internal sealed class ContextNode : Node
{
    private readonly string[] _keys;
    private readonly Node[] _values;

    public ContextNode(int position, string[] keys, Node[] values) : base(position, values)
    {
        _keys = keys;
        _values = values;
    }

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        var entries = new KeyValuePair<string, FeelValue>[_keys.Length];
        var saved = ev.Scope;
        try
        {
            for (var i = 0; i < entries.Length; i++)
            {
                var value = _values[i].Eval(ev);
                entries[i] = new KeyValuePair<string, FeelValue>(_keys[i], value);
                // Later entries may read earlier ones by name.
                ev.Bind(_keys[i], value);
            }
        }
        finally
        {
            ev.Scope = saved;
        }
        return new FeelContext(entries);
    }
}

internal sealed class RangeNode(int position, Node? start, bool startIncluded, Node? end, bool endIncluded) : Node(position, start, end)
{
    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        var from = start?.Eval(ev);
        var to = end?.Eval(ev);
        if (from is not null && to is not null && from is not FeelNull && to is not FeelNull && FeelOps.Compare(from, to) is null)
        {
            ev.Warn($"a range can't go from {from.TypeName} to {to.TypeName}");
            return FeelNull.Instance;
        }
        return new FeelRange(from, startIncluded, to, endIncluded);
    }
}

/// <summary>One <c>name in source</c> of a for/some/every; source may be a list or <c>a..b</c> of integers.</summary>
internal sealed record Iteration(string Name, Node Source, Node? RangeEnd);

internal abstract class IteratingNode : Node
{
    private readonly Iteration[] _iterations;

    protected IteratingNode(int position, Iteration[] iterations, Node body) : base(position, body)
    {
        _iterations = iterations;
        foreach (var it in iterations)
        {
            RaiseDepth([it.Source, it.RangeEnd]);
        }
    }

    /// <summary>Runs <paramref name="visit"/> for every combination of the iteration variables; false from it stops.</summary>
    protected bool Iterate(FeelEvaluator ev, int level, Func<FeelEvaluator, bool> visit)
    {
        if (level == _iterations.Length) return visit(ev);
        var it = _iterations[level];
        var source = it.Source.Eval(ev);
        var saved = ev.Scope;
        try
        {
            if (it.RangeEnd is not null)
            {
                var end = it.RangeEnd.Eval(ev);
                if (source is not FeelNumber from || end is not FeelNumber to || from.Value != decimal.Truncate(from.Value) || to.Value != decimal.Truncate(to.Value))
                {
                    ev.Warn($"can't iterate from {source.TypeName} to {end.TypeName}: a range of integers is expected");
                    return false;
                }
                var span = Math.Abs(to.Value - from.Value) + 1;
                ev.CheckListSize(Position, span > long.MaxValue ? long.MaxValue : (long)span);
                var step = from.Value <= to.Value ? 1 : -1;
                for (var n = from.Value; step > 0 ? n <= to.Value : n >= to.Value; n += step)
                {
                    ev.Scope = new Scope(it.Name, new FeelNumber(n), null, saved);
                    if (!Iterate(ev, level + 1, visit)) return false;
                }
                return true;
            }
            if (source is not FeelList list)
            {
                ev.Warn($"can't iterate over {source.TypeName}: a list is expected");
                return false;
            }
            foreach (var item in list.Items)
            {
                ev.Scope = new Scope(it.Name, item, null, saved);
                if (!Iterate(ev, level + 1, visit)) return false;
            }
            return true;
        }
        finally
        {
            ev.Scope = saved;
        }
    }
}

internal sealed class ForNode : IteratingNode
{
    private readonly Node _body;

    public ForNode(int position, Iteration[] iterations, Node body) : base(position, iterations, body) => _body = body;

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        var results = new List<FeelValue>();
        var ok = Iterate(ev, 0, e =>
        {
            results.Add(_body.Eval(e));
            e.CheckListSize(Position, results.Count);
            return true;
        });
        return ok ? new FeelList(results) : FeelNull.Instance;
    }
}

internal sealed class QuantifiedNode : IteratingNode
{
    private readonly bool _every;
    private readonly Node _condition;

    public QuantifiedNode(int position, bool every, Iteration[] iterations, Node condition) : base(position, iterations, condition)
    {
        _every = every;
        _condition = condition;
    }

    public override bool IsBooleanShaped => true;

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        var decided = false;
        var ok = Iterate(ev, 0, e =>
        {
            var holds = _condition.Eval(e) is FeelBoolean { Value: true };
            if (holds != _every)
            {
                decided = true;
                return false;
            }
            return true;
        });
        if (!ok && !decided) return FeelNull.Instance;
        // some: true when one item satisfied; every: false when one did not.
        return FeelBoolean.Of(_every ? !decided : decided);
    }
}

internal sealed class InstanceOfNode(int position, Node value, string typeName) : Node(position, value)
{
    public override bool IsBooleanShaped => true;

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        var v = value.Eval(ev);
        return FeelBoolean.Of(typeName switch
        {
            "Any" => v is not FeelNull,
            "Null" => v is FeelNull,
            "number" => v is FeelNumber,
            "string" => v is FeelString,
            "boolean" => v is FeelBoolean,
            "date" => v is FeelDate,
            "time" => v is FeelTime,
            "date and time" => v is FeelDateTime,
            "days and time duration" => v is FeelDaysTimeDuration,
            "years and months duration" => v is FeelYearsMonthsDuration,
            "list" => v is FeelList,
            "context" => v is FeelContext,
            "range" => v is FeelRange,
            "function" => v is FeelFunction,
            _ => false,
        });
    }
}

internal sealed class FunctionDefinitionNode(int position, string[] parameters, Node body) : Node(position, body)
{
    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        var captured = ev.Scope;
        return new FeelFunction(parameters, (e, args) =>
        {
            var saved = e.Scope;
            e.EnterCall(Position);
            try
            {
                e.Scope = captured;
                for (var i = 0; i < parameters.Length; i++)
                {
                    e.Bind(parameters[i], i < args.Length ? args[i] : FeelNull.Instance);
                }
                return body.Eval(e);
            }
            finally
            {
                e.Scope = saved;
                e.ExitCall();
            }
        });
    }
}

/// <summary>A call of a built-in function; named arguments were put in place at parse.</summary>
internal sealed class BuiltinCallNode : Node
{
    private readonly FeelBuiltin _function;
    private readonly Node[] _args;

    public BuiltinCallNode(int position, FeelBuiltin function, Node[] args) : base(position, args)
    {
        _function = function;
        _args = args;
    }

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        var values = _args.Length == 0 ? [] : new FeelValue[_args.Length];
        if (_function.ProbesArguments)
        {
            // `is defined(x)`: a missing variable or entry is an answer here, not a problem to report.
            var before = ev.WarningCount;
            var raised = ev.WarningsRaised;
            var value = _args.Length == 1 ? _args[0].Eval(ev) : FeelNull.Instance;
            var missing = ev.WarningsRaised > raised;
            ev.DropWarningsAfter(before);
            if (_args.Length != 1)
            {
                ev.Warn($"no function found with name '{_function.Name}' and {_args.Length} parameters");
                return FeelNull.Instance;
            }
            return FeelBoolean.Of(!missing || value is not FeelNull);
        }
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _args[i].Eval(ev);
        }
        return _function.Call(ev, Position, values);
    }
}

/// <summary>A call of something that is not a known built-in: a function held in a variable or bound name.</summary>
internal sealed class DynamicCallNode : Node
{
    private readonly string _name;
    private readonly Node[] _args;
    private readonly string[]? _argNames;

    public DynamicCallNode(int position, string name, Node[] args, string[]? argNames) : base(position, args)
    {
        _name = name;
        _args = args;
        _argNames = argNames;
    }

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        if (!ev.TryLookupLocal(_name, out var callee) || callee is not FeelFunction function)
        {
            ev.Warn($"no function found with name '{_name}' and {_args.Length} parameters");
            return FeelNull.Instance;
        }
        var values = new FeelValue[Math.Max(_args.Length, function.Parameters.Length)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = FeelNull.Instance;
        }
        for (var i = 0; i < _args.Length; i++)
        {
            var index = i;
            if (_argNames is not null)
            {
                index = Array.IndexOf(function.Parameters, _argNames[i]);
                if (index < 0)
                {
                    ev.Warn($"the function '{_name}' has no parameter '{_argNames[i]}'");
                    return FeelNull.Instance;
                }
            }
            values[index] = _args[i].Eval(ev);
        }
        return function.Invoke(ev, values);
    }
}

/// <summary><c>x in tests</c>: true when one of the tests holds.</summary>
internal sealed class InNode : Node
{
    private readonly Node _value;
    private readonly UnaryTest[] _tests;

    public InNode(int position, Node value, UnaryTest[] tests) : base(position, value)
    {
        _value = value;
        _tests = tests;
        foreach (var test in tests)
        {
            RaiseDepth([test.Operand, test.Extra]);
        }
    }

    public override bool IsBooleanShaped => true;

    public override FeelValue Eval(FeelEvaluator ev)
    {
        ev.Step(Position);
        return UnaryTest.Any(ev, _tests, _value.Eval(ev));
    }
}

internal enum UnaryTestKind
{
    Compare,
    Range,
    Value,
    Not,
}

/// <summary>One positive unary test (<c>&lt; 5</c>, <c>[1..5]</c>, <c>"a"</c>, a list) or <c>not(tests)</c>.</summary>
internal sealed class UnaryTest
{
    public UnaryTestKind Kind { get; init; }
    public CompareOp Op { get; init; }
    public Node? Operand { get; init; }
    public Node? Extra { get; init; }
    public bool StartIncluded { get; init; }
    public bool EndIncluded { get; init; }
    public UnaryTest[] Inner { get; init; } = [];

    public static FeelValue Any(FeelEvaluator ev, UnaryTest[] tests, FeelValue input)
    {
        var sawNull = false;
        foreach (var test in tests)
        {
            var result = test.Test(ev, input);
            if (result is FeelBoolean { Value: true }) return result;
            if (result is not FeelBoolean) sawNull = true;
        }
        return sawNull ? FeelNull.Instance : FeelBoolean.False;
    }

    private FeelValue Test(FeelEvaluator ev, FeelValue input)
    {
        switch (Kind)
        {
            case UnaryTestKind.Compare:
                return CompareNode.Apply(ev, Op, input, Operand!.Eval(ev));
            case UnaryTestKind.Range:
                return InRange(ev, input, new FeelRange(Operand!.Eval(ev), StartIncluded, Extra!.Eval(ev), EndIncluded));
            case UnaryTestKind.Not:
                var inner = Any(ev, Inner, input);
                return inner is FeelBoolean b ? FeelBoolean.Of(!b.Value) : inner;
            default:
                var expected = Operand!.Eval(ev);
                return expected switch
                {
                    FeelList list => Contains(list, input),
                    FeelRange range => InRange(ev, input, range),
                    _ => CompareNode.Apply(ev, CompareOp.Equal, input, expected),
                };
        }
    }

    private static FeelBoolean Contains(FeelList list, FeelValue input)
    {
        foreach (var item in list.Items)
        {
            if (FeelOps.Same(item, input)) return FeelBoolean.True;
        }
        return FeelBoolean.False;
    }

    public static FeelValue InRange(FeelEvaluator ev, FeelValue input, FeelRange range)
    {
        FeelValue lower = FeelBoolean.True, upper = FeelBoolean.True;
        if (range.Start is not null)
        {
            lower = CompareNode.Apply(ev, range.StartIncluded ? CompareOp.GreaterOrEqual : CompareOp.Greater, input, range.Start);
        }
        if (range.End is not null)
        {
            upper = CompareNode.Apply(ev, range.EndIncluded ? CompareOp.LessOrEqual : CompareOp.Less, input, range.End);
        }
        return AndNode.Combine(lower, upper);
    }
}
