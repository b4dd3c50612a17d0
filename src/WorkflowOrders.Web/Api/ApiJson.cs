using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WorkflowOrders.Web.Api;

/// <summary>
/// JSON conventions of the API: camelCase, keys as decimal strings (numbers accepted in requests), dates as RFC 3339
/// UTC with milliseconds (<c>2025-03-20T12:30:45.123Z</c>), tenant always <c>&lt;default&gt;</c>.
/// </summary>
public static partial class ApiJson
{
    public const string Tenant = "<default>";

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string Key(long key) => key.ToString(CultureInfo.InvariantCulture);

    public static string? Key(long? key) => key?.ToString(CultureInfo.InvariantCulture);

    public static string? Date(DateTimeOffset? date) =>
        date?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A key from a path segment; anything but decimal digits is a 400.</summary>
    public static long ParseKey(string? text, string name) =>
        TryParseKey(text, out var key) ? key : throw ApiProblemException.InvalidArgument($"The {name} '{text}' is not a key: keys are decimal digits, e.g. \"2251799813685249\".");

    private static bool TryParseKey(string? text, out long key)
    {
        key = 0;
        return text is { Length: > 0 and <= 25 } && KeyPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out key);
    }

    /// <summary>A key from JSON: a string of digits or an integer number.</summary>
    public static long ReadKey(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.String && TryParseKey(value.GetString(), out var fromString))
        {
            return fromString;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var fromNumber))
        {
            return fromNumber;
        }

        throw ApiProblemException.InvalidArgument($"The field '{name}' must be a key (a string of decimal digits), but was {Describe(value)}.");
    }

    /// <summary>A date with an offset; a local time without one is refused as Camunda does.</summary>
    public static DateTimeOffset ReadDate(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.String && DatePattern().IsMatch(value.GetString()!)
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        throw ApiProblemException.InvalidArgument($"The field '{name}' must be an RFC 3339 date-time with an offset, e.g. \"2025-03-20T12:30:45.123Z\", but was {Describe(value)}.");
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "missing",
    };

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;

    /// <summary>A JSON value as Camunda shows variable values: its JSON text.</summary>
    public static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    [GeneratedRegex("^-?[0-9]+$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|z|[+-]\d{2}:\d{2})$")]
    private static partial Regex DatePattern();
}
