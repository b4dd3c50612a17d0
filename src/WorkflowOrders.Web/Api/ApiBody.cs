using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkflowOrders.Web.Api;

/// <summary>
/// A JSON request body read by hand, so every malformed input — bad JSON, a wrong type, a missing field, a key that
/// is not a number — becomes a 400 INVALID_ARGUMENT that names the field, never a 500.
/// </summary>
public sealed class ApiBody
{
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    private readonly JsonElement _object;

    private ApiBody(JsonElement value, string path)
    {
        _object = value;
        Path = path;
    }

    /// <summary>Where this object sits in the request (for messages), e.g. <c>filter</c>.</summary>
    public string Path { get; }

    public static ApiBody Empty { get; } = new(JsonDocument.Parse("{}").RootElement, "");

    /// <summary>Reads the body; an empty body is <see cref="Empty"/> unless <paramref name="required"/>.</summary>
    public static async Task<ApiBody> ReadAsync(HttpContext context, bool required)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                throw ApiProblemException.InvalidArgument("The request body exceeds the 4 MB limit.");
            }
        }

        if (buffer.Length == 0 || buffer.ToArray().All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
        {
            return required ? throw ApiProblemException.InvalidArgument("The request needs a JSON body.") : Empty;
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw ApiProblemException.InvalidArgument($"The request body is not valid JSON: {e.Message}");
        }

        if (root.ValueKind == JsonValueKind.Null && !required)
        {
            return Empty;
        }

        return root.ValueKind == JsonValueKind.Object
            ? new ApiBody(root, "")
            : throw ApiProblemException.InvalidArgument($"The request body must be a JSON object, but was {ApiJson.Describe(root)}.");
    }

    public IEnumerable<string> Names => _object.EnumerateObject().Select(p => p.Name);

    public string FieldName(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    /// <summary>The field's value, or null when it is missing or JSON null.</summary>
    public JsonElement? Get(string name) =>
        _object.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public bool Has(string name) => Get(name) is not null;

    public string? Text(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        var v => throw WrongType(name, "a string", v.Value),
    };

    public string RequiredString(string name) =>
        Text(name) is { Length: > 0 } s ? s : throw ApiProblemException.InvalidArgument($"No {FieldName(name)} given: the field is required and must not be empty.");

    public long? Key(string name) => Get(name) is { } v ? ApiJson.ReadKey(v, FieldName(name)) : null;

    public long? Number(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var n) => n,
        var v => throw WrongType(name, "an integer", v.Value),
    };

    public int? SmallNumber(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var n) => n,
        var v => throw WrongType(name, "a 32-bit integer", v.Value),
    };

    public bool? Bool(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        var v => throw WrongType(name, "a boolean", v.Value),
    };

    /// <summary>A JSON object, e.g. <c>variables</c>.</summary>
    public JsonObject? Map(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } v => JsonNode.Parse(v.GetRawText()) as JsonObject,
        var v => throw WrongType(name, "a JSON object", v.Value),
    };

    public ApiBody? Child(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } v => new ApiBody(v, FieldName(name)),
        var v => throw WrongType(name, "a JSON object", v.Value),
    };

    public IReadOnlyList<JsonElement>? Array(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Array } v => [.. v.EnumerateArray()],
        var v => throw WrongType(name, "an array", v.Value),
    };

    public IReadOnlyList<string>? StringArray(string name) =>
        Array(name)?.Select((e, i) => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw WrongType($"{name}[{i}]", "a string", e)).ToList();

    public static ApiBody Of(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Object ? new ApiBody(value, path) : throw ApiProblemException.InvalidArgument($"The field '{path}' must be a JSON object, but was {ApiJson.Describe(value)}.");

    private ApiProblemException WrongType(string name, string expected, JsonElement value) =>
        ApiProblemException.InvalidArgument($"The field '{FieldName(name)}' must be {expected}, but was {ApiJson.Describe(value)}.");
}
