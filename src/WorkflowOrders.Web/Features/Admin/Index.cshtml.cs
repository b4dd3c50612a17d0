using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Web.People;

namespace WorkflowOrders.Web.Features.Admin;

/// <summary>Users with their department, roles and status (admin role only: folder convention in WebUiHosting).</summary>
public sealed class IndexModel(PeopleDbContext db) : PageModel
{
    public IReadOnlyList<UserRow> Users { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var culture = System.Globalization.CultureInfo.CurrentUICulture.Name;
        var departments = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Key);
        var roleNames = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name ?? "");
        var memberships = await db.UserRoles.AsNoTracking().ToListAsync();
        var users = await db.Users.AsNoTracking().ToListAsync();
        Users = [.. users
            .OrderBy(u => u.DepartmentKey ?? "~", StringComparer.Ordinal)
            .ThenBy(u => u.UserName, StringComparer.Ordinal)
            .Select(u => new UserRow(
                u,
                u.DepartmentKey is { } key && departments.TryGetValue(key, out var department) ? department.NameFor(culture) : null,
                departments.Values.Any(d => d.ManagerUserId == u.Id),
                [.. memberships.Where(m => m.UserId == u.Id).Select(m => roleNames.GetValueOrDefault(m.RoleId, "")).OrderBy(r => Roles.All.ToList().FindIndex(x => x.Key == r))]))];
    }

    public sealed record UserRow(AppUser User, string? Department, bool IsManager, IReadOnlyList<string> Roles);
}
