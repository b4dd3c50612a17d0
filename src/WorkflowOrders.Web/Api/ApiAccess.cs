using System.Security.Claims;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Queries;

namespace WorkflowOrders.Web.Api;

/// <summary>An authorization answer: allowed, or denied with a plain reason (the 403's detail).</summary>
public sealed record ApiDecision(bool Allowed, string? Reason)
{
    public static ApiDecision Allow { get; } = new(true, null);

    public static ApiDecision Deny(string reason) => new(false, reason);

    public void ThrowIfDenied()
    {
        if (!Allowed)
        {
            throw ApiProblemException.Forbidden(Reason ?? "You may not do this.");
        }
    }
}

/// <summary>
/// What the REST API asks before it acts: the web foundation's rules (roles, oversight, assignee and candidates)
/// behind one interface, so the endpoints read the same whichever way sign-in works.
/// </summary>
public interface IApiAccess
{
    /// <summary>Which tasks (and through them instances, incidents, variables) the user sees; null = all.</summary>
    TaskVisibility? VisibilityOf(ClaimsPrincipal user);

    ApiDecision CanDeploy(ClaimsPrincipal user);

    ApiDecision CanSeeTask(ClaimsPrincipal user, UserTaskRow task);

    /// <summary>Claim (assignee = the caller) or hand over (assignee = someone else).</summary>
    ApiDecision CanAssign(ClaimsPrincipal user, UserTaskRow task, string assignee);

    ApiDecision CanUnassign(ClaimsPrincipal user, UserTaskRow task);

    ApiDecision CanComplete(ClaimsPrincipal user, UserTaskRow task);

    Task<ApiDecision> CanSeeInstanceAsync(ClaimsPrincipal user, long instanceKey, CancellationToken cancellationToken);

    ApiDecision CanStartInstance(ClaimsPrincipal user);

    ApiDecision CanCancelInstance(ClaimsPrincipal user);

    ApiDecision CanResolveIncident(ClaimsPrincipal user);

    ApiDecision CanPublishMessage(ClaimsPrincipal user);
}
