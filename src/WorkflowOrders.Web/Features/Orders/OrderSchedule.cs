using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;

namespace WorkflowOrders.Web.Features.Orders;

/// <summary>A timer one of the order's procedures waits for (inspection notice, progress check, a follow-up …).</summary>
public sealed record ScheduledTimer(long InstanceKey, string ProcessId, string ElementId, string Name, DateTimeOffset DueAt);

/// <summary>
/// The timers of an order's running procedures, soonest first, named as in the definition (Chinese, or its
/// <c>name.en</c>): the order page shows when the inspection notice goes out, and that it follows a changed delivery date.
/// </summary>
public sealed class OrderSchedule(IDbContextFactory<WorkflowDbContext> contexts, WorkflowRuntime runtime)
{
    public async Task<IReadOnlyList<ScheduledTimer>> TimersAsync(IReadOnlyList<ProcessInstanceRow> instances, string culture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var running = instances.Where(i => i.State == ProcessInstanceState.Active).ToDictionary(i => i.Key);
        if (running.Count == 0)
        {
            return [];
        }

        var keys = running.Keys.ToList();
        List<JobRow> jobs;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs = await db.Jobs.AsNoTracking()
                .Where(j => j.Kind == JobKinds.Timer && j.InstanceKey != null && keys.Contains(j.InstanceKey.Value) && j.DueAt != null)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        var models = new Dictionary<long, ProcessModel?>();
        var chinese = culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        var result = new List<ScheduledTimer>();
        foreach (var job in jobs)
        {
            var instance = running[job.InstanceKey!.Value];
            if (!models.TryGetValue(instance.DefinitionKey, out var model))
            {
                await using var uow = await runtime.Store.BeginAsync(cancellationToken).ConfigureAwait(false);
                model = (await uow.FindDefinitionAsync(instance.DefinitionKey).ConfigureAwait(false))?.Model;
                models[instance.DefinitionKey] = model;
            }

            var elementId = ElementIdOf(job);
            var name = model is not null && model.NodesById.TryGetValue(elementId, out var node)
                ? (!chinese && node.Properties.TryGetValue("name.en", out var english) && english.Length > 0 ? english : node.Name ?? elementId)
                : elementId;
            result.Add(new ScheduledTimer(instance.Key, instance.BpmnProcessId, elementId, name, job.DueAt!.Value));
        }

        return [.. result.OrderBy(t => t.DueAt).ThenBy(t => t.ElementId, StringComparer.Ordinal)];
    }

    /// <summary>The timer's element id from the engine's job payload (<c>elementId</c>), else the job's type.</summary>
    private static string ElementIdOf(JobRow job)
    {
        if (job.Payload is { Length: > 0 } payload && JsonNode.Parse(payload) is JsonObject o && o["elementId"] is JsonValue id && id.ToString().Length > 0)
        {
            return id.ToString();
        }

        return job.Type;
    }
}
