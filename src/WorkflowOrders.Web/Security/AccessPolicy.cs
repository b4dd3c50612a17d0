using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.People;

namespace WorkflowOrders.Web.Security;

/// <summary>An answer of <see cref="AccessPolicy"/>: allowed, or denied with a plain reason (the 403's detail).</summary>
public sealed record AccessDecision(bool Allowed, string? Code, string? Reason)
{
    public static AccessDecision Allow { get; } = new(true, null, null);

    public static AccessDecision Deny(string code, string reason) => new(false, code, reason);

    /// <summary>The 403 problem details of a denial (title FORBIDDEN, the reason as detail, the code as an extension).</summary>
    public IResult ToForbiddenProblem() =>
        Results.Problem(
            title: ProblemResponses.Forbidden,
            statusCode: StatusCodes.Status403Forbidden,
            detail: Reason ?? "Your roles do not allow this.",
            extensions: Code is null ? null : new Dictionary<string, object?> { ["code"] = Code });
}

/// <summary>
/// Who may see, claim and complete a user task and see a process instance — one place for the API and the UI.
/// <list type="bullet">
/// <item>Admins may do everything; <c>gm</c>, <c>director</c> and <c>process-owner</c> may see every task and instance (oversight), not act on others' tasks.</item>
/// <item>A task is the user's when they are its assignee, one of its candidate users, or hold one of its candidate groups (a role key).</item>
/// <item>Claim: an open task the user is a candidate for and nobody else holds. Complete: the assignee; or a candidate while nobody holds it.</item>
/// <item>An instance is visible to whoever may see one of its tasks (open or done), completed one, or acted on it (its audit trail names them).</item>
/// </list>
/// </summary>
public sealed class AccessPolicy(IDbContextFactory<WorkflowDbContext> contexts)
{
    public const string NotCandidate = "NOT_CANDIDATE";
    public const string AssignedToOther = "ASSIGNED_TO_OTHER";
    public const string NotOpen = "NOT_OPEN";
    public const string NotInvolved = "NOT_INVOLVED";

    /// <summary>Roles that may look at every task and instance.</summary>
    public static IReadOnlyList<string> OversightRoles { get; } = [Roles.Admin, Roles.Gm, Roles.Director, Roles.ProcessOwner];

    public static bool IsAdmin(ClaimsPrincipal user) => user?.IsInRole(Roles.Admin) == true;

    public static bool HasOversight(ClaimsPrincipal user) => user is not null && OversightRoles.Any(user.IsInRole);

    /// <summary>Assignee, candidate user, or holder of a candidate group.</summary>
    public static bool IsInvolved(ClaimsPrincipal user, UserTaskRow task)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(task);
        var name = user.UserName();
        return name.Length > 0 && (task.Assignee == name || task.CompletedBy == name || IsCandidate(user, task));
    }

    public static bool IsCandidate(ClaimsPrincipal user, UserTaskRow task)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(task);
        var name = user.UserName();
        return ReadList(task.CandidateUsers).Contains(name, StringComparer.Ordinal)
            || ReadList(task.CandidateGroups).Any(user.IsInRole);
    }

    public static AccessDecision CanSeeTask(ClaimsPrincipal user, UserTaskRow task) =>
        HasOversight(user) || IsInvolved(user, task)
            ? AccessDecision.Allow
            : AccessDecision.Deny(NotCandidate, "This task is neither assigned to you nor offered to one of your roles.");

    public static AccessDecision CanClaimTask(ClaimsPrincipal user, UserTaskRow task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.State != UserTaskState.Created)
        {
            return AccessDecision.Deny(NotOpen, "This task is no longer open: it was completed or canceled.");
        }

        if (IsAdmin(user))
        {
            return AccessDecision.Allow;
        }

        var name = user.UserName();
        if (task.Assignee is { } holder && holder != name)
        {
            return AccessDecision.Deny(AssignedToOther, $"This task is assigned to {holder}; only they or an admin may hand it over.");
        }

        return task.Assignee == name || IsCandidate(user, task)
            ? AccessDecision.Allow
            : AccessDecision.Deny(NotCandidate, "You may not claim this task: it is offered neither to you nor to one of your roles.");
    }

    public static AccessDecision CanCompleteTask(ClaimsPrincipal user, UserTaskRow task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.State != UserTaskState.Created)
        {
            return AccessDecision.Deny(NotOpen, task.CompletedBy is { } by
                ? $"This task was already completed by {by}."
                : "This task is no longer open: it was completed or canceled.");
        }

        if (IsAdmin(user))
        {
            return AccessDecision.Allow;
        }

        var name = user.UserName();
        if (task.Assignee is { } holder)
        {
            return holder == name
                ? AccessDecision.Allow
                : AccessDecision.Deny(AssignedToOther, $"This task is assigned to {holder}; only the assignee may complete it.");
        }

        return IsCandidate(user, task)
            ? AccessDecision.Allow
            : AccessDecision.Deny(NotCandidate, "You may not complete this task: it is offered neither to you nor to one of your roles.");
    }

    /// <summary>Narrows a task query to the tasks the user may see (for searches and the inbox).</summary>
    public static IQueryable<UserTaskRow> VisibleTasks(WorkflowDbContext db, IQueryable<UserTaskRow> tasks, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(tasks);
        if (HasOversight(user))
        {
            return tasks;
        }

        var name = user.UserName();
        var roles = user.RoleKeys().ToList();
        return tasks.Where(t => t.Assignee == name || t.CompletedBy == name
            || db.UserTaskCandidates.Any(c => c.TaskKey == t.Key
                && ((c.Kind == CandidateKinds.User && c.Value == name) || (c.Kind == CandidateKinds.Group && roles.Contains(c.Value)))));
    }

    public async Task<AccessDecision> CanSeeInstanceAsync(ClaimsPrincipal user, long instanceKey, CancellationToken cancellationToken = default)
    {
        if (HasOversight(user))
        {
            return AccessDecision.Allow;
        }

        var name = user.UserName();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var involved = await VisibleTasks(db, db.UserTasks.Where(t => t.InstanceKey == instanceKey), user).AnyAsync(cancellationToken).ConfigureAwait(false)
            || await db.AuditEvents.AnyAsync(e => e.InstanceKey == instanceKey && e.Actor == name, cancellationToken).ConfigureAwait(false);
        return involved
            ? AccessDecision.Allow
            : AccessDecision.Deny(NotInvolved, "You have no task in this process instance and did not act on it.");
    }

    private static List<string> ReadList(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<string>>(json) ?? [];
        }
        catch (JsonException)
        {
            // Older rows or hand-made data may hold a comma-separated list.
            return [.. json.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }
    }
}
