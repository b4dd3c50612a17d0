using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Orders;
using WorkflowOrders.Web.Features.Work;
using WorkflowOrders.Web.Hosting;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Orders;

/// <summary>
/// One order: its data and lines, its procedures (instances with the order number as business key), their open
/// tasks, the timeline; and the order desk's buttons to raise a change, a cancellation or a nonconformance report —
/// each starts that procedure for this order with the order's variables.
/// </summary>
[Authorize]
public sealed class DetailModel(OrderService orders, OrderDocumentService documents, OrderSchedule schedule, PeopleNames people, WorkflowRuntime runtime, IAuthorizationService authorization, IOptions<WorkflowOrdersOptions> options, TimeProvider time) : PageModel
{
    public OrderDetail Detail { get; private set; } = null!;

    public bool CanAct { get; private set; }

    public bool CanAttach { get; private set; }

    /// <summary>Timers the order's running procedures wait for (the inspection notice among them), soonest first.</summary>
    public IReadOnlyList<ScheduledTimer> Timers { get; private set; } = [];

    public long MaxDocumentBytes => documents.MaxBytes;

    /// <summary>Display names of the people on the page (uploaders, escalation recipients).</summary>
    public IReadOnlyDictionary<string, string> Names { get; private set; } = new Dictionary<string, string>();

    /// <summary>Why the last upload was refused (resource key), shown beside the upload form.</summary>
    public string? DocumentError { get; private set; }

    [TempData]
    public string? Started { get; set; }

    [TempData]
    public string? Attached { get; set; }

    public async Task<IActionResult> OnGetAsync(string orderNo) =>
        await LoadAsync(orderNo) ? Page() : NotFound();

    /// <summary>Attaches a file (multipart field <c>file</c>, optional <c>category</c>) and records it on the timeline.</summary>
    public async Task<IActionResult> OnPostDocumentAsync(string orderNo, IFormFile? file, string? category)
    {
        var detail = await orders.DetailAsync(orderNo, HttpContext.RequestAborted);
        if (detail is null)
        {
            return NotFound();
        }

        AttachResult result;
        if (file is null)
        {
            result = AttachResult.Refused(OrderDocumentService.Empty);
        }
        else
        {
            await using var content = file.OpenReadStream();
            result = await documents.AttachAsync(User, detail.Order, file.FileName, file.ContentType, category, content, file.Length, HttpContext.RequestAborted);
        }

        if (result.Document is { } stored)
        {
            Attached = stored.FileName;
            return Redirect($"/orders/{Uri.EscapeDataString(detail.Order.OrderNo)}#documents");
        }

        await LoadAsync(orderNo);
        DocumentError = result.ErrorKey;
        // The page itself says why, beside the upload field: not the generic status page.
        HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>()?.Enabled = false;
        Response.StatusCode = result.ErrorKey switch
        {
            OrderDocumentService.NotAllowed => StatusCodes.Status403Forbidden,
            OrderDocumentService.TooLarge => StatusCodes.Status413PayloadTooLarge,
            _ => StatusCodes.Status400BadRequest,
        };
        return Page();
    }

    /// <summary><c>?handler=Document&amp;id=…</c>: the file as a download (never shown inline: an uploaded page must not run here).</summary>
    public async Task<IActionResult> OnGetDocumentAsync(string orderNo, long id)
    {
        var detail = await orders.DetailAsync(orderNo, HttpContext.RequestAborted);
        var document = detail is null ? null : await documents.FindAsync(detail.Order.Id, id, HttpContext.RequestAborted);
        if (document is null)
        {
            return NotFound();
        }

        Response.Headers.XContentTypeOptions = "nosniff";
        return new FileContentResult(document.Content, document.ContentType)
        {
            FileDownloadName = document.FileName,
            LastModified = document.UploadedAt,
            EntityTag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue("\"" + document.Sha256 + "\""),
        };
    }

    private async Task<bool> LoadAsync(string orderNo)
    {
        var detail = await orders.DetailAsync(orderNo, HttpContext.RequestAborted);
        if (detail is null)
        {
            return false;
        }

        Detail = detail;
        CanAct = (await authorization.AuthorizeAsync(User, OrderEndpoints.OrderDeskPolicy)).Succeeded;
        CanAttach = await documents.CanAttachAsync(User, detail.Order, HttpContext.RequestAborted);
        Timers = await schedule.TimersAsync(detail.Instances, CultureInfo.CurrentUICulture.Name, HttpContext.RequestAborted);
        Names = await people.ResolveAsync(
            detail.Documents.Select(d => d.UploadedBy).Concat(detail.Timeline.SelectMany(e => e.Recipients.Append(e.Actor ?? ""))), HttpContext.RequestAborted);
        return true;
    }

    /// <summary>A user's display name, or the name as stored (an address, <c>system</c>, a handler's element).</summary>
    public string NameOf(string? userName) => userName is null ? "" : Names.TryGetValue(userName, out var name) ? name : userName;

    /// <summary>1.5 MB, 320 KB, 12 B — binary units, one decimal from KB on.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (bytes / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / (1024d * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
    };

    /// <summary>
    /// Raises a change (订单变更): the order desk classifies it in the procedure's first task. A new delivery date the
    /// customer asked for (optional) is passed as <c>newDeliveryDate</c>, so the change's forms start from it.
    /// </summary>
    public Task<IActionResult> OnPostChangeAsync(string orderNo, string? reason, DateOnly? newDeliveryDate) =>
        StartAsync(orderNo, "order-change", (order, now) =>
        {
            var variables = new JsonObject
            {
                ["changeReason"] = reason ?? "",
                ["changeSource"] = "order-page",
                ["requestedAt"] = now,
                ["deliveryDate"] = Iso(order.DeliveryDate),
                ["hasPrepaymentClause"] = order.HasPrepaymentClause,
                ["hasCommissionClause"] = order.HasCommissionClause,
            };
            if (newDeliveryDate is { } date)
            {
                variables["newDeliveryDate"] = Iso(date);
            }

            return variables;
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
