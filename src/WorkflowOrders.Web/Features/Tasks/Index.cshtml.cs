using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Web.Features.Work;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Tasks;

/// <summary>
/// The task page (/tasks/{key}): the business context, then the task's Camunda Form (form-js viewer, prefilled
/// with the instance's variables). The browser posts the form's data as JSON to ?handler=Complete; the answer is
/// JSON: 200 with where to go next, 422 with an error per field, 403/409 with a plain reason.
/// </summary>
public sealed class IndexModel(TaskQuery query, CompleteTaskCommand complete, TaskAssignment assignment, IStringLocalizer<WorkText> words) : PageModel
{
    public TaskView View { get; private set; } = null!;

    /// <summary>Why the page is refused (403), shown instead of the task.</summary>
    public string? Refusal { get; private set; }

    public string? NotOpenMessage { get; private set; }

    private static string Culture => CultureInfo.CurrentUICulture.Name;

    public async Task<IActionResult> OnGetAsync(long key, CancellationToken cancellationToken)
    {
        var task = await query.FindAsync(key, cancellationToken);
        if (task is null)
        {
            return NotFound();
        }

        var see = AccessPolicy.CanSeeTask(User, task);
        if (!see.Allowed)
        {
            Refusal = words["Task.CannotSee"];
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        View = await query.LoadAsync(User, task, Culture, cancellationToken);
        if (!View.IsOpen)
        {
            NotOpenMessage = (await complete.NotOpenAsync(User, task, cancellationToken)).Message;
        }
        else if (!View.CanComplete)
        {
            NotOpenMessage = await complete.ReasonAsync(AccessPolicy.CanCompleteTask(User, task), task, cancellationToken);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostCompleteAsync(long key, CancellationToken cancellationToken)
    {
        JsonObject submitted;
        try
        {
            submitted = await JsonNode.ParseAsync(Request.Body, cancellationToken: cancellationToken) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return new JsonResult(new { message = words["Task.BadData"].Value }) { StatusCode = StatusCodes.Status400BadRequest };
        }

        var outcome = await complete.RunAsync(User, key, submitted, Culture, cancellationToken);
        switch (outcome.Status)
        {
            case CompleteStatus.Completed:
                TempData["Status"] = outcome.Message;
                return new JsonResult(new { message = outcome.Message, redirect = "/inbox", instance = $"/instances/{outcome.InstanceKey}" });
            case CompleteStatus.Invalid:
                return new JsonResult(new
                {
                    message = outcome.Message,
                    errors = outcome.Errors!.Select(e => new { fieldId = e.FieldId, path = e.Path, message = e.Message }),
                })
                { StatusCode = StatusCodes.Status422UnprocessableEntity };
            case CompleteStatus.Forbidden:
                return new JsonResult(new { message = outcome.Message }) { StatusCode = StatusCodes.Status403Forbidden };
            case CompleteStatus.NotOpen:
                return new JsonResult(new { message = outcome.Message }) { StatusCode = StatusCodes.Status409Conflict };
            default:
                return new JsonResult(new { message = outcome.Message }) { StatusCode = StatusCodes.Status404NotFound };
        }
    }

    public async Task<IActionResult> OnPostClaimAsync(long key, CancellationToken cancellationToken) =>
        Back(key, await assignment.ClaimAsync(User, key, cancellationToken));

    public async Task<IActionResult> OnPostUnclaimAsync(long key, CancellationToken cancellationToken) =>
        Back(key, await assignment.UnclaimAsync(User, key, cancellationToken));

    private RedirectResult Back(long key, AssignmentResult outcome)
    {
        var message = outcome.Argument is null ? words[outcome.MessageKey] : words[outcome.MessageKey, outcome.Argument];
        TempData[outcome.Done ? "Status" : "Problem"] = message.Value;
        return Redirect($"/tasks/{key}");
    }
}
