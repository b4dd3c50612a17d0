using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Web.Features.Work;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Instance;

/// <summary>
/// The process-instance page (/instances/{key}): the diagram (bpmn-js viewer) with waiting steps, the path taken and
/// incidents marked; the history; variables; incidents with a retry button for those who may retry.
/// </summary>
public sealed class IndexModel(InstanceQuery query, AccessPolicy access, WorkflowRuntime runtime, IStringLocalizer<WorkText> words) : PageModel
{
    public InstanceView View { get; private set; } = null!;

    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync(long key, CancellationToken cancellationToken)
    {
        var row = await query.FindAsync(key, cancellationToken);
        if (row is null)
        {
            return NotFound();
        }

        var see = await access.CanSeeInstanceAsync(User, key, cancellationToken);
        if (!see.Allowed)
        {
            Refusal = words["Instance.CannotSee"];
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        var view = await query.LoadAsync(User, row, CultureInfo.CurrentUICulture.Name, cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        View = view;
        return Page();
    }

    public async Task<IActionResult> OnPostRetryAsync(long key, long incident, CancellationToken cancellationToken)
    {
        if (!await query.MayRetryAsync(User, key, cancellationToken))
        {
            TempData["Problem"] = words["Instance.RetryNotAllowed"].Value;
            return Redirect($"/instances/{key}");
        }

        try
        {
            await runtime.ResolveIncidentAsync(incident, User.UserName(), cancellationToken);
            TempData["Status"] = words["Instance.Retried"].Value;
        }
        catch (CommandRejectedException e)
        {
            TempData["Problem"] = words["Instance.RetryFailed", e.Message].Value;
        }

        return Redirect($"/instances/{key}");
    }
}
