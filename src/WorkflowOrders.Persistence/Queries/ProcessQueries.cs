using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence.Entities;

namespace WorkflowOrders.Persistence.Queries;

public sealed class ProcessInstanceFilter
{
    public NumberFilter? ProcessInstanceKey { get; init; }
    public StringFilter? ProcessDefinitionId { get; init; }
    public StringFilter? ProcessDefinitionName { get; init; }
    public NumberFilter? ProcessDefinitionVersion { get; init; }
    public NumberFilter? ProcessDefinitionKey { get; init; }
    public DateFilter? StartDate { get; init; }
    public DateFilter? EndDate { get; init; }
    public StringFilter? State { get; init; }
    public bool? HasIncident { get; init; }
    public StringFilter? TenantId { get; init; }
    public NumberFilter? ParentProcessInstanceKey { get; init; }
    public NumberFilter? ParentElementInstanceKey { get; init; }

    /// <summary>Alternatives (Camunda's <c>$or</c>): a row matches when it matches this filter and one of them.</summary>
    public IReadOnlyList<ProcessInstanceFilter>? Or { get; init; }
}

public sealed class ProcessDefinitionFilter
{
    public NumberFilter? ProcessDefinitionKey { get; init; }
    public StringFilter? ProcessDefinitionId { get; init; }
    public StringFilter? Name { get; init; }
    public StringFilter? ResourceName { get; init; }
    public NumberFilter? Version { get; init; }
    public StringFilter? VersionTag { get; init; }
    public StringFilter? TenantId { get; init; }
    public bool? HasStartForm { get; init; }
    public bool? IsLatestVersion { get; init; }
}

/// <summary>A process instance row with the name of its definition (joined, not looked up per row).</summary>
public sealed record ProcessInstanceView(ProcessInstanceRow Instance, string? DefinitionName);

/// <summary>Searches over process instances and process definitions.</summary>
public sealed class ProcessQueries(WorkflowDbContextFactory contexts)
{
    private static readonly SortKey<ProcessInstanceRow> InstanceByKey = SortKey.Of("processInstanceKey", (ProcessInstanceRow i) => i.Key);

    private static readonly Dictionary<string, SortKey<ProcessInstanceRow>> InstanceSortable = new[]
    {
        InstanceByKey,
        SortKey.Of("processDefinitionId", (ProcessInstanceRow i) => i.BpmnProcessId),
        SortKey.Of("processDefinitionVersion", (ProcessInstanceRow i) => i.DefinitionVersion),
        SortKey.Of("processDefinitionKey", (ProcessInstanceRow i) => i.DefinitionKey),
        SortKey.Of("startDate", (ProcessInstanceRow i) => i.StartedAt),
        SortKey.Of("endDate", (ProcessInstanceRow i) => i.EndedAt),
        SortKey.Of("parentProcessInstanceKey", (ProcessInstanceRow i) => i.ParentInstanceKey),
        SortKey.Of("parentElementInstanceKey", (ProcessInstanceRow i) => i.ParentElementInstanceKey),
    }.ToDictionary(k => k.Name, StringComparer.Ordinal);

    private static readonly SortKey<ProcessDefinitionRow> DefinitionByKey = SortKey.Of("processDefinitionKey", (ProcessDefinitionRow d) => d.Key);

    private static readonly Dictionary<string, SortKey<ProcessDefinitionRow>> DefinitionSortable = new[]
    {
        DefinitionByKey,
        SortKey.Of("name", (ProcessDefinitionRow d) => d.Name),
        SortKey.Of("resourceName", (ProcessDefinitionRow d) => d.ResourceName),
        SortKey.Of("version", (ProcessDefinitionRow d) => d.Version),
        SortKey.Of("processDefinitionId", (ProcessDefinitionRow d) => d.BpmnProcessId),
    }.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>Sort fields with one value for every row here (tenant, tags, version tag): accepted, change nothing.</summary>
    private static readonly string[] ConstantSortFields = ["tenantId", "versionTag", "processDefinitionVersionTag", "processDefinitionName", "state", "hasIncident"];

    public async Task<SearchPage<ProcessInstanceView>> SearchInstancesAsync(ProcessInstanceFilter filter, TaskVisibility? visibility, IReadOnlyList<SortOrder> sort, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(sort);
        var db = contexts.CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            var query = db.ProcessInstances.AsNoTracking();
            if (visibility is not null)
            {
                query = VisibleTo(db, query, visibility);
            }

            query = ApplyInstanceFilter(db, query, filter);
            if (filter.Or is { Count: > 0 } alternatives)
            {
                var keys = alternatives.Select(a => ApplyInstanceFilter(db, db.ProcessInstances, a).Select(i => i.Key)).Aggregate(Queryable.Union);
                query = query.Where(i => keys.Contains(i.Key));
            }

            var result = await Keyset.PageAsync(query, InstanceSortable, [.. sort.Where(s => !ConstantSortFields.Contains(s.Field))], InstanceByKey, page, db.IsSqlite, cancellationToken).ConfigureAwait(false);
            var names = await DefinitionNamesAsync(db, result.Items.Select(i => i.DefinitionKey), cancellationToken).ConfigureAwait(false);
            return new SearchPage<ProcessInstanceView>(
                [.. result.Items.Select(i => new ProcessInstanceView(i, names.GetValueOrDefault(i.DefinitionKey)))],
                result.TotalItems, result.StartCursor, result.EndCursor);
        }
    }

    /// <summary>Instances in which the caller has (or had) a task they may see.</summary>
    public static IQueryable<ProcessInstanceRow> VisibleTo(WorkflowDbContext db, IQueryable<ProcessInstanceRow> query, TaskVisibility visibility)
    {
        ArgumentNullException.ThrowIfNull(db);
        var instances = UserTaskQueries.VisibleTo(db, db.UserTasks, visibility).Select(t => t.InstanceKey);
        return query.Where(i => instances.Contains(i.Key));
    }

    private static IQueryable<ProcessInstanceRow> ApplyInstanceFilter(WorkflowDbContext db, IQueryable<ProcessInstanceRow> query, ProcessInstanceFilter filter)
    {
        if (filter.TenantId is not null && !filter.TenantId.Matches(UserTaskQueries.DefaultTenant))
        {
            return query.Where(_ => false);
        }

        if (filter.State is not null)
        {
            var states = Enum.GetValues<ProcessInstanceState>().Where(s => filter.State.Matches(s.ToString().ToUpperInvariant())).ToList();
            query = states.Count switch
            {
                0 => query.Where(_ => false),
                1 => query.Where(i => i.State == states[0]),
                2 => query.Where(i => i.State == states[0] || i.State == states[1]),
                _ => query,
            };
        }

        if (filter.HasIncident is { } hasIncident)
        {
            query = query.Where(i => i.HasIncident == hasIncident);
        }

        if (filter.ProcessDefinitionName is not null)
        {
            var named = db.ProcessDefinitions.Filter(d => d.Name, filter.ProcessDefinitionName).Select(d => d.Key);
            query = query.Where(i => named.Contains(i.DefinitionKey));
        }

        return query
            .Filter(i => i.Key, filter.ProcessInstanceKey)
            .Filter(i => i.BpmnProcessId, filter.ProcessDefinitionId)
            .Filter(i => i.DefinitionVersion, filter.ProcessDefinitionVersion)
            .Filter(i => i.DefinitionKey, filter.ProcessDefinitionKey)
            .Filter(i => i.StartedAt, filter.StartDate)
            .Filter(i => i.EndedAt, filter.EndDate)
            .Filter(i => i.ParentInstanceKey, filter.ParentProcessInstanceKey)
            .Filter(i => i.ParentElementInstanceKey, filter.ParentElementInstanceKey);
    }

    public async Task<ProcessInstanceView?> FindInstanceAsync(long key, CancellationToken cancellationToken = default)
    {
        var db = contexts.CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            var row = await db.ProcessInstances.AsNoTracking().FirstOrDefaultAsync(i => i.Key == key, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }

            var name = await db.ProcessDefinitions.Where(d => d.Key == row.DefinitionKey).Select(d => d.Name).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return new ProcessInstanceView(row, name);
        }
    }

    /// <summary>Whether the caller may see the instance (has or had a task in it they may see).</summary>
    public async Task<bool> IsVisibleAsync(long instanceKey, TaskVisibility visibility, CancellationToken cancellationToken = default)
    {
        var db = contexts.CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            return await UserTaskQueries.VisibleTo(db, db.UserTasks, visibility).AnyAsync(t => t.InstanceKey == instanceKey, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<SearchPage<ProcessDefinitionRow>> SearchDefinitionsAsync(ProcessDefinitionFilter filter, IReadOnlyList<SortOrder> sort, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(sort);
        var db = contexts.CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            var query = db.ProcessDefinitions.AsNoTracking();
            var constant = (filter.TenantId is not null && !filter.TenantId.Matches(UserTaskQueries.DefaultTenant))
                || (filter.VersionTag is not null && !filter.VersionTag.Matches(null))
                || filter.HasStartForm == true;
            if (constant)
            {
                query = query.Where(_ => false);
            }

            if (filter.IsLatestVersion is { } latest)
            {
                query = latest
                    ? query.Where(d => d.Version == db.ProcessDefinitions.Where(o => o.BpmnProcessId == d.BpmnProcessId).Max(o => o.Version))
                    : query.Where(d => d.Version != db.ProcessDefinitions.Where(o => o.BpmnProcessId == d.BpmnProcessId).Max(o => o.Version));
            }

            query = query
                .Filter(d => d.Key, filter.ProcessDefinitionKey)
                .Filter(d => d.BpmnProcessId, filter.ProcessDefinitionId)
                .Filter(d => d.Name, filter.Name)
                .Filter(d => d.ResourceName, filter.ResourceName)
                .Filter(d => d.Version, filter.Version);
            return await Keyset.PageAsync(query, DefinitionSortable, [.. sort.Where(s => !ConstantSortFields.Contains(s.Field))], DefinitionByKey, page, db.IsSqlite, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<ProcessDefinitionRow?> FindDefinitionAsync(long key, CancellationToken cancellationToken = default)
    {
        var db = contexts.CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            return await db.ProcessDefinitions.AsNoTracking().FirstOrDefaultAsync(d => d.Key == key, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Names of the given definitions (one query for a page of rows).</summary>
    public async Task<IReadOnlyDictionary<long, string?>> DefinitionNamesAsync(IEnumerable<long> definitionKeys, CancellationToken cancellationToken = default)
    {
        var db = contexts.CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            return await DefinitionNamesAsync(db, definitionKeys, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyDictionary<long, string?>> DefinitionNamesAsync(WorkflowDbContext db, IEnumerable<long> definitionKeys, CancellationToken cancellationToken)
    {
        var keys = definitionKeys.Distinct().ToArray();
        if (keys.Length == 0)
        {
            return new Dictionary<long, string?>();
        }

        return await db.ProcessDefinitions.AsNoTracking().Where(d => keys.Contains(d.Key))
            .ToDictionaryAsync(d => d.Key, d => d.Name, cancellationToken).ConfigureAwait(false);
    }
}
