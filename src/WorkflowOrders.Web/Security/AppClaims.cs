using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WorkflowOrders.Web.People;

namespace WorkflowOrders.Web.Security;

/// <summary>Claims every signed-in principal carries besides name and roles (the same for cookie, Basic and Bearer).</summary>
public static class AppClaims
{
    public const string DisplayName = "wo:display_name";
    public const string Language = "wo:lang";
    public const string TimeZone = "wo:tz";
    public const string Department = "wo:dept";

    public static string UserName(this ClaimsPrincipal? user) => user?.Identity?.Name ?? "";

    public static string DisplayNameOf(this ClaimsPrincipal? user) =>
        user?.FindFirst(DisplayName)?.Value is { Length: > 0 } name ? name : user.UserName();

    public static string? LanguageOf(this ClaimsPrincipal? user) => user?.FindFirst(Language)?.Value;

    public static string TimeZoneOf(this ClaimsPrincipal? user) => user?.FindFirst(TimeZone)?.Value ?? AppUser.DefaultTimeZone;

    public static IReadOnlyList<string> RoleKeys(this ClaimsPrincipal? user) =>
        user is null ? [] : [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)];
}

/// <summary>Adds display name, language, zone and department to the Identity principal.</summary>
public sealed class AppClaimsPrincipalFactory(UserManager<AppUser> users, RoleManager<AppRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, AppRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user).ConfigureAwait(false);
        identity.AddClaim(new Claim(AppClaims.DisplayName, user.DisplayName));
        identity.AddClaim(new Claim(AppClaims.Language, user.PreferredLanguage));
        identity.AddClaim(new Claim(AppClaims.TimeZone, user.TimeZone));
        if (user.DepartmentKey is { } department)
        {
            identity.AddClaim(new Claim(AppClaims.Department, department));
        }

        return identity;
    }
}

/// <summary>A deactivated user cannot sign in (cookie, Basic); <c>SignIn.RequireConfirmedAccount</c> routes the check here.</summary>
public sealed class ActiveUserConfirmation : IUserConfirmation<AppUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<AppUser> manager, AppUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Task.FromResult(user.IsActive);
    }
}
