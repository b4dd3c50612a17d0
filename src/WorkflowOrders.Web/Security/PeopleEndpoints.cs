using System.Security.Claims;

namespace WorkflowOrders.Web.Security;

/// <summary>Small authenticated endpoints of the people area.</summary>
public static class PeopleEndpoints
{
    /// <summary><c>GET /api/me</c>: who the credentials belong to (any scheme) — a check for integrators and tests.</summary>
    public static IEndpointRouteBuilder MapPeopleEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/me", (ClaimsPrincipal user) => Results.Ok(new MeResponse(
                user.UserName(),
                user.DisplayNameOf(),
                user.RoleKeys(),
                user.LanguageOf(),
                user.TimeZoneOf(),
                user.Identity?.AuthenticationType)))
            .RequireAuthorization();
        return endpoints;
    }
}

public sealed record MeResponse(string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Language, string TimeZone, string? AuthenticatedBy);
