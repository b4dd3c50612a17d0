using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkflowOrders.Web.Forms;

/// <summary>
/// Shows a Camunda Form in the user's language. The forms are written in Chinese with the English text in each
/// component's custom properties (the designer's "properties" panel): <c>label.en</c>, <c>text.en</c>,
/// <c>description.en</c>, and <c>values.en</c> as <c>value=Label; value=Label</c>. For a non-Chinese culture those
/// replace the Chinese texts; keys and values (what the process reads) never change.
/// </summary>
public static class FormTranslator
{
    public static string Translate(string schemaJson, string culture)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        ArgumentNullException.ThrowIfNull(culture);
        if (culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase) || JsonNode.Parse(schemaJson) is not JsonObject schema)
        {
            return schemaJson;
        }

        Components(schema["components"] as JsonArray);
        return schema.ToJsonString();
    }

    private static void Components(JsonArray? components)
    {
        foreach (var component in components?.OfType<JsonObject>() ?? [])
        {
            if (component["properties"] is JsonObject properties)
            {
                foreach (var name in (string[])["label", "text", "description"])
                {
                    if (Text(properties, name + ".en") is { Length: > 0 } english)
                    {
                        component[name] = english;
                    }
                }

                // A datetime field shows dateLabel / timeLabel, not label: label.en names the date part, timeLabel.en the time part.
                if (Text(properties, "label.en") is { Length: > 0 } dateLabel && component["dateLabel"] is not null)
                {
                    component["dateLabel"] = dateLabel;
                }

                if (Text(properties, "timeLabel.en") is { Length: > 0 } timeLabel && component["timeLabel"] is not null)
                {
                    component["timeLabel"] = timeLabel;
                }

                if (Text(properties, "values.en") is { Length: > 0 } values && component["values"] is JsonArray options)
                {
                    var labels = ParseValues(values);
                    foreach (var option in options.OfType<JsonObject>())
                    {
                        if (option["value"] is JsonValue v && labels.TryGetValue(v.ToString(), out var label))
                        {
                            option["label"] = label;
                        }
                    }
                }
            }

            Components(component["components"] as JsonArray);
        }
    }

    /// <summary>"pass=Pass; issue=Issue, negotiable" → {pass: Pass, issue: Issue, negotiable}.</summary>
    internal static Dictionary<string, string> ParseValues(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                result[part[..eq].Trim()] = part[(eq + 1)..].Trim();
            }
        }

        return result;
    }

    private static string? Text(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
