using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Orders;
using WorkflowOrders.Web.Hosting;
using WorkflowOrders.Web.People;

namespace WorkflowOrders.Web.Features.Orders;

/// <summary>The outcome of creating an order: the order and its started procedure, or the field errors.</summary>
public sealed record CreateOrderResult(OrderRow? Order, long? InstanceKey, IReadOnlyList<FieldError> Errors);

/// <summary>Creates orders (the row and its order procedure in one transaction) and reads them for the screens.</summary>
public sealed class OrderService(WorkflowRuntime runtime, IDbContextFactory<WorkflowDbContext> contexts, IOptions<WorkflowOrdersOptions> options, TimeProvider time)
{
    public const string FulfilmentProcessId = "order-fulfilment";

    /// <summary>The company's date today (the calendar's zone): a delivery date must come after it.</summary>
    public DateOnly Today() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(AppUser.DefaultTimeZone)).DateTime);

    public async Task<CreateOrderResult> CreateAsync(OrderInput input, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = OrderRules.Validate(input, Today());
        if (errors.Count > 0)
        {
            return new(null, null, errors);
        }

        var orderNo = input.OrderNo!.Trim();
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await db.Orders.AnyAsync(o => o.OrderNo == orderNo, cancellationToken).ConfigureAwait(false))
            {
                return new(null, null, [new FieldError("orderNo", "Orders.Error.Duplicate")]);
            }
        }

        try
        {
            // The order row and the started procedure commit together or not at all.
            var (order, instance) = await runtime.RunAsync(async session =>
            {
                var db = EfWorkflowStore.ContextOf(session.UnitOfWork);
                var now = time.GetUtcNow();
                var order = ToRow(input, orderNo, actor, now);
                db.Orders.Add(order);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                db.OrderEvents.Add(new OrderEventRow { OrderId = order.Id, At = now, Kind = OrderEventKinds.Created, Status = order.Status, Actor = actor });
                var definition = await session.UnitOfWork.FindLatestDefinitionAsync(FulfilmentProcessId).ConfigureAwait(false)
                    ?? throw CommandRejectedException.NotFound($"The procedure '{FulfilmentProcessId}' is not deployed.");
                var state = await session.StartAsync(definition, StartVariables(order, input, now), orderNo, actor).ConfigureAwait(false);
                return (order, state);
            }, cancellationToken).ConfigureAwait(false);
            return new(order, instance.Key, []);
        }
        catch (DbUpdateException)
        {
            // Two clerks entering the same order number at once: the unique index decides.
            return new(null, null, [new FieldError("orderNo", "Orders.Error.Duplicate")]);
        }
    }

    private static OrderRow ToRow(OrderInput input, string orderNo, string? actor, DateTimeOffset now)
    {
        var order = new OrderRow
        {
            OrderNo = orderNo,
            CustomerName = input.CustomerName!.Trim(),
            CustomerContact = Clean(input.CustomerContact),
            CustomerPhone = Clean(input.CustomerPhone),
            CustomerEmail = Clean(input.CustomerEmail),
            Currency = input.Currency!.Trim().ToUpperInvariant(),
            TotalAmount = input.Total,
            DeliveryDate = OrderRules.TryParseDate(input.DeliveryDate!, out var date) ? date : throw new InvalidOperationException("validated"),
            DeliveryPlace = Clean(input.DeliveryPlace),
            QualityRequirements = Clean(input.QualityRequirements),
            PackagingRequirements = Clean(input.PackagingRequirements),
            TransportRequirements = Clean(input.TransportRequirements),
            PaymentTerms = input.PaymentTerms!.Trim(),
            OrderType = input.OrderType!.Trim(),
            InspectionMode = input.InspectionMode!.Trim(),
            Merchandiser = Clean(input.Merchandiser),
            HasPrepaymentClause = input.HasPrepaymentClause,
            HasCommissionClause = input.HasCommissionClause,
            Status = OrderVocabulary.InReview,
            CreatedAt = now,
            CreatedBy = actor,
        };
        for (var i = 0; i < input.Lines.Count; i++)
        {
            var line = input.Lines[i];
            order.Lines.Add(new OrderLineRow { LineNo = i + 1, Product = line.Product!.Trim(), Specification = Clean(line.Specification), Quantity = line.Quantity!.Value, UnitPrice = line.UnitPrice!.Value });
        }

        return order;
    }

    /// <summary>The start variables docs/procedures.md lists for order-fulfilment.</summary>
    private JsonObject StartVariables(OrderRow order, OrderInput input, DateTimeOffset now)
    {
        var lines = new JsonArray();
        foreach (var line in order.Lines)
        {
            lines.Add(new JsonObject { ["lineNo"] = line.LineNo, ["product"] = line.Product, ["specification"] = line.Specification, ["quantity"] = line.Quantity, ["unitPrice"] = line.UnitPrice });
        }

        return new JsonObject
        {
            ["orderNo"] = order.OrderNo,
            ["customer"] = new JsonObject { ["name"] = order.CustomerName, ["contact"] = order.CustomerContact, ["phone"] = order.CustomerPhone, ["email"] = order.CustomerEmail },
            ["lines"] = lines,
            ["amount"] = order.Currency == "CNY" ? order.TotalAmount : input.AmountCny,
            ["currency"] = order.Currency,
            ["totalAmount"] = order.TotalAmount,
            ["deliveryDate"] = order.DeliveryDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["deliveryPlace"] = order.DeliveryPlace,
            ["orderType"] = order.OrderType,
            ["paymentTerms"] = order.PaymentTerms,
            ["inspectionMode"] = order.InspectionMode,
            ["hasPrepaymentClause"] = order.HasPrepaymentClause,
            ["hasCommissionClause"] = order.HasCommissionClause,
            ["merchandiser"] = order.Merchandiser,
            ["receivedAt"] = now.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
            ["approvalThreshold"] = options.Value.ApprovalThreshold,
            ["dataComplete"] = input.DataComplete,
        };
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    // ------------------------------------------------------------------ reading, for the screens

    public async Task<(IReadOnlyList<OrderRow> Rows, int Total)> ListAsync(OrderFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Orders.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Status))
        {
            query = query.Where(o => o.Status == filter.Status);
        }

        if (!string.IsNullOrWhiteSpace(filter.Customer))
        {
            var customer = filter.Customer.Trim();
            query = query.Where(o => o.CustomerName.Contains(customer) || o.OrderNo.Contains(customer));
        }

        if (filter.DeliveryFrom is { } from)
        {
            query = query.Where(o => o.DeliveryDate >= from);
        }

        if (filter.DeliveryTo is { } to)
        {
            query = query.Where(o => o.DeliveryDate <= to);
        }

        var total = await query.CountAsync(cancellationToken).ConfigureAwait(false);
        var rows = await query.OrderBy(o => o.DeliveryDate).ThenBy(o => o.OrderNo)
            .Skip((Math.Max(filter.Page, 1) - 1) * OrderFilter.PageSize).Take(OrderFilter.PageSize)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return (rows, total);
    }

    public async Task<OrderDetail?> DetailAsync(string orderNo, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines).SingleOrDefaultAsync(o => o.OrderNo == orderNo, cancellationToken).ConfigureAwait(false);
        if (order is null)
        {
            return null;
        }

        var instances = await db.ProcessInstances.AsNoTracking().Where(i => i.BusinessKey == orderNo).OrderBy(i => i.Key).ToListAsync(cancellationToken).ConfigureAwait(false);
        var tasks = await db.UserTasks.AsNoTracking().Where(t => t.BusinessKey == orderNo && t.State == WorkflowOrders.Persistence.Entities.UserTaskState.Created).OrderBy(t => t.Key).ToListAsync(cancellationToken).ConfigureAwait(false);
        var events = await db.OrderEvents.AsNoTracking().Where(e => e.OrderId == order.Id).OrderBy(e => e.Id).ToListAsync(cancellationToken).ConfigureAwait(false);

        // Escalations are recorded on the instance (audit) by the escalation job; the order's timeline shows those of all its procedures.
        var instanceKeys = instances.Select(i => i.Key).ToList();
        var escalations = await db.AuditEvents.AsNoTracking()
            .Where(a => a.InstanceKey != null && instanceKeys.Contains(a.InstanceKey.Value) && (a.Kind == "escalation" || a.Kind == "escalation-unaddressed"))
            .OrderBy(a => a.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var escalatedKeys = escalations.Select(a => OrderTimelineEntry.TaskKeyOf(a.Details)).OfType<long>().Distinct().ToList();
        var escalatedTasks = escalatedKeys.Count == 0
            ? new Dictionary<long, UserTaskRow>()
            : await db.UserTasks.AsNoTracking().Where(t => escalatedKeys.Contains(t.Key)).ToDictionaryAsync(t => t.Key, cancellationToken).ConfigureAwait(false);
        var timeline = events.Select(OrderTimelineEntry.FromEvent)
            .Concat(escalations.Select(a => OrderTimelineEntry.FromEscalation(a, escalatedTasks)))
            .OrderBy(e => e.At).ToList();

        var documents = await db.OrderDocuments.AsNoTracking().Where(d => d.OrderId == order.Id)
            .Select(d => new OrderDocumentInfo(d.Id, d.FileName, d.ContentType, d.Size, d.Category, d.UploadedBy, d.UploadedAt))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        order.Lines.Sort((a, b) => a.LineNo.CompareTo(b.LineNo));
        return new OrderDetail(order, instances, tasks, timeline, [.. documents.OrderByDescending(d => d.UploadedAt).ThenByDescending(d => d.Id)]);
    }
}

public sealed record OrderDetail(OrderRow Order, IReadOnlyList<ProcessInstanceRow> Instances, IReadOnlyList<UserTaskRow> OpenTasks, IReadOnlyList<OrderTimelineEntry> Timeline, IReadOnlyList<OrderDocumentInfo> Documents);

/// <summary>Filters of the order list; bound from the query string.</summary>
public sealed class OrderFilter
{
    public const int PageSize = 25;

    public string? Status { get; set; }
    public string? Customer { get; set; }
    public DateOnly? DeliveryFrom { get; set; }
    public DateOnly? DeliveryTo { get; set; }
    public int Page { get; set; } = 1;
}
