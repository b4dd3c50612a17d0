using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WorkflowOrders.Persistence.Orders;

namespace WorkflowOrders.Web.Features.Orders;

/// <summary>The order list: filters by status, customer (or order number) and delivery date range; paged.</summary>
[Authorize]
public sealed class IndexModel(OrderService orders, IAuthorizationService authorization) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public OrderFilter Filter { get; set; } = new();

    public IReadOnlyList<OrderRow> Rows { get; private set; } = [];

    public int Total { get; private set; }

    public int Pages => Math.Max(1, (Total + OrderFilter.PageSize - 1) / OrderFilter.PageSize);

    public bool CanCreate { get; private set; }

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Filter.Status) || !string.IsNullOrWhiteSpace(Filter.Customer) || Filter.DeliveryFrom is not null || Filter.DeliveryTo is not null;

    public async Task OnGetAsync()
    {
        (Rows, Total) = await orders.ListAsync(Filter, HttpContext.RequestAborted);
        CanCreate = (await authorization.AuthorizeAsync(User, OrderEndpoints.OrderDeskPolicy)).Succeeded;
    }

    /// <summary>The list's query string with another page number.</summary>
    public string PageLink(int page) =>
        QueryString.Create(new Dictionary<string, string?>
        {
            ["Filter.Status"] = Filter.Status,
            ["Filter.Customer"] = Filter.Customer,
            ["Filter.DeliveryFrom"] = Filter.DeliveryFrom?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["Filter.DeliveryTo"] = Filter.DeliveryTo?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["Filter.Page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent();
}
