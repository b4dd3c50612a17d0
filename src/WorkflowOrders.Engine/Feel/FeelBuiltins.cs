using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace WorkflowOrders.Engine.Feel;

/// <summary>The built-in functions of the subset (docs/feel.md lists them). Bad arguments give null plus a warning.</summary>
internal static partial class FeelBuiltins
{
    private static readonly Dictionary<string, FeelBuiltin> Functions = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(string, RegexOptions), Regex> RegexCache = new();
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    static FeelBuiltins()
    {
        RegisterConversions();
        RegisterStrings();
        RegisterNumbers();
        RegisterLists();
        RegisterContexts();
        RegisterTemporal();
        RegisterWorkingTime();
    }

    public static bool TryGet(string name, out FeelBuiltin function) => Functions.TryGetValue(name, out function!);

    /// <summary>Names of more than one word ("date and time", "string length" …), which the parser matches word by word.</summary>
    public static IEnumerable<string> MultiWordNames
    {
        get
        {
            foreach (var name in Functions.Keys)
            {
                if (name.Contains(' ', StringComparison.Ordinal)) yield return name;
            }
        }
    }

    private static void Add(string name, string parameters, int minArgs, Func<FeelEvaluator, FeelValue[], FeelValue> body, bool varArgs = false) =>
        Functions.Add(name, new FeelBuiltin(name, parameters, minArgs, body, varArgs));

    private static FeelNull Bad(FeelEvaluator ev, string name, FeelValue[] args)
    {
        var types = new string[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            types[i] = args[i].TypeName;
        }
        ev.Warn($"function '{name}' can't take ({string.Join(", ", types)})");
        return FeelNull.Instance;
    }

    private static FeelNull Warn(FeelEvaluator ev, string message)
    {
        ev.Warn(message);
        return FeelNull.Instance;
    }

    private static bool Integer(FeelValue v, out int value)
    {
        value = 0;
        if (v is not FeelNumber n || n.Value != decimal.Truncate(n.Value) || Math.Abs(n.Value) > int.MaxValue) return false;
        value = (int)n.Value;
        return true;
    }

    // ---------- conversions and booleans ----------

    private static void RegisterConversions()
    {
        Add("string", "from", 1, static (_, a) => a[0] is FeelNull ? a[0] : a[0] as FeelString ?? new FeelString(a[0].ToFeelString()));
        Add("number", "from, grouping separator, decimal separator", 1, static (ev, a) =>
        {
            if (a[0] is FeelNumber) return a[0];
            if (a[0] is not FeelString s) return Bad(ev, "number", a);
            var text = s.Value;
            if (a.Length > 1 && a[1] is FeelString g) text = text.Replace(g.Value, "", StringComparison.Ordinal);
            if (a.Length > 2 && a[2] is FeelString d) text = text.Replace(d.Value, ".", StringComparison.Ordinal);
            return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var n)
                ? new FeelNumber(n)
                : Warn(ev, $"can't convert \"{s.Value}\" to a number");
        });
        Add("not", "negand", 1, static (_, a) => a[0] is FeelBoolean b ? FeelBoolean.Of(!b.Value) : FeelNull.Instance);
        Functions.Add("is defined", new FeelBuiltin("is defined", "value", 1, static (_, _) => FeelBoolean.True, probesArguments: true));
        Add("get or else", "value, default", 2, static (_, a) => a[0] is FeelNull ? a[1] : a[0]);
        Add("assert", "value, condition, cause", 2, static (ev, a) =>
            a[1] is FeelBoolean { Value: true } ? a[0] : Warn(ev, a.Length > 2 && a[2] is FeelString c ? c.Value : "assertion failed"));
    }

    // ---------- strings ----------

    private static void RegisterStrings()
    {
        Add("substring", "string, start position, length", 2, static (ev, a) =>
        {
            if (a[0] is not FeelString s || !Integer(a[1], out var start) || (a.Length > 2 && !Integer(a[2], out _))) return Bad(ev, "substring", a);
            var text = s.Value;
            var from = start > 0 ? start - 1 : text.Length + start;
            if (from < 0 || from > text.Length) return Warn(ev, $"substring: start position {start} is outside a string of length {text.Length}");
            var length = text.Length - from;
            if (a.Length > 2)
            {
                Integer(a[2], out var wanted);
                if (wanted < 0) return Bad(ev, "substring", a);
                length = Math.Min(wanted, length);
            }
            return new FeelString(text.Substring(from, length));
        });
        Add("string length", "string", 1, static (ev, a) => a[0] is FeelString s ? new FeelNumber(s.Value.Length) : Bad(ev, "string length", a));
        Add("upper case", "string", 1, static (ev, a) => a[0] is FeelString s ? new FeelString(s.Value.ToUpperInvariant()) : Bad(ev, "upper case", a));
        Add("lower case", "string", 1, static (ev, a) => a[0] is FeelString s ? new FeelString(s.Value.ToLowerInvariant()) : Bad(ev, "lower case", a));
        Add("trim", "string", 1, static (ev, a) => a[0] is FeelString s ? new FeelString(s.Value.Trim()) : Bad(ev, "trim", a));
        Add("substring before", "string, match", 2, static (ev, a) =>
        {
            if (a[0] is not FeelString s || a[1] is not FeelString m) return Bad(ev, "substring before", a);
            var i = s.Value.IndexOf(m.Value, StringComparison.Ordinal);
            return new FeelString(i < 0 ? "" : s.Value[..i]);
        });
        Add("substring after", "string, match", 2, static (ev, a) =>
        {
            if (a[0] is not FeelString s || a[1] is not FeelString m) return Bad(ev, "substring after", a);
            var i = s.Value.IndexOf(m.Value, StringComparison.Ordinal);
            return new FeelString(i < 0 ? "" : s.Value[(i + m.Value.Length)..]);
        });
        Add("contains", "string, match", 2, static (ev, a) =>
            a[0] is FeelString s && a[1] is FeelString m ? FeelBoolean.Of(s.Value.Contains(m.Value, StringComparison.Ordinal)) : Bad(ev, "contains", a));
        Add("starts with", "string, match", 2, static (ev, a) =>
            a[0] is FeelString s && a[1] is FeelString m ? FeelBoolean.Of(s.Value.StartsWith(m.Value, StringComparison.Ordinal)) : Bad(ev, "starts with", a));
        Add("ends with", "string, match", 2, static (ev, a) =>
            a[0] is FeelString s && a[1] is FeelString m ? FeelBoolean.Of(s.Value.EndsWith(m.Value, StringComparison.Ordinal)) : Bad(ev, "ends with", a));
        Add("matches", "input, pattern, flags", 2, static (ev, a) =>
        {
            if (a[0] is not FeelString s || a[1] is not FeelString p) return Bad(ev, "matches", a);
            var regex = Regex(ev, p.Value, a.Length > 2 ? a[2] : null);
            return regex is null ? FeelNull.Instance : FeelBoolean.Of(regex.IsMatch(s.Value));
        });
        Add("replace", "input, pattern, replacement, flags", 3, static (ev, a) =>
        {
            if (a[0] is not FeelString s || a[1] is not FeelString p || a[2] is not FeelString r) return Bad(ev, "replace", a);
            var regex = Regex(ev, p.Value, a.Length > 3 ? a[3] : null);
            return regex is null ? FeelNull.Instance : new FeelString(regex.Replace(s.Value, r.Value));
        });
        Add("split", "string, delimiter", 2, static (ev, a) =>
        {
            if (a[0] is not FeelString s || a[1] is not FeelString d) return Bad(ev, "split", a);
            var regex = Regex(ev, d.Value, null);
            if (regex is null) return FeelNull.Instance;
            var parts = regex.Split(s.Value);
            ev.CheckListSize(ev.CallPosition, parts.Length);
            return new FeelList(Array.ConvertAll(parts, static x => (FeelValue)new FeelString(x)));
        });
        Add("string join", "list, delimiter, prefix, suffix", 1, static (ev, a) =>
        {
            if (a[0] is not FeelList list) return Bad(ev, "string join", a);
            var delimiter = a.Length > 1 && a[1] is FeelString d ? d.Value : "";
            var sb = new StringBuilder();
            if (a.Length > 2 && a[2] is FeelString pre) sb.Append(pre.Value);
            var first = true;
            foreach (var item in list.Items)
            {
                if (item is FeelNull) continue;
                if (item is not FeelString s) return Bad(ev, "string join", a);
                if (!first) sb.Append(delimiter);
                sb.Append(s.Value);
                first = false;
            }
            if (a.Length > 3 && a[3] is FeelString post) sb.Append(post.Value);
            return new FeelString(sb.ToString());
        });
    }

    private static Regex? Regex(FeelEvaluator ev, string pattern, FeelValue? flags)
    {
        var options = RegexOptions.CultureInvariant;
        if (flags is FeelString f)
        {
            foreach (var c in f.Value)
            {
                options |= c switch
                {
                    'i' => RegexOptions.IgnoreCase,
                    's' => RegexOptions.Singleline,
                    'm' => RegexOptions.Multiline,
                    'x' => RegexOptions.IgnorePatternWhitespace,
                    _ => RegexOptions.None,
                };
            }
        }
        if (RegexCache.TryGetValue((pattern, options), out var cached)) return cached;
        try
        {
            var regex = new Regex(pattern, options, RegexTimeout);
            // Patterns are part of definitions (few); the bound only guards against generated ones.
            if (RegexCache.Count < 1000) RegexCache.TryAdd((pattern, options), regex);
            return regex;
        }
        catch (ArgumentException e)
        {
            ev.Warn($"invalid regular expression '{pattern}': {e.Message}");
            return null;
        }
    }

    // ---------- numbers ----------

    private static void RegisterNumbers()
    {
        Add("decimal", "n, scale", 2, static (ev, a) => Round(ev, "decimal", a, MidpointRounding.ToEven));
        Add("round half up", "n, scale", 1, static (ev, a) => Round(ev, "round half up", a, MidpointRounding.AwayFromZero));
        Add("round half down", "n, scale", 1, static (ev, a) => Round(ev, "round half down", a, MidpointRounding.ToZero, halfDown: true));
        Add("round up", "n, scale", 1, static (ev, a) => Round(ev, "round up", a, MidpointRounding.AwayFromZero, directed: true));
        Add("round down", "n, scale", 1, static (ev, a) => Round(ev, "round down", a, MidpointRounding.ToZero));
        Add("floor", "n, scale", 1, static (ev, a) => Round(ev, "floor", a, MidpointRounding.ToNegativeInfinity));
        Add("ceiling", "n, scale", 1, static (ev, a) => Round(ev, "ceiling", a, MidpointRounding.ToPositiveInfinity));
        Add("abs", "n", 1, static (ev, a) => a[0] switch
        {
            FeelNumber n => new FeelNumber(Math.Abs(n.Value)),
            FeelDaysTimeDuration d => new FeelDaysTimeDuration(d.Value.Duration()),
            FeelYearsMonthsDuration y => new FeelYearsMonthsDuration(Math.Abs(y.TotalMonths)),
            _ => Bad(ev, "abs", a),
        });
        Add("modulo", "dividend, divisor", 2, static (ev, a) =>
        {
            if (a[0] is not FeelNumber x || a[1] is not FeelNumber y) return Bad(ev, "modulo", a);
            if (y.Value == 0) return Warn(ev, "division by zero");
            // FEEL: the result takes the sign of the divisor.
            return new FeelNumber(x.Value - (y.Value * decimal.Floor(x.Value / y.Value)));
        });
        Add("sqrt", "number", 1, static (ev, a) =>
            a[0] is FeelNumber { Value: >= 0 } n ? new FeelNumber((decimal)Math.Sqrt((double)n.Value)) : Bad(ev, "sqrt", a));
        Add("log", "number", 1, static (ev, a) =>
            a[0] is FeelNumber { Value: > 0 } n ? new FeelNumber((decimal)Math.Log((double)n.Value)) : Bad(ev, "log", a));
        Add("exp", "number", 1, static (ev, a) =>
            a[0] is FeelNumber { Value: < 60 } n ? new FeelNumber((decimal)Math.Exp((double)n.Value)) : Bad(ev, "exp", a));
        Add("odd", "number", 1, static (ev, a) =>
            a[0] is FeelNumber n && n.Value == decimal.Truncate(n.Value) ? FeelBoolean.Of(n.Value % 2 != 0) : Bad(ev, "odd", a));
        Add("even", "number", 1, static (ev, a) =>
            a[0] is FeelNumber n && n.Value == decimal.Truncate(n.Value) ? FeelBoolean.Of(n.Value % 2 == 0) : Bad(ev, "even", a));
    }

    private static FeelValue Round(FeelEvaluator ev, string name, FeelValue[] a, MidpointRounding mode, bool directed = false, bool halfDown = false)
    {
        var scale = 0;
        if (a[0] is not FeelNumber n || (a.Length > 1 && !Integer(a[1], out scale)) || scale < -28 || scale > 28) return Bad(ev, name, a);
        var value = n.Value;
        if (scale < 0)
        {
            // A negative scale rounds to tens, hundreds …: scale the number down, round, scale back.
            var factor = 1m;
            for (var i = 0; i < -scale; i++) factor *= 10;
            return new FeelNumber(RoundAt(value / factor, 0, mode, directed, halfDown) * factor);
        }
        return new FeelNumber(RoundAt(value, scale, mode, directed, halfDown));
    }

    private static decimal RoundAt(decimal value, int scale, MidpointRounding mode, bool directed, bool halfDown)
    {
        if (directed)
        {
            // Away from zero for every discarded fraction, not only at the midpoint.
            var down = Math.Round(value, scale, MidpointRounding.ToZero);
            if (down == value) return down;
            var unit = 1m;
            for (var i = 0; i < scale; i++) unit /= 10;
            return value > 0 ? down + unit : down - unit;
        }
        if (halfDown)
        {
            var away = Math.Round(value, scale, MidpointRounding.AwayFromZero);
            var toward = Math.Round(value, scale, MidpointRounding.ToZero);
            var unit = 1m;
            for (var i = 0; i < scale; i++) unit /= 10;
            return Math.Abs(value - toward) * 2 == unit ? toward : away;
        }
        return Math.Round(value, scale, mode);
    }

    // ---------- lists ----------

    private static IReadOnlyList<FeelValue> Items(FeelValue[] args) =>
        args.Length == 1 && args[0] is FeelList list ? list.Items : args;

    private static void RegisterLists()
    {
        Add("list contains", "list, element", 2, static (ev, a) =>
        {
            if (a[0] is not FeelList list) return Bad(ev, "list contains", a);
            foreach (var item in list.Items)
            {
                if (FeelOps.Same(item, a[1])) return FeelBoolean.True;
            }
            return FeelBoolean.False;
        });
        Add("count", "list", 1, static (ev, a) => a[0] is FeelList list ? new FeelNumber(list.Items.Count) : Bad(ev, "count", a));
        Add("is empty", "list", 1, static (ev, a) => a[0] is FeelList list ? FeelBoolean.Of(list.Items.Count == 0) : Bad(ev, "is empty", a));
        Add("min", "list", 1, static (ev, a) => Extreme(ev, "min", a, -1), varArgs: true);
        Add("max", "list", 1, static (ev, a) => Extreme(ev, "max", a, 1), varArgs: true);
        Add("sum", "list", 1, static (ev, a) =>
        {
            var items = Items(a);
            if (items.Count == 0) return FeelNull.Instance;
            FeelValue total = items[0];
            if (total is not FeelNumber and not FeelDaysTimeDuration and not FeelYearsMonthsDuration) return Bad(ev, "sum", a);
            for (var i = 1; i < items.Count; i++)
            {
                total = FeelOps.Add(ev, total, items[i]);
                if (total is FeelNull) return total;
            }
            return total;
        }, varArgs: true);
        Add("product", "list", 1, static (ev, a) =>
        {
            var items = Items(a);
            if (items.Count == 0) return FeelNull.Instance;
            var product = 1m;
            foreach (var item in items)
            {
                if (item is not FeelNumber n) return Bad(ev, "product", a);
                product *= n.Value;
            }
            return new FeelNumber(product);
        }, varArgs: true);
        Add("mean", "list", 1, static (ev, a) =>
        {
            var items = Items(a);
            if (items.Count == 0) return FeelNull.Instance;
            var sum = 0m;
            foreach (var item in items)
            {
                if (item is not FeelNumber n) return Bad(ev, "mean", a);
                sum += n.Value;
            }
            return new FeelNumber(sum / items.Count);
        }, varArgs: true);
        Add("all", "list", 1, static (ev, a) =>
        {
            var sawOther = false;
            foreach (var item in Items(a))
            {
                if (item is FeelBoolean { Value: false }) return FeelBoolean.False;
                if (item is not FeelBoolean) sawOther = true;
            }
            return sawOther ? FeelNull.Instance : FeelBoolean.True;
        }, varArgs: true);
        Add("any", "list", 1, static (ev, a) =>
        {
            var sawOther = false;
            foreach (var item in Items(a))
            {
                if (item is FeelBoolean { Value: true }) return FeelBoolean.True;
                if (item is not FeelBoolean) sawOther = true;
            }
            return sawOther ? FeelNull.Instance : FeelBoolean.False;
        }, varArgs: true);
        Add("sublist", "list, start position, length", 2, static (ev, a) =>
        {
            if (a[0] is not FeelList list || !Integer(a[1], out var start) || (a.Length > 2 && !Integer(a[2], out _))) return Bad(ev, "sublist", a);
            var count = list.Items.Count;
            var from = start > 0 ? start - 1 : count + start;
            if (start == 0 || from < 0 || from >= count) return Warn(ev, $"sublist: start position {start} is outside a list of {count} items");
            var length = count - from;
            if (a.Length > 2)
            {
                Integer(a[2], out var wanted);
                if (wanted < 0) return Bad(ev, "sublist", a);
                length = Math.Min(wanted, length);
            }
            var result = new FeelValue[length];
            for (var i = 0; i < length; i++) result[i] = list.Items[from + i];
            return new FeelList(result);
        });
        Add("append", "list, items", 1, static (ev, a) =>
        {
            if (a[0] is not FeelList list) return Bad(ev, "append", a);
            ev.CheckListSize(ev.CallPosition, (long)list.Items.Count + a.Length - 1);
            var result = new List<FeelValue>(list.Items.Count + a.Length - 1);
            result.AddRange(list.Items);
            for (var i = 1; i < a.Length; i++) result.Add(a[i]);
            return new FeelList(result);
        }, varArgs: true);
        Add("concatenate", "lists", 0, static (ev, a) =>
        {
            var result = new List<FeelValue>();
            foreach (var part in a)
            {
                if (part is not FeelList list) return Bad(ev, "concatenate", a);
                ev.CheckListSize(ev.CallPosition, (long)result.Count + list.Items.Count);
                result.AddRange(list.Items);
            }
            ev.Steps(ev.CallPosition, result.Count);
            return new FeelList(result);
        }, varArgs: true);
        Add("insert before", "list, position, newItem", 3, static (ev, a) =>
        {
            if (a[0] is not FeelList list || !Integer(a[1], out var position)) return Bad(ev, "insert before", a);
            var count = list.Items.Count;
            var at = position > 0 ? position - 1 : count + position;
            if (position == 0 || at < 0 || at > count) return Warn(ev, $"insert before: position {position} is outside a list of {count} items");
            var result = new List<FeelValue>(list.Items);
            result.Insert(at, a[2]);
            return new FeelList(result);
        });
        Add("remove", "list, position", 2, static (ev, a) =>
        {
            if (a[0] is not FeelList list || !Integer(a[1], out var position)) return Bad(ev, "remove", a);
            var count = list.Items.Count;
            var at = position > 0 ? position - 1 : count + position;
            if (position == 0 || at < 0 || at >= count) return Warn(ev, $"remove: position {position} is outside a list of {count} items");
            var result = new List<FeelValue>(list.Items);
            result.RemoveAt(at);
            return new FeelList(result);
        });
        Add("reverse", "list", 1, static (ev, a) =>
        {
            if (a[0] is not FeelList list) return Bad(ev, "reverse", a);
            var result = new FeelValue[list.Items.Count];
            for (var i = 0; i < result.Length; i++) result[i] = list.Items[result.Length - 1 - i];
            return new FeelList(result);
        });
        Add("index of", "list, match", 2, static (ev, a) =>
        {
            if (a[0] is not FeelList list) return Bad(ev, "index of", a);
            var result = new List<FeelValue>();
            for (var i = 0; i < list.Items.Count; i++)
            {
                if (FeelOps.Same(list.Items[i], a[1])) result.Add(new FeelNumber(i + 1));
            }
            return new FeelList(result);
        });
        Add("union", "lists", 0, static (ev, a) =>
        {
            var result = new List<FeelValue>();
            foreach (var part in a)
            {
                if (part is not FeelList list) return Bad(ev, "union", a);
                foreach (var item in list.Items) AddDistinct(ev, result, item);
            }
            return new FeelList(result);
        }, varArgs: true);
        Add("distinct values", "list", 1, static (ev, a) =>
        {
            if (a[0] is not FeelList list) return Bad(ev, "distinct values", a);
            var result = new List<FeelValue>();
            foreach (var item in list.Items) AddDistinct(ev, result, item);
            return new FeelList(result);
        });
        Add("flatten", "list", 1, static (ev, a) =>
        {
            if (a[0] is not FeelList list) return Bad(ev, "flatten", a);
            var result = new List<FeelValue>();
            Flatten(ev, list, result, 0);
            return new FeelList(result);
        });
        Add("sort", "list, precedes", 1, static (ev, a) =>
        {
            if (a[0] is not FeelList list || (a.Length > 1 && a[1] is not FeelFunction)) return Bad(ev, "sort", a);
            var items = new List<FeelValue>(list.Items);
            ev.Steps(ev.CallPosition, items.Count * 4);
            var precedes = a.Length > 1 ? (FeelFunction)a[1] : null;
            var failed = false;
            // A stable merge sort over a comparison that may be a FEEL function (List.Sort is not stable).
            var sorted = MergeSort(items, (x, y) =>
            {
                if (precedes is not null)
                {
                    return precedes.Invoke(ev, [x, y]) is FeelBoolean { Value: true };
                }
                var c = FeelOps.Compare(x, y);
                if (c is null) failed = true;
                return c < 0;
            });
            return failed ? Warn(ev, "sort: the items are not comparable") : new FeelList(sorted);
        });
    }

    private static List<FeelValue> MergeSort(List<FeelValue> items, Func<FeelValue, FeelValue, bool> precedes)
    {
        if (items.Count <= 1) return items;
        var mid = items.Count / 2;
        var left = MergeSort(items.GetRange(0, mid), precedes);
        var right = MergeSort(items.GetRange(mid, items.Count - mid), precedes);
        var merged = new List<FeelValue>(items.Count);
        int i = 0, j = 0;
        while (i < left.Count && j < right.Count)
        {
            // Take from the right only when it strictly precedes: keeps equal items in their order.
            if (precedes(right[j], left[i])) merged.Add(right[j++]);
            else merged.Add(left[i++]);
        }
        while (i < left.Count) merged.Add(left[i++]);
        while (j < right.Count) merged.Add(right[j++]);
        return merged;
    }

    private static void AddDistinct(FeelEvaluator ev, List<FeelValue> result, FeelValue item)
    {
        ev.Steps(ev.CallPosition, result.Count);
        foreach (var existing in result)
        {
            if (FeelOps.Same(existing, item)) return;
        }
        result.Add(item);
    }

    private static void Flatten(FeelEvaluator ev, FeelList list, List<FeelValue> into, int depth)
    {
        if (depth > 64) throw ev.Fail(ev.CallPosition, "flatten: lists are nested too deeply");
        foreach (var item in list.Items)
        {
            if (item is FeelList inner) Flatten(ev, inner, into, depth + 1);
            else into.Add(item);
        }
        ev.CheckListSize(ev.CallPosition, into.Count);
    }

    private static FeelValue Extreme(FeelEvaluator ev, string name, FeelValue[] a, int sign)
    {
        var items = Items(a);
        if (items.Count == 0) return FeelNull.Instance;
        var best = items[0];
        for (var i = 1; i < items.Count; i++)
        {
            var c = FeelOps.Compare(items[i], best);
            if (c is null) return Warn(ev, $"{name}: the items are not comparable");
            if (c * sign > 0) best = items[i];
        }
        if (items.Count == 1 && FeelOps.Compare(best, best) is null) return Bad(ev, name, a);
        return best;
    }

    // ---------- contexts ----------

    private static void RegisterContexts()
    {
        Add("get value", "context|m, key", 2, static (ev, a) =>
        {
            if (a[0] is not FeelContext c || a[1] is not FeelString k) return Bad(ev, "get value", a);
            return c.TryGet(k.Value, out var v) ? v : FeelNull.Instance;
        });
        Add("get entries", "context|m", 1, static (ev, a) =>
        {
            if (a[0] is not FeelContext c) return Bad(ev, "get entries", a);
            var result = new FeelValue[c.Entries.Count];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = new FeelContext([new("key", new FeelString(c.Entries[i].Key)), new("value", c.Entries[i].Value)]);
            }
            return new FeelList(result);
        });
        Add("context put", "context, key, value", 3, static (ev, a) =>
            a[0] is FeelContext c && a[1] is FeelString k ? c.With(k.Value, a[2]) : Bad(ev, "context put", a));
        Add("context merge", "contexts", 1, static (ev, a) =>
        {
            if (a[0] is not FeelList list) return Bad(ev, "context merge", a);
            var merged = FeelContext.Empty;
            foreach (var item in list.Items)
            {
                if (item is not FeelContext c) return Bad(ev, "context merge", a);
                foreach (var entry in c.Entries) merged = merged.With(entry.Key, entry.Value);
            }
            return merged;
        });
        Add("context", "entries", 1, static (ev, a) =>
        {
            if (a[0] is not FeelList list) return Bad(ev, "context", a);
            var result = FeelContext.Empty;
            foreach (var item in list.Items)
            {
                if (item is not FeelContext e || !e.TryGet("key", out var k) || k is not FeelString key || !e.TryGet("value", out var v)) return Bad(ev, "context", a);
                result = result.With(key.Value, v);
            }
            return result;
        });
    }
}
