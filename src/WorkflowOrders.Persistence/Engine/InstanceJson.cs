using System.Text.Json;
using System.Text.Json.Serialization;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Persistence.Engine;

/// <summary>The instance document as stored in process_instances.state_json (source-generated, no reflection).</summary>
internal static class InstanceJson
{
    public static string Write(InstanceState state) => JsonSerializer.Serialize(state, PersistenceJson.Default.InstanceState);

    public static InstanceState Read(string json) =>
        JsonSerializer.Deserialize(json, PersistenceJson.Default.InstanceState)
        ?? throw new InvalidOperationException("An instance document is empty.");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(InstanceState))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(List<long>))]
[JsonSerializable(typeof(EngineJobPayload))]
internal sealed partial class PersistenceJson : JsonSerializerContext;
