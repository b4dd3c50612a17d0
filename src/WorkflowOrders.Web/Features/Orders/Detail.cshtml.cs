using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Orders;
using WorkflowOrders.Web.Hosting;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Orders;

/// <summary>
/// One order: its data and lines, its procedures (instances with the order number as business key), their open
/// tasks, the timeline; and the order desk's buttons to raise a change, a cancellation or a nonconformance report —
/// each starts that procedure for this order with the order's variables.
/// </summary>
[Authorize]
public sealed class DetailModel(OrderService orders, WorkflowRuntime runtime, IAuthorizationService authorization, IOptions<WorkflowOrdersOptions> options, TimeProvider time) : PageModel
{
    public OrderDetail Detail { get; private set; } = null!;

    public bool CanAct { get; private set; }

    [TempData]
    public string? Started { get; set; }

    public async Task<IActionResult> OnGetAsync(string orderNo)
    {
        var detail = await orders.DetailAsync(orderNo, HttpContext.RequestAborted);
        if (detail is null)
        {
            return NotFound();
        }

        Detail = detail;
        CanAct = (await authorization.AuthorizeAsync(User, OrderEndpoints.OrderDeskPolicy)).Succeeded;
        return Page();
    }

    /// <summary>Raises a change (订单变更): the order desk classifies it in the procedure's first task.</summary>
    public Task<IActionResult> OnPostChangeAsync(string orderNo, string? reason) =>
        StartAsync(orderNo, "order-change", (order, now) => new JsonObject
        {
            ["changeReason"] = reason ?? "",
            ["changeSource"] = "order-page",
            ["requestedAt"] = now,
            ["deliveryDate"] = Iso(order.DeliveryDate),
            ["hasPrepaymentClause"] = order.HasPrepaymentClause,
            ["hasCommissionClause"] = order.HasCommissionClause,
        });

    /// <summary>Raises a cancellation (订单取消); the page asked for confirmation and said what will happen.</summary>
    public Task<IActionResult> OnPostCancelAsync(string orderNo, string? reason, bool allowedByContract) =>
        StartAsync(orderNo, "order-cancellation", (_, now) => new JsonObject
        {
            ["cancellationReason"] = reason ?? "",
            ["allowedByContract"] = allowedByContract,
            ["requestedAt"] = now,
        });

    /// <summary>Reports a nonconformance (不合格品) for this order.</summary>
    public Task<IActionResult> OnPostNonconformanceAsync(string orderNo, string? source, string? defect) =>
        StartAsync(orderNo, "nonconformance", (order, now) => new JsonObject
        {
            ["ncRef"] = order.OrderNo,
            ["source"] = source is "incoming-material" or "in-process" or "final-inspection" or "customer-complaint" ? source : "in-process",
            ["defectDescription"] = defect ?? "",
            ["reportedAt"] = now,
            ["deliveryDate"] = Iso(order.DeliveryDate),
        });

    private async Task<IActionResult> StartAsync(string orderNo, string processId, Func<OrderRow, string, JsonObject> extra)
    {
        if (!(await authorization.AuthorizeAsync(User, OrderEndpoints.OrderDeskPolicy)).Succeeded)
        {
            return Forbid();
        }

        var detail = await orders.DetailAsync(orderNo, HttpContext.RequestAborted);
        if (detail is null)
        {
            return NotFound();
        }

        var order = detail.Order;
        var now = time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
        var variables = extra(order, now);
        variables["orderNo"] = order.OrderNo;
        variables["amount"] = order.TotalAmount;
        variables["approvalThreshold"] = options.Value.ApprovalThreshold;
        var instance = await runtime.StartInstanceAsync(processId, variables, order.OrderNo, User.UserName(), cancellationToken: HttpContext.RequestAborted);
        Started = processId;
        return Redirect($"/orders/{Uri.EscapeDataString(order.OrderNo)}#instance-{instance.Key}");
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A task's or element's name in the UI language: the definition's Chinese name, or its <c>name.en</c> property.</summary>
    public static string TaskName(UserTaskRow task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) && task.Properties is { } properties
            && JsonNode.Parse(properties) is JsonObject map && map["name.en"] is JsonValue english)
        {
            return english.ToString();
        }

        return task.Name ?? task.ElementId;
    }

    /// <summary>The task's candidate roles; the column holds a JSON array or, from older rows, comma-separated keys.</summary>
    public static IReadOnlyList<string> Candidates(UserTaskRow task)
    {
        var text = task?.CandidateGroups?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        return text.StartsWith('[') && JsonNode.Parse(text) is JsonArray groups
            ? [.. groups.Select(g => g?.ToString() ?? "")]
            : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
