using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence.Entities;

namespace WorkflowOrders.Persistence.Queries;

/// <summary>The incident search's filter (camunda-rest-v2.md §6).</summary>
public sealed class IncidentFilter
{
    public NumberFilter? IncidentKey { get; init; }
    public StringFilter? ProcessDefinitionId { get; init; }
    public NumberFilter? ProcessDefinitionKey { get; init; }
    public NumberFilter? ProcessInstanceKey { get; init; }
    public StringFilter? ErrorType { get; init; }
    public StringFilter? ErrorMessage { get; init; }
    public StringFilter? ElementId { get; init; }
    public NumberFilter? ElementInstanceKey { get; init; }
    public DateFilter? CreationTime { get; init; }
    public StringFilter? State { get; init; }
    public NumberFilter? JobKey { get; init; }
    public StringFilter? TenantId { get; init; }
}

/// <summary>An incident row with its instance's definition key (incidents do not store it).</summary>
public sealed record IncidentView(IncidentRow Incident, long? ProcessDefinitionKey);

public sealed class IncidentQueries(WorkflowDbContextFactory contexts)
{
    private static readonly SortKey<IncidentRow> ByKey = SortKey.Of("incidentKey", (IncidentRow i) => i.Key);

    private static readonly Dictionary<string, SortKey<IncidentRow>> Sortable = new[]
    {
        ByKey,
        SortKey.Of("processDefinitionId", (IncidentRow i) => i.BpmnProcessId),
        SortKey.Of("processInstanceKey", (IncidentRow i) => i.InstanceKey),
        SortKey.Of("errorType", (IncidentRow i) => i.ErrorType),
        SortKey.Of("errorMessage", (IncidentRow i) => i.ErrorMessage),
        SortKey.Of("elementId", (IncidentRow i) => i.ElementId),
        SortKey.Of("elementInstanceKey", (IncidentRow i) => i.ElementInstanceKey),
        SortKey.Of("creationTime", (IncidentRow i) => i.CreatedAt),
        SortKey.Of("jobKey", (IncidentRow i) => i.JobId),
    }.ToDictionary(k => k.Name, StringComparer.Ordinal);

    private static readonly string[] ConstantSortFields = ["tenantId", "state", "processDefinitionKey"];

    public async Task<SearchPage<IncidentView>> SearchAsync(IncidentFilter filter, TaskVisibility? visibility, IReadOnlyList<SortOrder> sort, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(sort);
        var db = contexts.CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            var query = db.Incidents.AsNoTracking();
            if (visibility is not null)
            {
                var instances = UserTaskQueries.VisibleTo(db, db.UserTasks, visibility).Select(t => (long?)t.InstanceKey);
                query = query.Where(i => instances.Contains(i.InstanceKey));
            }

            if (filter.TenantId is not null && !filter.TenantId.Matches(UserTaskQueries.DefaultTenant))
            {
                query = query.Where(_ => false);
            }

            if (filter.State is not null)
            {
                var states = Enum.GetValues<IncidentState>().Where(s => filter.State.Matches(s.ToString().ToUpperInvariant())).ToList();
                query = states.Count switch
                {
                    0 => query.Where(_ => false),
                    1 => query.Where(i => i.State == states[0]),
                    _ => query,
                };
            }

            if (filter.ProcessDefinitionKey is not null)
            {
                var instances = db.ProcessInstances.Filter(p => p.DefinitionKey, filter.ProcessDefinitionKey).Select(p => (long?)p.Key);
                query = query.Where(i => instances.Contains(i.InstanceKey));
            }

            query = query
                .Filter(i => i.Key, filter.IncidentKey)
                .Filter(i => i.BpmnProcessId, filter.ProcessDefinitionId)
                .Filter(i => i.InstanceKey, filter.ProcessInstanceKey)
                .Filter(i => i.ErrorType, filter.ErrorType)
                .Filter(i => i.ErrorMessage, filter.ErrorMessage)
                .Filter(i => i.ElementId, filter.ElementId)
                .Filter(i => i.ElementInstanceKey, filter.ElementInstanceKey)
                .Filter(i => i.CreatedAt, filter.CreationTime)
                .Filter(i => i.JobId, filter.JobKey);
            var result = await Keyset.PageAsync(query, Sortable, [.. sort.Where(s => !ConstantSortFields.Contains(s.Field))], ByKey, page, db.IsSqlite, cancellationToken).ConfigureAwait(false);
            var instanceKeys = result.Items.Select(i => i.InstanceKey).OfType<long>().Distinct().ToArray();
            var definitions = instanceKeys.Length == 0
                ? []
                : await db.ProcessInstances.AsNoTracking().Where(p => instanceKeys.Contains(p.Key))
                    .ToDictionaryAsync(p => p.Key, p => p.DefinitionKey, cancellationToken).ConfigureAwait(false);
            return new SearchPage<IncidentView>(
                [.. result.Items.Select(i => new IncidentView(i, i.InstanceKey is { } k && definitions.TryGetValue(k, out var d) ? d : null))],
                result.TotalItems, result.StartCursor, result.EndCursor);
        }
    }

    public async Task<IncidentRow?> FindAsync(long key, CancellationToken cancellationToken = default)
    {
        var db = contexts.CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            return await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Key == key, cancellationToken).ConfigureAwait(false);
        }
    }
}
