using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkflowOrders.Web.Hosting;

namespace WorkflowOrders.Web.People;

/// <summary>
/// First-start data: the role rows always; then, once, while the users table is empty, either the demo company
/// (WorkflowOrders:DemoData) or the administrator <c>admin</c> with the password from WorkflowOrders:AdminPassword.
/// Outside demo mode no default password exists: without that setting the first start stops with an explanation.
/// </summary>
public sealed partial class PeopleSeeder(
    PeopleDbContext db,
    UserManager<AppUser> users,
    RoleManager<AppRole> roles,
    IOptions<WorkflowOrdersOptions> options,
    ILogger<PeopleSeeder> logger)
{
    public const string AdminUserName = "admin";

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role.Key).ConfigureAwait(false))
            {
                Check(await roles.CreateAsync(new AppRole(role.Key)).ConfigureAwait(false), $"role {role.Key}");
            }
        }

        if (await db.Users.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (options.Value.DemoData)
        {
            await SeedDemoCompanyAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var password = options.Value.AdminPassword;
        if (string.IsNullOrWhiteSpace(password))
        {
            throw new InvalidOperationException(
                "No users exist yet and no administrator password is configured. Set WorkflowOrders:AdminPassword " +
                "(environment: WorkflowOrders__AdminPassword) for the first start: it creates the user 'admin' with that password. " +
                "Or set WorkflowOrders:DemoData=true for the demo company.");
        }

        var admin = new AppUser { UserName = AdminUserName, DisplayName = "系统管理员", EmailConfirmed = true };
        Check(await users.CreateAsync(admin, password).ConfigureAwait(false), "the administrator");
        Check(await users.AddToRoleAsync(admin, Roles.Admin).ConfigureAwait(false), "the administrator's role");
        LogAdminCreated(AdminUserName);
    }

    private async Task SeedDemoCompanyAsync(CancellationToken cancellationToken)
    {
        foreach (var department in DemoCompany.Departments)
        {
            db.Departments.Add(new Department { Key = department.Key, NameZh = department.NameZh, NameEn = department.NameEn });
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var demo in DemoCompany.Users)
        {
            var user = new AppUser
            {
                UserName = demo.UserName,
                DisplayName = demo.DisplayName,
                Email = $"{demo.UserName}@example.com",
                EmailConfirmed = true,
                DepartmentKey = demo.Department,
            };
            Check(await users.CreateAsync(user, DemoCompany.Password).ConfigureAwait(false), demo.UserName);
            Check(await users.AddToRolesAsync(user, demo.Roles).ConfigureAwait(false), demo.UserName + "'s roles");
            if (demo.Manages)
            {
                var department = await db.Departments.SingleAsync(d => d.Key == demo.Department, cancellationToken).ConfigureAwait(false);
                department.ManagerUserId = user.Id;
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        LogDemoSeeded(DemoCompany.Users.Count, DemoCompany.Departments.Count);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo company seeded: {Users} users in {Departments} departments, all with the demo password (see README)")]
    private partial void LogDemoSeeded(int users, int departments);

    [LoggerMessage(Level = LogLevel.Information, Message = "First start: created the administrator '{UserName}' with the configured password")]
    private partial void LogAdminCreated(string userName);
}
