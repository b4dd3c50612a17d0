using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Overdue;

/// <summary>
/// Open tasks past their due date in the viewer's area, most overdue first, with the escalation level reached. The GM,
/// directors and administrators see all; a department manager sees the tasks held by people of the departments they
/// manage, and unclaimed tasks offered to roles those people hold (docs/email.md).
/// </summary>
[Authorize(Policy = Policies.Manager)]
public sealed class IndexModel(WorkflowDbContextFactory contexts, PeopleDbContext people, UserManager<AppUser> users, ICalendarProvider calendars, TimeProvider time) : PageModel
{
    public const int Limit = 500;

    public sealed record Row(long TaskKey, string Name, string? OrderNo, DateTimeOffset Due, string OverdueBy, string Holder, int Level);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public bool SeesAll { get; private set; }

    public async Task OnGetAsync()
    {
        var now = time.GetUtcNow();
        SeesAll = User.IsInRole(Roles.Gm) || User.IsInRole(Roles.Director) || User.IsInRole(Roles.Admin);
        await using var db = contexts.CreateDbContext();
        var query = db.UserTasks.AsNoTracking().Where(t => t.State == UserTaskState.Created && t.DueDate != null && t.DueDate < now);
        if (!SeesAll)
        {
            var (members, roles) = await AreaAsync();
            query = query.Where(t => (t.Assignee != null && members.Contains(t.Assignee))
                || (t.Assignee == null && db.UserTaskCandidates.Any(c => c.TaskKey == t.Key && ((c.Kind == CandidateKinds.Group && roles.Contains(c.Value)) || (c.Kind == CandidateKinds.User && members.Contains(c.Value))))));
        }

        var tasks = await query.OrderBy(t => t.DueDate).Take(Limit).ToListAsync();
        var elementKeys = tasks.Select(t => t.ElementInstanceKey).ToList();
        var levels = await db.AuditEvents.AsNoTracking()
            .Where(a => a.Kind == "escalation" && a.ElementInstanceKey != null && elementKeys.Contains(a.ElementInstanceKey.Value))
            .GroupBy(a => a.ElementInstanceKey!.Value)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count);
        var calendar = calendars.Find("cn");
        var culture = System.Globalization.CultureInfo.CurrentUICulture.Name;
        Rows = tasks.Select(t =>
        {
            var due = t.DueDate!.Value;
            var overdue = calendar is null
                ? WorkingTimeText.Format(now - due, TimeSpan.FromHours(24), culture)
                : WorkingTimeText.Format(calendar.WorkingTimeBetween(due, now), calendar, culture);
            var holder = t.Assignee ?? string.Join(", ", Read(t.CandidateGroups).Concat(Read(t.CandidateUsers)));
            return new Row(t.Key, t.Name ?? t.ElementId, t.BusinessKey, due, overdue, holder, levels.GetValueOrDefault(t.ElementInstanceKey));
        }).ToList();
    }

    private async Task<(List<string> Members, List<string> Roles)> AreaAsync()
    {
        var me = await users.GetUserAsync(User);
        var departments = me is null ? [] : await people.Departments.Where(d => d.ManagerUserId == me.Id).Select(d => d.Key).ToListAsync();
        var members = await people.Users.Where(u => u.DepartmentKey != null && departments.Contains(u.DepartmentKey)).ToListAsync();
        var ids = members.Select(u => u.Id).ToList();
        var roles = await (from link in people.UserRoles
                           join role in people.Roles on link.RoleId equals role.Id
                           where ids.Contains(link.UserId)
                           select role.Name!).Distinct().ToListAsync();
        var oversight = new[] { Roles.DeptManager, Roles.Director, Roles.Gm, Roles.Admin, Roles.ProcessOwner };
        return (members.Select(u => u.UserName!).ToList(), roles.Where(r => !oversight.Contains(r)).ToList());
    }

    // The store keeps candidates comma-separated (EfWorkflowStore).
    private static string[] Read(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
