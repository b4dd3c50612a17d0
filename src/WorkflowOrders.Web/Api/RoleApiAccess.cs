using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Queries;

namespace WorkflowOrders.Web.Api;

/// <summary>
/// The API's rules over the caller's name and role claims: admins may do everything; gm, director and process-owner
/// see every task and instance; a task is the caller's when they are its assignee or a candidate (user, or holder of a
/// candidate group); only process owners (and admins) deploy, cancel instances and resolve incidents.
/// </summary>
public sealed class RoleApiAccess(WorkflowDbContextFactory contexts) : IApiAccess
{
    public const string Admin = "admin";
    public const string ProcessOwner = "process-owner";

    /// <summary>Roles that may look at every task and instance.</summary>
    public static IReadOnlyList<string> OversightRoles { get; } = [Admin, "gm", "director", ProcessOwner];

    private static string NameOf(ClaimsPrincipal user) => user.Identity?.Name ?? "";

    private static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(Admin);

    private static bool HasOversight(ClaimsPrincipal user) => OversightRoles.Any(user.IsInRole);

    private static IReadOnlyList<string> RolesOf(ClaimsPrincipal user) =>
        [.. user.Claims.Where(c => c.Type == ClaimTypes.Role || c.Type == (user.Identity as ClaimsIdentity)?.RoleClaimType).Select(c => c.Value).Distinct(StringComparer.Ordinal)];

    public TaskVisibility? VisibilityOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return HasOversight(user) ? TaskVisibility.Everything : new TaskVisibility(NameOf(user), RolesOf(user));
    }

    public ApiDecision CanDeploy(ClaimsPrincipal user) =>
        IsAdmin(user) || user.IsInRole(ProcessOwner)
            ? ApiDecision.Allow
            : ApiDecision.Deny("Only process owners deploy process definitions and forms.");

    public ApiDecision CanSeeTask(ClaimsPrincipal user, UserTaskRow task)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(task);
        var name = NameOf(user);
        return HasOversight(user) || task.Assignee == name || (name.Length > 0 && task.CompletedBy == name) || IsCandidate(user, task)
            ? ApiDecision.Allow
            : ApiDecision.Deny($"User task {task.Key} is neither assigned to you nor offered to you or one of your roles.");
    }

    public ApiDecision CanAssign(ClaimsPrincipal user, UserTaskRow task, string assignee)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(task);
        if (task.State != UserTaskState.Created || IsAdmin(user))
        {
            return ApiDecision.Allow; // a finished task is refused by the engine, with who finished it
        }

        var name = NameOf(user);
        if (task.Assignee is { } holder && holder != name)
        {
            return ApiDecision.Deny($"User task {task.Key} is assigned to {holder}; only they or an admin may hand it over.");
        }

        return task.Assignee == name || IsCandidate(user, task)
            ? ApiDecision.Allow
            : ApiDecision.Deny($"You may not claim user task {task.Key}: it is offered neither to you nor to one of your roles.");
    }

    public ApiDecision CanUnassign(ClaimsPrincipal user, UserTaskRow task)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(task);
        if (task.State != UserTaskState.Created || IsAdmin(user))
        {
            return ApiDecision.Allow;
        }

        var name = NameOf(user);
        return task.Assignee switch
        {
            null when IsCandidate(user, task) => ApiDecision.Allow,
            { } holder when holder == name => ApiDecision.Allow,
            { } holder => ApiDecision.Deny($"User task {task.Key} is assigned to {holder}; only they or an admin may unassign it."),
            _ => ApiDecision.Deny($"You may not unassign user task {task.Key}: it is offered neither to you nor to one of your roles."),
        };
    }

    public ApiDecision CanComplete(ClaimsPrincipal user, UserTaskRow task)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(task);
        if (task.State != UserTaskState.Created || IsAdmin(user))
        {
            return ApiDecision.Allow;
        }

        var name = NameOf(user);
        if (task.Assignee is { } holder)
        {
            return holder == name
                ? ApiDecision.Allow
                : ApiDecision.Deny($"User task {task.Key} is assigned to {holder}; only the assignee may complete it.");
        }

        return IsCandidate(user, task)
            ? ApiDecision.Allow
            : ApiDecision.Deny($"You may not complete user task {task.Key}: it is offered neither to you nor to one of your roles.");
    }

    public async Task<ApiDecision> CanSeeInstanceAsync(ClaimsPrincipal user, long instanceKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (HasOversight(user))
        {
            return ApiDecision.Allow;
        }

        var name = NameOf(user);
        var db = contexts.CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            var visibility = new TaskVisibility(name, RolesOf(user));
            var involved = await UserTaskQueries.VisibleTo(db, db.UserTasks, visibility).AnyAsync(t => t.InstanceKey == instanceKey, cancellationToken).ConfigureAwait(false)
                || (name.Length > 0 && await db.AuditEvents.AnyAsync(e => e.InstanceKey == instanceKey && e.Actor == name, cancellationToken).ConfigureAwait(false));
            return involved
                ? ApiDecision.Allow
                : ApiDecision.Deny($"You have no task in process instance {instanceKey} and did not act on it.");
        }
    }

    public ApiDecision CanStartInstance(ClaimsPrincipal user) => ApiDecision.Allow;

    public ApiDecision CanCancelInstance(ClaimsPrincipal user) =>
        IsAdmin(user) || user.IsInRole(ProcessOwner)
            ? ApiDecision.Allow
            : ApiDecision.Deny("Only process owners and admins cancel process instances.");

    public ApiDecision CanResolveIncident(ClaimsPrincipal user) =>
        IsAdmin(user) || user.IsInRole(ProcessOwner)
            ? ApiDecision.Allow
            : ApiDecision.Deny("Only process owners and admins resolve incidents.");

    public ApiDecision CanPublishMessage(ClaimsPrincipal user) => ApiDecision.Allow;

    private static bool IsCandidate(ClaimsPrincipal user, UserTaskRow task)
    {
        var name = NameOf(user);
        return (name.Length > 0 && Split(task.CandidateUsers).Contains(name, StringComparer.Ordinal)) || Split(task.CandidateGroups).Any(user.IsInRole);
    }

    /// <summary>The store writes candidate lists comma-separated; a JSON array is read too.</summary>
    private static string[] Split(string? list) =>
        string.IsNullOrWhiteSpace(list) ? [] : list.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.Trim('"')).ToArray();
}
