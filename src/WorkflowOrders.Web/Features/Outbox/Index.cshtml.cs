using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Outbox;

/// <summary>Every email of the outbox, newest first, with its delivery status and last SMTP reply (docs/email.md).</summary>
[Authorize(Policy = Policies.Manager)]
public sealed class IndexModel(WorkflowDbContextFactory contexts) : PageModel
{
    public const int PageSize = 200;

    public IReadOnlyList<OutboxMessageRow> Messages { get; private set; } = [];

    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();

    /// <summary>Filter: PENDING, SENT or FAILED; empty = all.</summary>
    public string? Status { get; private set; }

    public async Task OnGetAsync(string? status)
    {
        Status = status is OutboxStatus.Pending or OutboxStatus.Sent or OutboxStatus.Failed ? status : null;
        await using var db = contexts.CreateDbContext();
        Counts = await db.OutboxMessages.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count);
        var query = db.OutboxMessages.AsNoTracking();
        if (Status is not null)
        {
            query = query.Where(m => m.Status == Status);
        }

        Messages = await query.OrderByDescending(m => m.Id).Take(PageSize).ToListAsync();
    }
}
