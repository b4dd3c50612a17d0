using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Orders;

/// <summary>Records a new order and starts its order procedure (the same rules as <c>POST /api/orders</c>).</summary>
[Authorize(Policy = OrderEndpoints.OrderDeskPolicy)]
public sealed class NewModel(OrderService orders) : PageModel
{
    /// <summary>Rows the form offers; empty rows are ignored.</summary>
    public const int LineRows = 6;

    [BindProperty]
    public OrderInput Input { get; set; } = new();

    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public void OnGet()
    {
        Input.DeliveryDate = orders.Today().AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        PadLines();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // Model binding errors (a quantity that is not a number) surface as the rules' own "must be > 0".
        Input.Lines = [.. Input.Lines.Where(l => !string.IsNullOrWhiteSpace(l.Product) || l.Quantity is not null || l.UnitPrice is not null)];
        var result = await orders.CreateAsync(Input, User.UserName(), HttpContext.RequestAborted);
        if (result.Errors.Count == 0)
        {
            return Redirect($"/orders/{Uri.EscapeDataString(result.Order!.OrderNo)}");
        }

        Errors = result.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().MessageKey);
        PadLines();
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public string? Error(string field) => Errors.TryGetValue(field, out var key) ? key : null;

    private void PadLines()
    {
        while (Input.Lines.Count < LineRows)
        {
            Input.Lines.Add(new OrderLineInput());
        }
    }
}
