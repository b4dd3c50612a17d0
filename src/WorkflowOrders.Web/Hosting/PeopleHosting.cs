using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using WorkflowOrders.Persistence;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Hosting;

/// <summary>People: Identity on the runtime's database, cookie + Basic + Bearer authentication, role policies.</summary>
public static class PeopleHosting
{
    /// <summary>Call after <c>AddWorkflowEngine</c> (it registers the database options used here).</summary>
    public static WebApplicationBuilder AddPeople(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddDbContext<PeopleDbContext>((sp, o) => PeopleDatabase.Configure(o, sp.GetRequiredService<PersistenceOptions>()));

        services.AddIdentityCore<AppUser>(o =>
            {
                // Length over composition rules (NIST SP 800-63B): at least 8 characters, any kind.
                o.Password.RequiredLength = 8;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.User.RequireUniqueEmail = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                // Routes every sign-in through ActiveUserConfirmation: deactivated users are refused.
                o.SignIn.RequireConfirmedAccount = true;
            })
            .AddRoles<AppRole>()
            .AddEntityFrameworkStores<PeopleDbContext>()
            .AddSignInManager()
            .AddUserConfirmation<ActiveUserConfirmation>()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = AuthSchemes.Default;
                o.DefaultChallengeScheme = AuthSchemes.Default;
                o.DefaultForbidScheme = AuthSchemes.Default;
            })
            .AddPolicyScheme(AuthSchemes.Default, "Cookie, Basic or Bearer by the Authorization header", o =>
                o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(AuthSchemes.Basic, null)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenAuthenticationHandler>(AuthSchemes.Bearer, null)
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(ConfigureCookie));

        // A deactivated user's cookie stops working within a minute (the admin page renews the security stamp).
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.ProcessOwner, p => p.RequireRole(Roles.ProcessOwner))
            .AddPolicy(Policies.Manager, p => p.RequireRole(Roles.DeptManager, Roles.Director, Roles.Gm, Roles.Admin));

        services.AddScoped<ApiTokenService>();
        services.AddScoped<AccessPolicy>();
        services.AddScoped<PeopleSeeder>();
        return builder;
    }

    /// <summary>Applies the people migrations (after the runtime's), then the roles and the demo company or first administrator.</summary>
    public static async Task InitializePeopleAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await PeopleDatabase.MigrateAsync(app.Services.GetRequiredService<PersistenceOptions>()).ConfigureAwait(false);
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PeopleSeeder>().SeedAsync().ConfigureAwait(false);
    }

    private static string SelectScheme(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthSchemes.Basic;
        }

        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? AuthSchemes.Bearer : AuthSchemes.Cookie;
    }

    private static void ConfigureCookie(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions o)
    {
        o.Cookie.Name = "wo.auth";
        o.LoginPath = "/signin";
        o.LogoutPath = "/signout";
        o.AccessDeniedPath = "/forbidden";
        o.SlidingExpiration = true;
        o.ExpireTimeSpan = TimeSpan.FromHours(10);
        o.Events.OnRedirectToLogin = context =>
        {
            if (ProblemResponses.IsApiRequest(context.Request))
            {
                return ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, ProblemResponses.Unauthorized,
                    "Authentication is required: send HTTP Basic credentials or a personal API token as a Bearer token.");
            }

            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        };
        o.Events.OnRedirectToAccessDenied = context =>
            ProblemResponses.IsApiRequest(context.Request)
                ? ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, ProblemResponses.Forbidden, "Your roles do not allow this.")
                // Pages answer 403 in place; the status-code page explains it (Features/Errors).
                : SetStatus(context.HttpContext, StatusCodes.Status403Forbidden);
    }

    private static Task SetStatus(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
