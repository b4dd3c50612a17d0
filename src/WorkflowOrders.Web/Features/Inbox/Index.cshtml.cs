using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Web.Features.Work;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Inbox;

/// <summary>
/// The inbox (/inbox): my tasks and my groups' tasks with filters, sorting by deadline and paging; claim, unclaim and
/// hand over. With htmx the table part is swapped in place (filters, claim); without it the page reloads.
/// </summary>
public sealed class IndexModel(InboxQuery query, TaskAssignment assignment, IStringLocalizer<WorkText> words) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public InboxFilter Filter { get; set; } = new();

    public InboxPage Inbox { get; private set; } = null!;

    /// <summary>The outcome of the last action, shown above the table.</summary>
    public AssignmentResult? Outcome { get; private set; }

    public IReadOnlyList<Colleague> Colleagues { get; private set; } = [];

    public Persistence.Entities.UserTaskRow? HandOverTask { get; private set; }

    private bool IsHtmx => Request.Headers.ContainsKey("HX-Request");

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Inbox = await query.RunAsync(User, Filter, CultureInfo.CurrentUICulture.Name, cancellationToken);
        return IsHtmx && Request.Headers["HX-Target"] == "inbox-table" ? Partial("_InboxTable", this) : Page();
    }

    public Task<IActionResult> OnPostClaimAsync(long key, CancellationToken cancellationToken) =>
        AfterAsync(assignment.ClaimAsync(User, key, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostUnclaimAsync(long key, CancellationToken cancellationToken) =>
        AfterAsync(assignment.UnclaimAsync(User, key, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostHandOverAsync(long key, string? colleague, CancellationToken cancellationToken) =>
        AfterAsync(assignment.HandOverAsync(User, key, colleague ?? "", cancellationToken), cancellationToken);

    /// <summary>The hand-over dialog's body for one task (loaded by htmx into the shared modal).</summary>
    public async Task<IActionResult> OnGetHandOverAsync(long key, CancellationToken cancellationToken)
    {
        HandOverTask = await assignment.FindAsync(key, cancellationToken);
        if (HandOverTask is null)
        {
            return NotFound();
        }

        Colleagues = await assignment.ColleaguesAsync(HandOverTask, User.UserName(), cancellationToken);
        return Partial("_HandOver", this);
    }

    public string Message(AssignmentResult outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Argument is null ? words[outcome.MessageKey] : words[outcome.MessageKey, outcome.Argument];
    }

    private async Task<IActionResult> AfterAsync(Task<AssignmentResult> action, CancellationToken cancellationToken)
    {
        Outcome = await action;
        if (!IsHtmx)
        {
            TempData[Outcome.Done ? "Status" : "Problem"] = Message(Outcome);
            return Redirect("/inbox" + Filter.With(page: Filter.Page));
        }

        Inbox = await query.RunAsync(User, Filter, CultureInfo.CurrentUICulture.Name, cancellationToken);
        return Partial("_InboxTable", this);
    }
}
