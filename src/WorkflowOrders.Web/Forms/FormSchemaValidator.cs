using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WorkflowOrders.Engine.Feel;

namespace WorkflowOrders.Web.Forms;

/// <summary>Why a submitted field was refused; the page turns it into a sentence in the user's language.</summary>
public enum FormErrorCode
{
    Required,
    NotText,
    NotNumber,
    NotInteger,
    TooManyDecimals,
    NotBoolean,
    NotDate,
    NotTime,
    NotDateTime,
    DateInPast,
    NotAllowed,
    NotList,
    BelowMinimum,
    AboveMaximum,
    TooShort,
    TooLong,
    PatternMismatch,
    NotEmail,
    NotPhone,
}

/// <summary>
/// One refused field: <see cref="FieldId"/> is the component's id (form-js keys its error display by it),
/// <see cref="Path"/> the variable it writes (e.g. <c>review.comment</c>, <c>lines[1].quantity</c>),
/// <see cref="Argument"/> the limit or pattern the message quotes.
/// </summary>
public sealed record FormFieldError(string FieldId, string Path, string? Label, FormErrorCode Code, string? Argument = null, string? CustomMessage = null);

/// <summary>The variables the form may write (only its own, visible, enabled fields) and the refused fields.</summary>
public sealed record FormValidationResult(JsonObject Variables, IReadOnlyList<FormFieldError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Checks data submitted from a Camunda Form against the form's schema on the server, the same rules the form-js
/// viewer applies in the browser (which a client can skip): required, type per component (number, boolean, date,
/// time, date-time, lists), the allowed values of select/radio/checklist/taglist, min/max, minLength/maxLength,
/// pattern, email/phone and decimal digits. Fields hidden by their <c>conditional.hide</c> expression and disabled
/// fields are neither checked nor written, as in form-js. Only the form's own keys come back as variables, so a
/// submission cannot write variables the form does not show.
/// </summary>
public sealed class FormSchemaValidator(TimeProvider time)
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(200);

    // Deliberately plain: a dot in the domain, no spaces; an international number with an optional +.
    private static readonly Regex EmailPattern = new(@"^[^\s@]+@[^\s@]+\.[^\s@]{2,}$", RegexOptions.CultureInvariant, PatternTimeout);
    private static readonly Regex PhonePattern = new(@"^\+?[0-9][0-9 ()\-]{5,30}$", RegexOptions.CultureInvariant, PatternTimeout);

    private static readonly HashSet<string> DisplayOnly = new(StringComparer.Ordinal)
    {
        "text", "html", "image", "spacer", "separator", "button", "iframe", "table", "documentPreview", "filepicker", "expression",
    };

    /// <param name="schemaJson">The Camunda Form (JSON).</param>
    /// <param name="submitted">The data the browser sent.</param>
    /// <param name="context">The instance's variables (hide conditions, FEEL limits and <c>valuesKey</c> read them).</param>
    /// <param name="zone">The user's zone: "today" for <c>disallowPassedDates</c>.</param>
    public FormValidationResult Validate(string schemaJson, JsonObject submitted, JsonObject? context = null, TimeZoneInfo? zone = null)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        ArgumentNullException.ThrowIfNull(submitted);
        var schema = JsonNode.Parse(schemaJson) as JsonObject
            ?? throw new FormatException("The form schema is not a JSON object.");
        var run = new Run(this, context ?? [], submitted, zone ?? TimeZoneInfo.Utc);
        run.Components(schema["components"] as JsonArray, submitted, run.Variables, "");
        return new FormValidationResult(run.Variables, run.Errors);
    }

    private sealed class Run(FormSchemaValidator owner, JsonObject context, JsonObject submitted, TimeZoneInfo zone)
    {
        public JsonObject Variables { get; } = [];

        public List<FormFieldError> Errors { get; } = [];

        /// <summary>Walks components; <paramref name="data"/> is the object their keys are read from, <paramref name="target"/> where they are written.</summary>
        public void Components(JsonArray? components, JsonObject data, JsonObject target, string pathPrefix)
        {
            if (components is null)
            {
                return;
            }

            foreach (var node in components)
            {
                if (node is JsonObject component)
                {
                    Component(component, data, target, pathPrefix);
                }
            }
        }

        private void Component(JsonObject component, JsonObject data, JsonObject target, string pathPrefix)
        {
            var type = Text(component, "type") ?? "";
            if (IsHidden(component, data) || component["disabled"] is JsonValue d && d.GetValueKind() == JsonValueKind.True)
            {
                return;
            }

            switch (type)
            {
                case "group":
                    {
                        // A group with a path nests its fields' values under it; without one they stay flat.
                        var path = Text(component, "path");
                        if (string.IsNullOrEmpty(path))
                        {
                            Components(component["components"] as JsonArray, data, target, pathPrefix);
                        }
                        else
                        {
                            var nestedData = Get(data, path) as JsonObject ?? [];
                            var nestedTarget = EnsureObject(target, path);
                            Components(component["components"] as JsonArray, nestedData, nestedTarget, Join(pathPrefix, path));
                        }

                        return;
                    }

                case "dynamiclist":
                    DynamicList(component, data, target, pathPrefix);
                    return;
            }

            if (DisplayOnly.Contains(type))
            {
                return;
            }

            var key = Text(component, "key");
            if (string.IsNullOrEmpty(key))
            {
                return;
            }

            var field = new Field(Text(component, "id") ?? key, Join(pathPrefix, key), Text(component, "label"));
            var value = Get(data, key);
            var clean = Check(component, type, field, value);
            if (clean is not null)
            {
                Set(target, key, clean);
            }
        }

        private void DynamicList(JsonObject component, JsonObject data, JsonObject target, string pathPrefix)
        {
            var path = Text(component, "path");
            if (string.IsNullOrEmpty(path))
            {
                return;
            }

            var field = new Field(Text(component, "id") ?? path, Join(pathPrefix, path), Text(component, "label"));
            var value = Get(data, path);
            if (value is null)
            {
                return;
            }

            if (value is not JsonArray items)
            {
                Errors.Add(field.Error(FormErrorCode.NotList));
                return;
            }

            var cleanItems = new JsonArray();
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i] as JsonObject ?? [];
                var cleanItem = new JsonObject();
                Components(component["components"] as JsonArray, item, cleanItem, $"{field.Path}[{i}]");
                cleanItems.Add(cleanItem);
            }

            Set(target, path, cleanItems);
        }

        /// <summary>Checks one keyed field; gives the value to write (null: nothing to write).</summary>
        private JsonNode? Check(JsonObject component, string type, Field field, JsonNode? value)
        {
            var validate = component["validate"] as JsonObject;
            var required = Bool(Limit(validate, "required")) == true;
            if (IsUnset(value) || (value is JsonArray { Count: 0 }) || (type == "checkbox" && value is JsonValue v0 && v0.GetValueKind() == JsonValueKind.False))
            {
                if (required)
                {
                    Errors.Add(field.Error(FormErrorCode.Required));
                    return null;
                }

                // An optional field left empty writes its empty value, so a reopened form shows it empty.
                return value?.DeepClone();
            }

            var before = Errors.Count;
            var clean = type switch
            {
                "number" => Number(component, validate, field, value!),
                "checkbox" => Boolean(field, value!),
                "select" or "radio" => Choice(component, field, value!),
                "checklist" or "taglist" => Choices(component, field, value!),
                "datetime" => DateTimeValue(component, field, value!),
                _ => TextValue(validate, field, value!),
            };
            return Errors.Count > before ? null : clean;
        }

        private JsonValue? TextValue(JsonObject? validate, Field field, JsonNode value)
        {
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                Errors.Add(field.Error(FormErrorCode.NotText));
                return null;
            }

            var text = v.GetValue<string>();
            var trimmedLength = new StringInfo(text.Trim()).LengthInTextElements;
            if (Integer(Limit(validate, "minLength")) is { } min && trimmedLength < min)
            {
                Errors.Add(field.Error(FormErrorCode.TooShort, min.ToString(CultureInfo.InvariantCulture)));
            }

            if (Integer(Limit(validate, "maxLength")) is { } max && trimmedLength > max)
            {
                Errors.Add(field.Error(FormErrorCode.TooLong, max.ToString(CultureInfo.InvariantCulture)));
            }

            if (Limit(validate, "pattern") is JsonValue p && p.GetValueKind() == JsonValueKind.String && p.GetValue<string>() is { Length: > 0 } pattern
                && !Matches(pattern, text))
            {
                Errors.Add(field.Error(FormErrorCode.PatternMismatch, pattern, Text(validate!, "patternErrorMessage")));
            }

            switch (Text(validate, "validationType"))
            {
                case "email" when !EmailPattern.IsMatch(text):
                    Errors.Add(field.Error(FormErrorCode.NotEmail));
                    break;
                case "phone" when !PhonePattern.IsMatch(text):
                    Errors.Add(field.Error(FormErrorCode.NotPhone));
                    break;
            }

            return JsonValue.Create(text);
        }

        private static bool Matches(string pattern, string text)
        {
            try
            {
                return Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, PatternTimeout);
            }
            catch (ArgumentException)
            {
                return true; // a pattern .NET cannot read is the form author's mistake, not the user's
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }

        private JsonValue? Number(JsonObject component, JsonObject? validate, Field field, JsonNode value)
        {
            decimal number;
            var asString = component["serializeToString"] is JsonValue s && s.GetValueKind() == JsonValueKind.True;
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && ReadNumber(v) is { } n)
            {
                number = n;
            }
            else if (value is JsonValue t && t.GetValueKind() == JsonValueKind.String
                && decimal.TryParse(t.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                number = parsed;
            }
            else
            {
                Errors.Add(field.Error(FormErrorCode.NotNumber));
                return null;
            }

            if (Integer(component["decimalDigits"]) is { } digits && digits >= 0 && DecimalPlaces(number) > digits)
            {
                Errors.Add(field.Error(digits == 0 ? FormErrorCode.NotInteger : FormErrorCode.TooManyDecimals, digits.ToString(CultureInfo.InvariantCulture)));
            }

            if (Decimal(Limit(validate, "min")) is { } min && number < min)
            {
                Errors.Add(field.Error(FormErrorCode.BelowMinimum, Show(min)));
            }

            if (Decimal(Limit(validate, "max")) is { } max && number > max)
            {
                Errors.Add(field.Error(FormErrorCode.AboveMaximum, Show(max)));
            }

            return asString ? JsonValue.Create(Show(number)) : JsonValue.Create(number);
        }

        private JsonValue? Boolean(Field field, JsonNode value)
        {
            if (value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                return JsonValue.Create(v.GetValueKind() == JsonValueKind.True);
            }

            Errors.Add(field.Error(FormErrorCode.NotBoolean));
            return null;
        }

        private JsonNode? Choice(JsonObject component, Field field, JsonNode value)
        {
            var allowed = AllowedValues(component);
            if (value is JsonArray or JsonObject || (allowed is not null && !allowed.Any(a => JsonNode.DeepEquals(a, value))))
            {
                Errors.Add(field.Error(FormErrorCode.NotAllowed, Describe(value)));
                return null;
            }

            return value.DeepClone();
        }

        private JsonNode? Choices(JsonObject component, Field field, JsonNode value)
        {
            if (value is not JsonArray list)
            {
                Errors.Add(field.Error(FormErrorCode.NotList));
                return null;
            }

            var allowed = AllowedValues(component);
            if (allowed is not null)
            {
                foreach (var item in list)
                {
                    if (!allowed.Any(a => JsonNode.DeepEquals(a, item)))
                    {
                        Errors.Add(field.Error(FormErrorCode.NotAllowed, Describe(item)));
                        return null;
                    }
                }
            }

            return list.DeepClone();
        }

        /// <summary>Static <c>values</c>, or those of the variable named by <c>valuesKey</c>; null when they come from an expression (not checked).</summary>
        private List<JsonNode?>? AllowedValues(JsonObject component)
        {
            JsonArray? options = component["values"] as JsonArray;
            if (options is null && Text(component, "valuesKey") is { Length: > 0 } valuesKey)
            {
                options = (Get(submitted, valuesKey) ?? Get(context, valuesKey)) as JsonArray;
                if (options is null)
                {
                    return null;
                }
            }

            if (options is null)
            {
                return null;
            }

            // Options are {label, value} objects; a plain list of values is accepted too.
            return [.. options.Select(o => o is JsonObject obj && obj.ContainsKey("value") ? obj["value"] : o)];
        }

        private JsonValue? DateTimeValue(JsonObject component, Field field, JsonNode value)
        {
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                Errors.Add(field.Error(FormErrorCode.NotDate));
                return null;
            }

            var text = v.GetValue<string>();
            var subtype = Text(component, "subtype") ?? "date";
            var pastAllowed = component["disallowPassedDates"] is not JsonValue dp || dp.GetValueKind() != JsonValueKind.True;
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(owner.NowUtc, zone).DateTime);
            switch (subtype)
            {
                case "time":
                    if (!TryTime(text))
                    {
                        Errors.Add(field.Error(FormErrorCode.NotTime));
                        return null;
                    }

                    break;
                case "datetime":
                    {
                        if (!TryDateTime(text, out var day))
                        {
                            Errors.Add(field.Error(FormErrorCode.NotDateTime));
                            return null;
                        }

                        if (!pastAllowed && day < today)
                        {
                            Errors.Add(field.Error(FormErrorCode.DateInPast));
                            return null;
                        }

                        break;
                    }

                default:
                    {
                        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                        {
                            Errors.Add(field.Error(FormErrorCode.NotDate));
                            return null;
                        }

                        if (!pastAllowed && day < today)
                        {
                            Errors.Add(field.Error(FormErrorCode.DateInPast));
                            return null;
                        }

                        break;
                    }
            }

            return JsonValue.Create(text);
        }

        private static bool TryTime(string text)
        {
            // form-js writes "HH:mm", with a UTC offset or Z when the form asks for one.
            var core = text.Length >= 5 ? text[..5] : text;
            var rest = text.Length > 5 ? text[5..] : "";
            return TimeOnly.TryParseExact(core, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                && (rest.Length == 0 || rest == "Z" || Regex.IsMatch(rest, @"^(:\d{2})?([+-]\d{2}:?\d{2}|Z)?$", RegexOptions.CultureInvariant, PatternTimeout));
        }

        private static bool TryDateTime(string text, out DateOnly day)
        {
            day = default;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
                && text.Length >= 16 && text[4] == '-' && text[10] == 'T')
            {
                day = DateOnly.FromDateTime(instant.DateTime);
                return DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
            }

            return false;
        }

        /// <summary>A <c>conditional.hide</c> FEEL expression that is true hides the field (it is neither checked nor written).</summary>
        private bool IsHidden(JsonObject component, JsonObject data)
        {
            if (component["conditional"] is not JsonObject conditional || Text(conditional, "hide") is not { Length: > 0 } hide)
            {
                return false;
            }

            var result = owner.Evaluate(hide, Scope(data));
            return result?.AsBoolean() == true;
        }

        /// <summary>A limit (required, min, pattern …); one written as "=expression" is evaluated with FEEL.</summary>
        private JsonNode? Limit(JsonObject? validate, string name)
        {
            var node = validate?[name];
            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 1 } text && text[0] == '=')
            {
                return owner.Evaluate(text, Scope(submitted))?.ToJson();
            }

            return node;
        }

        /// <summary>What expressions see: the instance's variables overlaid with the submitted data.</summary>
        private JsonObject Scope(JsonObject data)
        {
            var scope = (JsonObject)context.DeepClone();
            foreach (var (key, value) in submitted)
            {
                scope[key] = value?.DeepClone();
            }

            if (!ReferenceEquals(data, submitted))
            {
                foreach (var (key, value) in data)
                {
                    scope[key] = value?.DeepClone();
                }
            }

            return scope;
        }
    }

    private DateTimeOffset NowUtc => time.GetUtcNow();

    private FeelValue? Evaluate(string expression, JsonObject scope)
    {
        var text = expression.StartsWith('=') ? expression[1..] : expression;
        if (!FeelExpression.TryParse(text, out var parsed, out _) || parsed is null)
        {
            return null;
        }

        try
        {
            return parsed.Evaluate(new FeelEnvironment { Variables = new ObjectVariables(scope), Time = time, MaxSteps = 100_000 }).Value;
        }
        catch (FeelEvaluationException)
        {
            return null;
        }
    }

    private sealed class ObjectVariables(JsonObject scope) : IFeelVariables
    {
        public bool TryGet(string name, out JsonNode? value) => scope.TryGetPropertyValue(name, out value);
    }

    private sealed record Field(string Id, string Path, string? Label)
    {
        public FormFieldError Error(FormErrorCode code, string? argument = null, string? customMessage = null) =>
            new(Id, Path, Label, code, argument, customMessage);
    }

    private static bool IsUnset(JsonNode? value) =>
        value is null || (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0);

    private static string? Text(JsonObject? obj, string name) =>
        obj?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool? Bool(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null }
        : null;

    private static decimal? Decimal(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() == JsonValueKind.Number ? ReadNumber(v)
        : v.GetValueKind() == JsonValueKind.String && decimal.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p
        : null
        : null;

    /// <summary>A JSON number as decimal, whether parsed (JsonElement) or built in code (int, double …).</summary>
    internal static decimal? ReadNumber(JsonValue value) =>
        decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static int? Integer(JsonNode? node) => Decimal(node) is { } d && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d : null;

    private static int DecimalPlaces(decimal value)
    {
        var normalized = value / 1.000000000000000000000000000000000m;
        return BitConverter.GetBytes(decimal.GetBits(normalized)[3])[2];
    }

    private static string Show(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static string Describe(JsonNode? value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String
        ? v.GetValue<string>()
        : value?.ToJsonString() ?? "null";

    /// <summary>Reads a dotted key ("order.customer") the way form-js nests it.</summary>
    private static JsonNode? Get(JsonObject obj, string key)
    {
        JsonNode? current = obj;
        foreach (var part in key.Split('.'))
        {
            if (current is not JsonObject o || !o.TryGetPropertyValue(part, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static void Set(JsonObject obj, string key, JsonNode? value)
    {
        var parts = key.Split('.');
        var parent = parts.Length == 1 ? obj : EnsureObject(obj, string.Join('.', parts[..^1]));
        parent[parts[^1]] = value;
    }

    private static JsonObject EnsureObject(JsonObject obj, string path)
    {
        var current = obj;
        foreach (var part in path.Split('.'))
        {
            if (current[part] is not JsonObject next)
            {
                next = [];
                current[part] = next;
            }

            current = next;
        }

        return current;
    }

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : $"{prefix}.{key}";
}
