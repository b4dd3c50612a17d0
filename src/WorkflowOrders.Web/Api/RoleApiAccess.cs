using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Queries;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Api;

/// <summary>
/// The API's rules, on the web foundation's <see cref="AccessPolicy"/>: admins may do everything; gm, director and
/// process-owner see every task and instance; a task is the caller's when they are its assignee or a candidate;
/// only process owners deploy (admins too only when they also hold the process-owner role); process owners and admins
/// cancel instances and resolve incidents. A task that is no longer open
/// passes to the engine, whose NOT_FOUND says who finished it and when.
/// </summary>
public sealed class RoleApiAccess(WorkflowDbContextFactory contexts) : IApiAccess
{
    private static ApiDecision From(AccessDecision decision) => decision.Allowed ? ApiDecision.Allow : ApiDecision.Deny(decision.Reason ?? "Your roles do not allow this.");

    private static bool IsProcessOwner(ClaimsPrincipal user) => user.IsInRole(Roles.ProcessOwner);

    private static bool IsOwnerOrAdmin(ClaimsPrincipal user) => AccessPolicy.IsAdmin(user) || IsProcessOwner(user);

    public TaskVisibility? VisibilityOf(ClaimsPrincipal user) =>
        AccessPolicy.HasOversight(user) ? TaskVisibility.Everything : new TaskVisibility(user.UserName(), user.RoleKeys());

    public ApiDecision CanDeploy(ClaimsPrincipal user) =>
        IsProcessOwner(user) ? ApiDecision.Allow : ApiDecision.Deny("Only users with the process-owner role deploy process definitions and forms.");

    public ApiDecision CanSeeTask(ClaimsPrincipal user, UserTaskRow task) => From(AccessPolicy.CanSeeTask(user, task));

    public ApiDecision CanAssign(ClaimsPrincipal user, UserTaskRow task, string assignee)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.State != UserTaskState.Created ? ApiDecision.Allow : From(AccessPolicy.CanClaimTask(user, task));
    }

    public ApiDecision CanUnassign(ClaimsPrincipal user, UserTaskRow task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.State != UserTaskState.Created || AccessPolicy.IsAdmin(user))
        {
            return ApiDecision.Allow;
        }

        return task.Assignee switch
        {
            null when AccessPolicy.IsCandidate(user, task) => ApiDecision.Allow,
            { } holder when holder == user.UserName() => ApiDecision.Allow,
            { } holder => ApiDecision.Deny($"This task is assigned to {holder}; only they or an admin may unassign it."),
            _ => ApiDecision.Deny("You may not unassign this task: it is offered neither to you nor to one of your roles."),
        };
    }

    public ApiDecision CanComplete(ClaimsPrincipal user, UserTaskRow task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.State != UserTaskState.Created ? ApiDecision.Allow : From(AccessPolicy.CanCompleteTask(user, task));
    }

    public async Task<ApiDecision> CanSeeInstanceAsync(ClaimsPrincipal user, long instanceKey, CancellationToken cancellationToken)
    {
        if (AccessPolicy.HasOversight(user))
        {
            return ApiDecision.Allow;
        }

        var name = user.UserName();
        var db = contexts.CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            var involved = await UserTaskQueries.VisibleTo(db, db.UserTasks, new TaskVisibility(name, user.RoleKeys())).AnyAsync(t => t.InstanceKey == instanceKey, cancellationToken).ConfigureAwait(false)
                || (name.Length > 0 && await db.AuditEvents.AnyAsync(e => e.InstanceKey == instanceKey && e.Actor == name, cancellationToken).ConfigureAwait(false));
            return involved
                ? ApiDecision.Allow
                : ApiDecision.Deny($"You have no task in process instance {instanceKey} and did not act on it.");
        }
    }

    public ApiDecision CanStartInstance(ClaimsPrincipal user) => ApiDecision.Allow;

    public ApiDecision CanCancelInstance(ClaimsPrincipal user) =>
        IsOwnerOrAdmin(user) ? ApiDecision.Allow : ApiDecision.Deny("Only process owners and admins cancel process instances.");

    public ApiDecision CanResolveIncident(ClaimsPrincipal user) =>
        IsOwnerOrAdmin(user) ? ApiDecision.Allow : ApiDecision.Deny("Only process owners and admins resolve incidents.");

    public ApiDecision CanPublishMessage(ClaimsPrincipal user) => ApiDecision.Allow;
}
