using Microsoft.AspNetCore.Identity;

namespace WorkflowOrders.Web.People;

/// <summary>A person who signs in: ASP.NET Core Identity's user plus department, display name, language and zone.</summary>
public sealed class AppUser : IdentityUser
{
    public const string DefaultLanguage = "zh-CN";
    public const string DefaultTimeZone = "Asia/Shanghai";

    /// <summary>The name shown in lists and the top bar, e.g. 张伟.</summary>
    public string DisplayName { get; set; } = "";

    public string? DepartmentKey { get; set; }

    /// <summary>zh-CN or en.</summary>
    public string PreferredLanguage { get; set; } = DefaultLanguage;

    /// <summary>IANA zone id; dates are shown in it.</summary>
    public string TimeZone { get; set; } = DefaultTimeZone;

    /// <summary>Set when an admin deactivates the user: no sign-in, no API access; the history keeps the name.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }

    public bool IsActive => DeactivatedAt is null;
}

/// <summary>A role; its <c>Name</c> is the role key of procedures.md §1 (sales, quality, gm …).</summary>
public sealed class AppRole : IdentityRole
{
    public AppRole()
    {
    }

    public AppRole(string roleName)
        : base(roleName)
    {
    }
}
