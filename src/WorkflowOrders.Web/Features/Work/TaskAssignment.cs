using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.Security;

using UserTaskState = WorkflowOrders.Persistence.Entities.UserTaskState;

namespace WorkflowOrders.Web.Features.Work;

/// <summary>The outcome of claim / unclaim / hand over: done, or refused with the resource key of the reason (and its argument).</summary>
public sealed record AssignmentResult(bool Done, string MessageKey, string? Argument = null);

/// <summary>
/// Claim, unclaim and hand over a user task from the UI. Claim: an open task the user is a candidate for and nobody
/// holds (the web foundation's <see cref="AccessPolicy"/>). Unclaim and hand over: the assignee, or an admin. A hand
/// over goes only to a colleague the task is offered to (a candidate user or a holder of a candidate group).
/// </summary>
public sealed class TaskAssignment(IDbContextFactory<WorkflowDbContext> contexts, WorkflowRuntime runtime, PeopleNames people)
{
    public async Task<AssignmentResult> ClaimAsync(ClaimsPrincipal user, long taskKey, CancellationToken cancellationToken = default)
    {
        var task = await FindAsync(taskKey, cancellationToken).ConfigureAwait(false);
        if (task is null)
        {
            return new(false, "Assign.NotFound");
        }

        if (task.Assignee is { } holder && holder != user.UserName())
        {
            var names = await people.ResolveAsync([holder], cancellationToken).ConfigureAwait(false);
            return new(false, "Assign.TakenBy", names[holder]);
        }

        var decision = AccessPolicy.CanClaimTask(user, task);
        if (!decision.Allowed)
        {
            return Refused(decision);
        }

        return await RunAsync(() => runtime.AssignUserTaskAsync(taskKey, user.UserName(), user.UserName(), allowOverride: false, cancellationToken), "Assign.Claimed").ConfigureAwait(false);
    }

    public async Task<AssignmentResult> UnclaimAsync(ClaimsPrincipal user, long taskKey, CancellationToken cancellationToken = default)
    {
        var task = await FindAsync(taskKey, cancellationToken).ConfigureAwait(false);
        if (task is null)
        {
            return new(false, "Assign.NotFound");
        }

        if (task.State != UserTaskState.Created)
        {
            return new(false, "Assign.NotOpen");
        }

        if (task.Assignee != user.UserName() && !(AccessPolicy.IsAdmin(user) && task.Assignee is not null))
        {
            return new(false, "Assign.NotYours");
        }

        return await RunAsync(() => runtime.AssignUserTaskAsync(taskKey, null, user.UserName(), cancellationToken: cancellationToken), "Assign.Unclaimed").ConfigureAwait(false);
    }

    public async Task<AssignmentResult> HandOverAsync(ClaimsPrincipal user, long taskKey, string colleague, CancellationToken cancellationToken = default)
    {
        var task = await FindAsync(taskKey, cancellationToken).ConfigureAwait(false);
        if (task is null)
        {
            return new(false, "Assign.NotFound");
        }

        if (task.State != UserTaskState.Created)
        {
            return new(false, "Assign.NotOpen");
        }

        if (task.Assignee != user.UserName() && !(AccessPolicy.IsAdmin(user) && task.Assignee is not null))
        {
            return new(false, "Assign.NotYours");
        }

        var candidates = await ColleaguesAsync(task, user.UserName(), cancellationToken).ConfigureAwait(false);
        var target = candidates.FirstOrDefault(c => c.UserName == colleague);
        if (target is null)
        {
            return new(false, "Assign.NotCandidate", colleague);
        }

        var result = await RunAsync(() => runtime.AssignUserTaskAsync(taskKey, target.UserName, user.UserName(), cancellationToken: cancellationToken), "Assign.HandedOver").ConfigureAwait(false);
        return result.Done ? result with { Argument = target.DisplayName } : result;
    }

    /// <summary>Colleagues a task may be handed over to.</summary>
    public async Task<IReadOnlyList<Colleague>> ColleaguesAsync(UserTaskRow task, string exceptUserName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var record = EfWorkflowStoreRows.ToRecord(task);
        return await people.CandidatesAsync([.. record.CandidateGroups], [.. record.CandidateUsers], exceptUserName, cancellationToken).ConfigureAwait(false);
    }

    public async Task<UserTaskRow?> FindAsync(long taskKey, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.UserTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Key == taskKey, cancellationToken).ConfigureAwait(false);
    }

    private static AssignmentResult Refused(AccessDecision decision) => decision.Code switch
    {
        AccessPolicy.NotOpen => new(false, "Assign.NotOpen"),
        AccessPolicy.AssignedToOther => new(false, "Assign.NotYours"),
        _ => new(false, "Assign.NotOffered"),
    };

    private static async Task<AssignmentResult> RunAsync(Func<Task> command, string doneKey)
    {
        try
        {
            await command().ConfigureAwait(false);
            return new(true, doneKey);
        }
        catch (CommandRejectedException)
        {
            // Someone else was faster (completed, canceled or claimed it in between).
            return new(false, "Assign.Changed");
        }
    }
}
