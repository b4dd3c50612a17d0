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

    private static MailRecipient ToRecipient(AppUser user) =>
        new(user.UserName ?? "", user.DisplayName, user.Email!, user.PreferredLanguage, user.DepartmentKey);
}
