using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.Features.Work;
using WorkflowOrders.Web.Forms;
using WorkflowOrders.Web.Localization;
using WorkflowOrders.Web.Security;

using UserTaskState = WorkflowOrders.Persistence.Entities.UserTaskState;

namespace WorkflowOrders.Web.Features.Tasks;

public enum CompleteStatus
{
    Completed,
    Invalid,
    Forbidden,
    NotOpen,
    NotFound,
}

/// <summary>A refused field as the browser shows it next to the field (form-js keys errors by component id).</summary>
public sealed record FieldMessage(string FieldId, string Path, string Message);

public sealed record CompleteOutcome(CompleteStatus Status, string? Message = null, IReadOnlyList<FieldMessage>? Errors = null, long? InstanceKey = null);

/// <summary>
/// Completes a task from its form: only the assignee or a candidate (<see cref="AccessPolicy.CanCompleteTask"/>);
/// the data is checked against the form's schema first (<see cref="FormSchemaValidator"/>) and only the form's own
/// fields go to <see cref="WorkflowRuntime.CompleteUserTaskAsync"/>. A task someone else completed meanwhile is
/// explained with who and when, in the user's language and zone.
/// </summary>
public sealed class CompleteTaskCommand(TaskQuery tasks, WorkflowRuntime runtime, FormSchemaValidator validator, PeopleNames people, IStringLocalizer<WorkText> words)
{
    public async Task<CompleteOutcome> RunAsync(ClaimsPrincipal user, long taskKey, JsonObject submitted, string culture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(submitted);
        var task = await tasks.FindAsync(taskKey, cancellationToken).ConfigureAwait(false);
        if (task is null)
        {
            return new(CompleteStatus.NotFound, words["Task.NotFound"]);
        }

        if (task.State != UserTaskState.Created)
        {
            return await NotOpenAsync(user, task, cancellationToken).ConfigureAwait(false);
        }

        var access = AccessPolicy.CanCompleteTask(user, task);
        if (!access.Allowed)
        {
            return new(CompleteStatus.Forbidden, await ReasonAsync(access, task, cancellationToken).ConfigureAwait(false), InstanceKey: task.InstanceKey);
        }

        var view = await tasks.LoadAsync(user, task, culture, cancellationToken).ConfigureAwait(false);
        JsonObject variables;
        if (view.FormSchema is null)
        {
            variables = []; // a task without a form completes without changing variables
        }
        else
        {
            var zone = InstantFormatter.FindZone(user.TimeZoneOf());
            var result = validator.Validate(view.FormSchema, submitted, view.Variables, zone);
            if (!result.IsValid)
            {
                return new(CompleteStatus.Invalid, words["Task.Invalid", result.Errors.Count],
                    [.. result.Errors.Select(e => new FieldMessage(e.FieldId, e.Path, Describe(e)))], task.InstanceKey);
            }

            variables = result.Variables;
        }

        try
        {
            await runtime.CompleteUserTaskAsync(taskKey, variables, user.UserName(), cancellationToken).ConfigureAwait(false);
            return new(CompleteStatus.Completed, words["Task.Completed", view.TaskName], InstanceKey: task.InstanceKey);
        }
        catch (CommandRejectedException)
        {
            // Completed or canceled between our check and the command: explain from the row as it is now.
            var now = await tasks.FindAsync(taskKey, cancellationToken).ConfigureAwait(false);
            return now is null
                ? new(CompleteStatus.NotFound, words["Task.NotFound"])
                : await NotOpenAsync(user, now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>"已由 张伟 于 2026-10-08 16:00 完成" / "already completed by … at …", or canceled.</summary>
    public async Task<CompleteOutcome> NotOpenAsync(ClaimsPrincipal user, UserTaskRow task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.State == UserTaskState.Completed)
        {
            var by = task.CompletedBy ?? "?";
            var names = await people.ResolveAsync([by], cancellationToken).ConfigureAwait(false);
            var at = user.FormatInstant(task.CompletedAt);
            var message = by == user.UserName() ? words["Task.CompletedByYou", at] : words["Task.CompletedBy", names[by], at];
            return new(CompleteStatus.NotOpen, message, InstanceKey: task.InstanceKey);
        }

        return new(CompleteStatus.NotOpen, words["Task.Canceled"], InstanceKey: task.InstanceKey);
    }

    public async Task<string> ReasonAsync(AccessDecision decision, UserTaskRow task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(task);
        if (decision.Code == AccessPolicy.AssignedToOther && task.Assignee is { } holder)
        {
            var names = await people.ResolveAsync([holder], cancellationToken).ConfigureAwait(false);
            return words["Task.AssignedToOther", names[holder]];
        }

        return words["Task.NotOffered"];
    }

    private string Describe(FormFieldError error)
    {
        if (error.Code == FormErrorCode.PatternMismatch && !string.IsNullOrEmpty(error.CustomMessage))
        {
            return error.CustomMessage;
        }

        var key = "FormError." + error.Code;
        return error.Argument is null ? words[key] : words[key, error.Argument];
    }
}
