using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Localization;

/// <summary>A left-navigation entry: resource key of its label, Tabler icon, path, and the policy it needs (if any).</summary>
public sealed record NavEntry(string Label, string Icon, string Path, string? Policy = null);

/// <summary>
/// The left navigation of ui.md, in its order. An entry is shown only when a page answers its path (so screens
/// appear in the menu as they are built, never as "coming soon") and the user passes its policy.
/// </summary>
public sealed class Navigation(EndpointDataSource endpoints, IAuthorizationService authorization)
{
    public static IReadOnlyList<NavEntry> Entries { get; } =
    [
        new("Nav.Inbox", "ti-inbox", "/inbox"),
        new("Nav.Orders", "ti-file-invoice", "/orders"),
        new("Nav.Tracking", "ti-table", "/tracking"),
        new("Nav.Reports", "ti-chart-bar", "/reports"),
        new("Nav.Procedures", "ti-sitemap", "/procedures", Features.Procedures.ProcedureHosting.ReaderPolicy),
        new("Nav.Overdue", "ti-alarm", "/overdue", Policies.Manager),
        new("Nav.Outbox", "ti-mail", "/outbox", Policies.Manager),
        new("Nav.Admin", "ti-settings", "/admin", Policies.Admin),
    ];

    public async Task<IReadOnlyList<NavEntry>> ForAsync(ClaimsPrincipal user)
    {
        var existing = ExistingPaths();
        var visible = new List<NavEntry>();
        foreach (var entry in Entries)
        {
            if (!existing.Contains(entry.Path))
            {
                continue;
            }

            if (entry.Policy is null || (await authorization.AuthorizeAsync(user, entry.Policy).ConfigureAwait(false)).Succeeded)
            {
                visible.Add(entry);
            }
        }

        return visible;
    }

    private HashSet<string> ExistingPaths()
    {
        var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.RoutePattern.Parameters.Count == 0 && endpoint.RoutePattern.RawText is { } raw)
            {
                paths.Add("/" + raw.Trim('/'));
            }
        }

        return paths;
    }
}
