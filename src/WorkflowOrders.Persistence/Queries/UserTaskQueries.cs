using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence.Entities;

namespace WorkflowOrders.Persistence.Queries;

/// <summary>The user-task search's filter (camunda-rest-v2.md §4); plain values arrive as <c>Eq</c>.</summary>
public sealed class UserTaskFilter
{
    public NumberFilter? UserTaskKey { get; init; }
    public StringFilter? ElementId { get; init; }
    public NumberFilter? ElementInstanceKey { get; init; }
    public StringFilter? Name { get; init; }
    public StringFilter? ProcessDefinitionId { get; init; }
    public NumberFilter? ProcessDefinitionKey { get; init; }
    public NumberFilter? ProcessInstanceKey { get; init; }
    public StringFilter? State { get; init; }
    public StringFilter? Assignee { get; init; }
    public StringFilter? CandidateGroup { get; init; }
    public StringFilter? CandidateUser { get; init; }
    public NumberFilter? Priority { get; init; }
    public StringFilter? TenantId { get; init; }
    public DateFilter? CreationDate { get; init; }
    public DateFilter? CompletionDate { get; init; }
    public DateFilter? DueDate { get; init; }
    public DateFilter? FollowUpDate { get; init; }
}

/// <summary>
/// Searches over user_tasks for the inbox and the REST API. "Tasks I may see" is the assignee column or a key
/// from user_task_candidates (index kind, value, task_key) — one SQL statement for the page and one for the count,
/// whatever the page size.
/// </summary>
public sealed class UserTaskQueries(WorkflowDbContextFactory contexts)
{
    public const string DefaultTenant = "<default>";

    private static readonly SortKey<UserTaskRow> ByKey = SortKey.Of("userTaskKey", (UserTaskRow t) => t.Key);

    private static readonly Dictionary<string, SortKey<UserTaskRow>> Sortable = new[]
    {
        SortKey.Of("creationDate", (UserTaskRow t) => t.CreatedAt),
        SortKey.Of("completionDate", (UserTaskRow t) => t.CompletedAt),
        SortKey.Of("followUpDate", (UserTaskRow t) => t.FollowUpDate),
        SortKey.Of("dueDate", (UserTaskRow t) => t.DueDate),
        SortKey.Of("priority", (UserTaskRow t) => t.Priority),
        SortKey.Of("name", (UserTaskRow t) => t.Name),
    }.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> SortFields => Sortable.Keys;

    /// <summary>
    /// Counting stops here and the page says there are more (Camunda's <c>hasMoreTotalItems</c>; its Elasticsearch
    /// backend caps at 10,000). PostgreSQL finds the first page by walking ix_user_tasks_state_due_date and probing a
    /// hash of the user's offered task keys, so the page costs a few hundred rows; an exact count of a large inbox
    /// would read every visible task (bench/run.sh inbox: ~70 ms for 12,000 of 100,000), a capped one stops early.
    /// </summary>
    public static int TotalCap { get; set; } = 1_000;

    public async Task<SearchPage<UserTaskRow>> SearchAsync(UserTaskFilter filter, TaskVisibility? visibility, IReadOnlyList<SortOrder> sort, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var db = contexts.CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            var query = Filtered(db, filter, visibility);
            return await Keyset.PageAsync(query, Sortable, sort, ByKey, page, db.IsSqlite, cancellationToken, TotalCap).ConfigureAwait(false);
        }
    }

    /// <summary>The filtered task rows, untracked; for callers that shape their own page (the inbox).</summary>
    public static IQueryable<UserTaskRow> Filtered(WorkflowDbContext db, UserTaskFilter filter, TaskVisibility? visibility)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.UserTasks.AsNoTracking();
        if (visibility is not null)
        {
            query = VisibleTo(db, query, visibility);
        }

        if (filter.TenantId is not null && !filter.TenantId.Matches(DefaultTenant))
        {
            return query.Where(_ => false);
        }

        if (filter.State is not null)
        {
            query = query.Where(StateIn(filter.State));
        }

        query = query
            .Filter(t => t.Key, filter.UserTaskKey)
            .Filter(t => t.ElementId, filter.ElementId)
            .Filter(t => t.ElementInstanceKey, filter.ElementInstanceKey)
            .Filter(t => t.Name, filter.Name)
            .Filter(t => t.BpmnProcessId, filter.ProcessDefinitionId)
            .Filter(t => t.DefinitionKey, filter.ProcessDefinitionKey)
            .Filter(t => t.InstanceKey, filter.ProcessInstanceKey)
            .Filter(t => t.Assignee, filter.Assignee)
            .Filter(t => t.Priority, filter.Priority)
            .Filter(t => t.CreatedAt, filter.CreationDate)
            .Filter(t => t.CompletedAt, filter.CompletionDate)
            .Filter(t => t.DueDate, filter.DueDate)
            .Filter(t => t.FollowUpDate, filter.FollowUpDate);
        query = Candidates(db, query, CandidateKinds.Group, filter.CandidateGroup);
        return Candidates(db, query, CandidateKinds.User, filter.CandidateUser);
    }

    /// <summary>Assigned to (or completed by) the user, or offered to the user or one of the user's groups.</summary>
    public static IQueryable<UserTaskRow> VisibleTo(WorkflowDbContext db, IQueryable<UserTaskRow> query, TaskVisibility visibility)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(visibility);
        var user = visibility.UserName;
        var groups = visibility.Groups.ToArray();
        // Two subqueries, not one with OR: each is an index-only scan of (kind, value, task_key), no heap reads.
        var offeredToGroups = db.UserTaskCandidates.Where(c => c.Kind == CandidateKinds.Group && groups.Contains(c.Value)).Select(c => c.TaskKey);
        var offeredToUser = db.UserTaskCandidates.Where(c => c.Kind == CandidateKinds.User && c.Value == user).Select(c => c.TaskKey);
        return query.Where(t => t.Assignee == user || t.CompletedBy == user || offeredToGroups.Contains(t.Key) || offeredToUser.Contains(t.Key));
    }

    private static IQueryable<UserTaskRow> Candidates(WorkflowDbContext db, IQueryable<UserTaskRow> query, string kind, StringFilter? filter)
    {
        if (filter is null)
        {
            return query;
        }

        IQueryable<long> Keys(StringFilter f) => db.UserTaskCandidates.Where(c => c.Kind == kind).Filter(c => c.Value, f).Select(c => c.TaskKey);

        if (filter.Eq is not null || filter.In is not null || filter.Like is not null)
        {
            var keys = Keys(new StringFilter { Eq = filter.Eq, In = filter.In, Like = filter.Like });
            query = query.Where(t => keys.Contains(t.Key));
        }

        if (filter.Neq is not null)
        {
            var keys = Keys(StringFilter.Equal(filter.Neq));
            query = query.Where(t => !keys.Contains(t.Key));
        }

        if (filter.NotIn is not null)
        {
            var keys = Keys(new StringFilter { In = filter.NotIn });
            query = query.Where(t => !keys.Contains(t.Key));
        }

        if (filter.Exists is { } exists)
        {
            var keys = Keys(new StringFilter());
            query = exists ? query.Where(t => keys.Contains(t.Key)) : query.Where(t => !keys.Contains(t.Key));
        }

        return query;
    }

    /// <summary>The states the filter admits, as equalities (states outside this engine's three match nothing).</summary>
    private static Expression<Func<UserTaskRow, bool>> StateIn(StringFilter filter)
    {
        var states = Enum.GetValues<UserTaskState>().Where(s => filter.Matches(s.ToString().ToUpperInvariant())).ToList();
        var row = Expression.Parameter(typeof(UserTaskRow), "t");
        var column = Expression.Property(row, nameof(UserTaskRow.State));
        Expression body = Expression.Constant(false);
        foreach (var state in states)
        {
            var equal = Expression.Equal(column, QueryExpressions.Param(state));
            body = body is ConstantExpression ? equal : Expression.OrElse(body, equal);
        }

        return Expression.Lambda<Func<UserTaskRow, bool>>(body, row);
    }

    public async Task<UserTaskRow?> FindAsync(long key, CancellationToken cancellationToken = default)
    {
        var db = contexts.CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            return await db.UserTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The form a task shows: the newest version of its form id deployed before the task was created (else the newest).</summary>
    public async Task<FormRow?> FindFormAsync(UserTaskRow task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.FormId is null)
        {
            return null;
        }

        var db = contexts.CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            var forms = db.Forms.AsNoTracking().Where(f => f.FormId == task.FormId);
            if (task.FormKey is { } formKey)
            {
                return await forms.FirstOrDefaultAsync(f => f.Key == formKey, cancellationToken).ConfigureAwait(false);
            }

            return await forms.Where(f => f.DeployedAt <= task.CreatedAt).OrderByDescending(f => f.Version).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
                ?? await forms.OrderByDescending(f => f.Version).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The newest form key of each form id, for a page of tasks (one query).</summary>
    public async Task<IReadOnlyDictionary<string, long>> FormKeysAsync(IEnumerable<string?> formIds, CancellationToken cancellationToken = default)
    {
        var ids = formIds.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return new Dictionary<string, long>();
        }

        var db = contexts.CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            var rows = await db.Forms.AsNoTracking().Where(f => ids.Contains(f.FormId))
                .Select(f => new { f.FormId, f.Version, f.Key }).ToListAsync(cancellationToken).ConfigureAwait(false);
            return rows.GroupBy(r => r.FormId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Version)!.Key, StringComparer.Ordinal);
        }
    }
}
