using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Email;

namespace WorkflowOrders.Web.People;

/// <summary>The email code's view of the people model: active users with an email address, in their preferred language.</summary>
public sealed class PeopleMailDirectory(IServiceScopeFactory scopes) : IMailDirectory
{
    public async Task<IReadOnlyList<MailRecipient>> UsersInRolesAsync(IReadOnlyCollection<string> roles, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PeopleDbContext>();
        var users = await (
                from user in db.Users
                join link in db.UserRoles on user.Id equals link.UserId
                join role in db.Roles on link.RoleId equals role.Id
                where roles.Contains(role.Name!) && user.DeactivatedAt == null && user.Email != null
                select user)
            .Distinct()
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return users.OrderBy(u => u.UserName, StringComparer.Ordinal).Select(ToRecipient).ToList();
    }

    public async Task<MailRecipient?> UserAsync(string userName, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PeopleDbContext>();
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken).ConfigureAwait(false);
        return user is { IsActive: true, Email: not null } ? ToRecipient(user) : null;
    }

    public async Task<MailRecipient?> ManagerOfDepartmentAsync(string departmentKey, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PeopleDbContext>();
        var managerId = await db.Departments.Where(d => d.Key == departmentKey).Select(d => d.ManagerUserId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (managerId is null)
        {
            return null;
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == managerId, cancellationToken).ConfigureAwait(false);
        return user is { IsActive: true, Email: not null } ? ToRecipient(user) : null;
    }

    public async Task<string?> DepartmentOfRoleAsync(string role, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PeopleDbContext>();
        var departments = await (
                from user in db.Users
                join link in db.UserRoles on user.Id equals link.UserId
                join r in db.Roles on link.RoleId equals r.Id
                where r.Name == role && user.DeactivatedAt == null && user.DepartmentKey != null
                select user.DepartmentKey!)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return departments.GroupBy(d => d, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault();
    }

    private static MailRecipient ToRecipient(AppUser user) =>
        new(user.UserName ?? "", user.DisplayName, user.Email!, user.PreferredLanguage, user.DepartmentKey);
}
