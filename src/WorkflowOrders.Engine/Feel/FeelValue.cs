using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkflowOrders.Engine.Feel;

/// <summary>A value of the FEEL type system (null, number, string, boolean, temporal, list, context, range, function).</summary>
public abstract record FeelValue
{
    /// <summary>The FEEL type name used in warnings ("a number", "a string" …).</summary>
    internal abstract string TypeName { get; }

    public bool IsNull => this is FeelNull;

    /// <summary>Converts a JSON variable value into FEEL (numbers become decimals; strings stay strings).</summary>
    public static FeelValue FromJson(JsonNode? json)
    {
        switch (json)
        {
            case null:
                return FeelNull.Instance;
            case JsonObject obj:
            {
                var entries = new KeyValuePair<string, FeelValue>[obj.Count];
                var i = 0;
                foreach (var property in obj)
                {
                    entries[i++] = new KeyValuePair<string, FeelValue>(property.Key, FromJson(property.Value));
                }
                return new FeelContext(entries);
            }
            case JsonArray array:
            {
                var items = new FeelValue[array.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = FromJson(array[i]);
                }
                return new FeelList(items);
            }
            case JsonValue value:
                return FromJsonValue(value);
            default:
                return FeelNull.Instance;
        }
    }

    private static FeelValue FromJsonValue(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return new FeelString(value.GetValue<string>());
            case JsonValueKind.True:
                return FeelBoolean.True;
            case JsonValueKind.False:
                return FeelBoolean.False;
            case JsonValueKind.Number:
                return JsonNumber(value);
            default:
                return FeelNull.Instance;
        }
    }

    private static FeelValue JsonNumber(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.TryGetDecimal(out var fromElement) ? new FeelNumber(fromElement) : FromDouble(element.GetDouble());
        }
        if (value.TryGetValue<decimal>(out var d)) return new FeelNumber(d);
        if (value.TryGetValue<int>(out var i)) return new FeelNumber(i);
        if (value.TryGetValue<long>(out var l)) return new FeelNumber(l);
        if (value.TryGetValue<double>(out var dbl)) return FromDouble(dbl);
        if (value.TryGetValue<float>(out var f)) return FromDouble(f);
        if (value.TryGetValue<short>(out var s)) return new FeelNumber(s);
        if (value.TryGetValue<byte>(out var b)) return new FeelNumber(b);
        if (value.TryGetValue<uint>(out var ui)) return new FeelNumber(ui);
        if (value.TryGetValue<ulong>(out var ul)) return new FeelNumber(ul);
        // Anything else (e.g. a number too large for decimal): let JSON text decide.
        return decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            ? new FeelNumber(parsed)
            : FeelNull.Instance;
    }

    private static FeelValue FromDouble(double value) =>
        double.IsFinite(value) && Math.Abs(value) < 7.9e28 ? new FeelNumber((decimal)value) : FeelNull.Instance;

    /// <summary>Converts into the JSON stored as a variable (temporal values as strings, see camunda-rest-v2.md §11).</summary>
    public abstract JsonNode? ToJson();

    /// <summary>The FEEL <c>string()</c> text of the value (temporal values as in <see cref="ToJson"/>).</summary>
    public abstract string ToFeelString();

    /// <summary>The string of a FEEL string, else null.</summary>
    public string? AsString() => this is FeelString s ? s.Value : null;

    /// <summary>The boolean of a FEEL boolean, else null.</summary>
    public bool? AsBoolean() => this is FeelBoolean b ? b.Value : null;

    /// <summary>The number of a FEEL number, else null.</summary>
    public decimal? AsDecimal() => this is FeelNumber n ? n.Value : null;

    /// <summary>
    /// A list of strings from a list (numbers as text, other non-string items skipped) or from a comma-separated string
    /// (items trimmed, empty ones dropped) — the two shapes candidate groups and users come in. Null otherwise.
    /// </summary>
    public IReadOnlyList<string>? AsStringList()
    {
        switch (this)
        {
            case FeelList list:
            {
                var result = new List<string>(list.Items.Count);
                foreach (var item in list.Items)
                {
                    var text = item switch
                    {
                        FeelString s => s.Value.Trim(),
                        FeelNumber n => n.ToFeelString(),
                        _ => "",
                    };
                    if (text.Length > 0) result.Add(text);
                }
                return result;
            }
            case FeelString text:
                return text.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            default:
                return null;
        }
    }

    /// <summary>
    /// The instant of a date and time with an offset or zone, or of a string holding one (ISO 8601 / the §11 forms).
    /// A local date and time, a date (its 00:00) or such a string counts only when <paramref name="localZone"/> is given.
    /// </summary>
    public bool TryGetDateTimeOffset(out DateTimeOffset instant, TimeZoneInfo? localZone = null)
    {
        var value = this;
        if (value is FeelString s)
        {
            value = FeelTemporal.ParseDateTime(s.Value) ?? (FeelValue?)FeelTemporal.ParseDate(s.Value) ?? FeelNull.Instance;
        }
        switch (value)
        {
            case FeelDateTime { Offset: not null } dt:
                instant = dt.ToInstant();
                return true;
            case FeelDateTime dt when localZone is not null:
                instant = FeelTemporal.InZone(dt.Local, localZone);
                return true;
            case FeelDate d when localZone is not null:
                instant = FeelTemporal.InZone(d.Value.ToDateTime(TimeOnly.MinValue), localZone);
                return true;
            default:
                instant = default;
                return false;
        }
    }

    /// <summary>The .NET duration of a days-time duration (or of a string holding one), else false.</summary>
    public bool TryGetTimeSpan(out TimeSpan duration)
    {
        var value = this is FeelString s ? FeelTemporal.ParseDuration(s.Value) ?? (FeelValue)FeelNull.Instance : this;
        if (value is FeelDaysTimeDuration d)
        {
            duration = d.Value;
            return true;
        }
        duration = default;
        return false;
    }
}

public sealed record FeelNull : FeelValue
{
    public static readonly FeelNull Instance = new();

    private FeelNull()
    {
    }

    internal override string TypeName => "null";

    public override JsonNode? ToJson() => null;

    public override string ToFeelString() => "null";
}

public sealed record FeelNumber(decimal Value) : FeelValue
{
    internal override string TypeName => "a number";

    public override JsonNode? ToJson() => JsonValue.Create(Normalize(Value));

    public override string ToFeelString() => Normalize(Value).ToString(CultureInfo.InvariantCulture);

    /// <summary>Drops trailing zeros of the scale (1.50 → 1.5) so output does not depend on how a number was written.</summary>
    internal static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;

    public bool Equals(FeelNumber? other) => other is not null && Value == other.Value;

    public override int GetHashCode() => Value.GetHashCode();
}

public sealed record FeelString(string Value) : FeelValue
{
    internal override string TypeName => "a string";

    public override JsonNode? ToJson() => JsonValue.Create(Value);

    public override string ToFeelString() => Value;
}

public sealed record FeelBoolean : FeelValue
{
    public static readonly FeelBoolean True = new(true);
    public static readonly FeelBoolean False = new(false);

    private FeelBoolean(bool value) => Value = value;

    public bool Value { get; }

    public static FeelBoolean Of(bool value) => value ? True : False;

    internal override string TypeName => "a boolean";

    public override JsonNode? ToJson() => JsonValue.Create(Value);

    public override string ToFeelString() => Value ? "true" : "false";
}

public sealed record FeelDate(DateOnly Value) : FeelValue
{
    internal override string TypeName => "a date";

    public override JsonNode? ToJson() => JsonValue.Create(ToFeelString());

    public override string ToFeelString() => FeelTemporal.FormatDate(Value);
}

/// <summary>A time of day: local, with a fixed offset, or with a zone id (then <see cref="Offset"/> is the zone's standard offset).</summary>
public sealed record FeelTime(TimeOnly Local, TimeSpan? Offset, string? Zone) : FeelValue
{
    internal override string TypeName => "a time";

    public override JsonNode? ToJson() => JsonValue.Create(ToFeelString());

    public override string ToFeelString() => FeelTemporal.FormatTime(this);
}

/// <summary>
/// A date and time: local (no offset), with a fixed offset, or with a zone id (then <see cref="Offset"/> is the zone's
/// offset at that local time).
/// </summary>
public sealed record FeelDateTime(DateTime Local, TimeSpan? Offset, string? Zone) : FeelValue
{
    internal override string TypeName => "a date and time";

    public DateTimeOffset ToInstant() => new(Local, Offset ?? TimeSpan.Zero);

    public override JsonNode? ToJson() => JsonValue.Create(ToFeelString());

    public override string ToFeelString() => FeelTemporal.FormatDateTime(this);
}

public sealed record FeelDaysTimeDuration(TimeSpan Value) : FeelValue
{
    internal override string TypeName => "a days and time duration";

    public override JsonNode? ToJson() => JsonValue.Create(ToFeelString());

    public override string ToFeelString() => FeelTemporal.FormatDuration(Value);
}

public sealed record FeelYearsMonthsDuration(int TotalMonths) : FeelValue
{
    internal override string TypeName => "a years and months duration";

    public override JsonNode? ToJson() => JsonValue.Create(ToFeelString());

    public override string ToFeelString() => FeelTemporal.FormatDuration(this);
}

public sealed record FeelList(IReadOnlyList<FeelValue> Items) : FeelValue
{
    public static readonly FeelList Empty = new([]);

    internal override string TypeName => "a list";

    public override JsonNode? ToJson()
    {
        var array = new JsonArray();
        foreach (var item in Items)
        {
            array.Add(item.ToJson());
        }
        return array;
    }

    public override string ToFeelString()
    {
        var parts = new string[Items.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = FeelTemporal.Literal(Items[i]);
        }
        return "[" + string.Join(", ", parts) + "]";
    }

    public bool Equals(FeelList? other)
    {
        if (other is null || other.Items.Count != Items.Count) return false;
        for (var i = 0; i < Items.Count; i++)
        {
            if (!Items[i].Equals(other.Items[i])) return false;
        }
        return true;
    }

    public override int GetHashCode() => Items.Count;
}

/// <summary>A context: entries in insertion order, keys unique.</summary>
public sealed record FeelContext : FeelValue
{
    public static readonly FeelContext Empty = new([]);

    private readonly KeyValuePair<string, FeelValue>[] _entries;
    private Dictionary<string, FeelValue>? _index;

    public FeelContext(KeyValuePair<string, FeelValue>[] entries) => _entries = entries;

    public IReadOnlyList<KeyValuePair<string, FeelValue>> Entries => _entries;

    internal override string TypeName => "a context";

    public bool TryGet(string key, out FeelValue value)
    {
        // Small contexts are scanned; larger ones get an index on first lookup.
        if (_entries.Length <= 8)
        {
            foreach (var entry in _entries)
            {
                if (string.Equals(entry.Key, key, StringComparison.Ordinal))
                {
                    value = entry.Value;
                    return true;
                }
            }
            value = FeelNull.Instance;
            return false;
        }
        // Built at most once per racing thread; publication through Interlocked keeps other threads from seeing it half-built.
        var index = Volatile.Read(ref _index) ?? Interlocked.CompareExchange(ref _index, BuildIndex(), null) ?? _index!;
        if (index.TryGetValue(key, out var found))
        {
            value = found;
            return true;
        }
        value = FeelNull.Instance;
        return false;
    }

    private Dictionary<string, FeelValue> BuildIndex()
    {
        var index = new Dictionary<string, FeelValue>(_entries.Length, StringComparer.Ordinal);
        foreach (var entry in _entries)
        {
            index[entry.Key] = entry.Value;
        }
        return index;
    }

    /// <summary>A copy with the entry set (replaced in place when the key exists, else appended).</summary>
    public FeelContext With(string key, FeelValue value)
    {
        for (var i = 0; i < _entries.Length; i++)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.Ordinal))
            {
                var replaced = (KeyValuePair<string, FeelValue>[])_entries.Clone();
                replaced[i] = new KeyValuePair<string, FeelValue>(key, value);
                return new FeelContext(replaced);
            }
        }
        var appended = new KeyValuePair<string, FeelValue>[_entries.Length + 1];
        Array.Copy(_entries, appended, _entries.Length);
        appended[^1] = new KeyValuePair<string, FeelValue>(key, value);
        return new FeelContext(appended);
    }

    public override JsonNode? ToJson()
    {
        var obj = new JsonObject();
        foreach (var entry in _entries)
        {
            obj[entry.Key] = entry.Value.ToJson();
        }
        return obj;
    }

    public override string ToFeelString()
    {
        var parts = new string[_entries.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = _entries[i].Key + ":" + FeelTemporal.Literal(_entries[i].Value);
        }
        return "{" + string.Join(", ", parts) + "}";
    }

    public bool Equals(FeelContext? other)
    {
        if (other is null || other._entries.Length != _entries.Length) return false;
        foreach (var entry in _entries)
        {
            if (!other.TryGet(entry.Key, out var theirs) || !entry.Value.Equals(theirs)) return false;
        }
        return true;
    }

    public override int GetHashCode() => _entries.Length;
}

/// <summary>An interval; an absent end point (null) means unbounded on that side.</summary>
public sealed record FeelRange(FeelValue? Start, bool StartIncluded, FeelValue? End, bool EndIncluded) : FeelValue
{
    internal override string TypeName => "a range";

    public override JsonNode? ToJson() => JsonValue.Create(ToFeelString());

    public override string ToFeelString() =>
        (StartIncluded ? "[" : "(") + (Start is null ? "" : FeelTemporal.Literal(Start)) + ".." +
        (End is null ? "" : FeelTemporal.Literal(End)) + (EndIncluded ? "]" : ")");
}

/// <summary>A function value (a user-defined <c>function(x) …</c> or a built-in passed as a value).</summary>
public sealed record FeelFunction : FeelValue
{
    internal FeelFunction(string[] parameters, Func<FeelEvaluator, FeelValue[], FeelValue> invoke)
    {
        Parameters = parameters;
        Invoke = invoke;
    }

    internal string[] Parameters { get; }

    internal Func<FeelEvaluator, FeelValue[], FeelValue> Invoke { get; }

    internal override string TypeName => "a function";

    public override JsonNode? ToJson() => null;

    public override string ToFeelString() => "function(" + string.Join(", ", Parameters) + ")";

    public bool Equals(FeelFunction? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => Parameters.Length;
}
