using System.Text.Json;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Entities;

namespace WorkflowOrders.Persistence.Engine;

/// <summary>What an engine job keeps beside the job table's own columns.</summary>
internal sealed class EngineJobPayload
{
    public string ElementId { get; set; } = "";
    public string ProcessId { get; set; } = "";
    public long? SubscriptionKey { get; set; }
    public IReadOnlyDictionary<string, string>? Headers { get; set; }
}

/// <summary>Engine jobs as rows of the job table: timers (kind "timer") and task handlers (kind "service-task").</summary>
internal static class EngineJobs
{
    public static JobRow ToRow(JobRecord job) =>
        new JobRow
        {
            Id = job.Key,
            Kind = job.Kind == JobKind.Timer ? JobKinds.Timer : JobKinds.ServiceTask,
            Type = job.Type,
            InstanceKey = job.InstanceKey,
            ElementInstanceKey = job.ElementInstanceKey,
            Payload = JsonSerializer.Serialize(new EngineJobPayload
            {
                ElementId = job.ElementId,
                ProcessId = job.ProcessId,
                SubscriptionKey = job.SubscriptionKey,
                Headers = job.Headers.Count == 0 ? null : job.Headers,
            }, PersistenceJson.Default.EngineJobPayload),
            DueAt = job.DueAt,
            MaxAttempts = job.Kind == JobKind.Timer ? 0 : Math.Max(1, job.Retries),
            CreatedAt = job.CreatedAt,
        };

    public static JobRecord ToRecord(JobRow row)
    {
        var payload = row.Payload is null ? new EngineJobPayload() : JsonSerializer.Deserialize(row.Payload, PersistenceJson.Default.EngineJobPayload) ?? new EngineJobPayload();
        return new JobRecord
        {
            Key = row.Id,
            Kind = row.Kind == JobKinds.Timer ? JobKind.Timer : JobKind.Task,
            Type = row.Type,
            InstanceKey = row.InstanceKey ?? 0,
            ElementInstanceKey = row.ElementInstanceKey ?? 0,
            ElementId = payload.ElementId,
            ProcessId = payload.ProcessId,
            SubscriptionKey = payload.SubscriptionKey,
            DueAt = row.DueAt ?? DateTimeOffset.MinValue,
            CreatedAt = row.CreatedAt,
            Retries = row.MaxAttempts,
            Headers = payload.Headers ?? new Dictionary<string, string>(),
        };
    }
}
