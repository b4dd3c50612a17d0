using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.Features.Work;
using WorkflowOrders.Web.Localization;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Inbox;

/// <summary>
/// The inbox's lists. "Mine": open tasks assigned to the user (index user_tasks (state, assignee, due_date)).
/// "My groups": open tasks offered to the user by name or to one of their roles (index user_task_candidates
/// (kind, value, task_key)), assigned or not — unassigned ones can be claimed.
/// </summary>
public sealed class InboxQuery(IDbContextFactory<WorkflowDbContext> contexts, DueCalculator due, InstanceFacts facts, PeopleNames people)
{
    public const int PageSize = 25;

    public async Task<InboxPage> RunAsync(ClaimsPrincipal user, InboxFilter filter, string culture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(filter);
        var view = InboxViews.Normalize(filter.View);
        var zone = InstantFormatter.FindZone(user.TimeZoneOf());
        var name = user.UserName();
        var roles = user.RoleKeys().ToList();

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var open = db.UserTasks.AsNoTracking().Where(t => t.State == UserTaskState.Created);
        var mine = open.Where(t => t.Assignee == name);
        var groups = open.Where(t => db.UserTaskCandidates.Any(c => c.TaskKey == t.Key
            && ((c.Kind == CandidateKinds.User && c.Value == name) || (c.Kind == CandidateKinds.Group && roles.Contains(c.Value)))));

        var query = view == InboxViews.Groups ? groups : mine;
        if (!string.IsNullOrWhiteSpace(filter.Process))
        {
            query = query.Where(t => t.BpmnProcessId == filter.Process);
        }

        if (!string.IsNullOrWhiteSpace(filter.Order))
        {
            var order = filter.Order.Trim();
            query = query.Where(t => t.BusinessKey != null && t.BusinessKey.StartsWith(order));
        }

        var now = due.Now;
        if (filter.Overdue && filter.DueToday)
        {
            var endOfToday = due.EndOfToday(zone);
            query = query.Where(t => t.DueDate != null && t.DueDate < endOfToday);
        }
        else if (filter.Overdue)
        {
            query = query.Where(t => t.DueDate != null && t.DueDate <= now);
        }
        else if (filter.DueToday)
        {
            var endOfToday = due.EndOfToday(zone);
            query = query.Where(t => t.DueDate != null && t.DueDate > now && t.DueDate < endOfToday);
        }

        var total = await query.CountAsync(cancellationToken).ConfigureAwait(false);
        var pageCount = Math.Max(1, (total + PageSize - 1) / PageSize);
        var page = Math.Clamp(filter.Page, 1, pageCount);

        // Tasks without a deadline go last in both directions; the key keeps paging stable.
        var ordered = filter.Descending
            ? query.OrderBy(t => t.DueDate == null).ThenByDescending(t => t.DueDate).ThenByDescending(t => t.Key)
            : query.OrderBy(t => t.DueDate == null).ThenBy(t => t.DueDate).ThenBy(t => t.Key);
        var rows = await ordered.Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken).ConfigureAwait(false);

        var mineCount = view == InboxViews.Mine && !filter.IsFiltered ? total : await mine.CountAsync(cancellationToken).ConfigureAwait(false);
        var groupsCount = view == InboxViews.Groups && !filter.IsFiltered ? total : await groups.CountAsync(cancellationToken).ConfigureAwait(false);

        var latestDefinitions = await db.ProcessDefinitions.AsNoTracking()
            .GroupBy(d => d.BpmnProcessId)
            .Select(g => g.OrderByDescending(d => d.Version).Select(d => new { d.BpmnProcessId, d.Key }).First())
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        var calendars = await facts.CalendarsAsync([.. rows.Select(r => r.InstanceKey).Distinct()], cancellationToken).ConfigureAwait(false);
        var processNames = await facts.ProcessNamesAsync(rows.Select(r => r.DefinitionKey).Concat(latestDefinitions.Select(d => d.Key)), culture, cancellationToken).ConfigureAwait(false);
        var names = await people.ResolveAsync(rows.Select(r => r.Assignee), cancellationToken).ConfigureAwait(false);

        var isAdmin = AccessPolicy.IsAdmin(user);
        var list = rows.Select(row =>
        {
            var record = EfWorkflowStoreRows.ToRecord(row);
            var isMine = row.Assignee == name;
            return new InboxRow(
                row.Key,
                InstanceFacts.TaskName(row.Name, record.Properties, row.ElementId, culture),
                processNames.GetValueOrDefault(row.DefinitionKey, row.BpmnProcessId),
                row.BusinessKey,
                row.InstanceKey,
                row.Assignee,
                row.Assignee is null ? null : names.GetValueOrDefault(row.Assignee, row.Assignee),
                [.. record.CandidateGroups.Select(g => Roles.DisplayName(g, culture))],
                due.Describe(row.DueDate, calendars.GetValueOrDefault(row.InstanceKey), zone, culture),
                row.CreatedAt,
                row.Priority,
                isMine,
                CanClaim: row.Assignee is null && AccessPolicy.CanClaimTask(user, row).Allowed,
                CanUnclaim: isMine || (row.Assignee is not null && isAdmin),
                CanHandOver: isMine || (row.Assignee is not null && isAdmin));
        }).ToList();

        var processes = latestDefinitions
            .Select(d => new ProcessOption(d.BpmnProcessId, processNames.GetValueOrDefault(d.Key, d.BpmnProcessId)))
            .OrderBy(p => p.Name, StringComparer.CurrentCulture)
            .ToList();
        return new InboxPage(filter, view, list, total, page, PageSize, mineCount, groupsCount, processes);
    }
}
