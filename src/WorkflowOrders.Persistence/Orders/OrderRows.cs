using WorkflowOrders.Persistence.Entities;

namespace WorkflowOrders.Persistence.Orders;

/// <summary>An order (procedures.md §2, 订单信息). Its procedures find it by <see cref="OrderNo"/>, their business key.</summary>
public sealed class OrderRow : IRevisioned
{
    public long Id { get; set; }
    public required string OrderNo { get; set; }
    public required string CustomerName { get; set; }
    public string? CustomerContact { get; set; }
    public string? CustomerPhone { get; set; }
    public string? CustomerEmail { get; set; }
    public required string Currency { get; set; }
    public decimal TotalAmount { get; set; }
    public DateOnly DeliveryDate { get; set; }
    public string? DeliveryPlace { get; set; }
    public string? QualityRequirements { get; set; }
    public string? PackagingRequirements { get; set; }
    public string? TransportRequirements { get; set; }

    /// <summary>One of <see cref="OrderVocabulary.PaymentTerms"/>.</summary>
    public required string PaymentTerms { get; set; }

    /// <summary><c>standard</c> or <c>non-standard</c>.</summary>
    public required string OrderType { get; set; }

    /// <summary>One of <see cref="OrderVocabulary.InspectionModes"/>.</summary>
    public required string InspectionMode { get; set; }

    /// <summary>User name of the merchandiser (跟单员) who follows the order.</summary>
    public string? Merchandiser { get; set; }
    public bool HasPrepaymentClause { get; set; }
    public bool HasCommissionClause { get; set; }

    /// <summary>One of <see cref="OrderVocabulary.Statuses"/>.</summary>
    public required string Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? CancellationReason { get; set; }
    public int Revision { get; set; }

    public List<OrderLineRow> Lines { get; } = [];
}

/// <summary>One line of an order: product, specification/model, quantity, unit price.</summary>
public sealed class OrderLineRow
{
    public long Id { get; set; }
    public long OrderId { get; set; }

    /// <summary>1-based position, the number a change request names ("line 2: 500").</summary>
    public int LineNo { get; set; }
    public required string Product { get; set; }
    public string? Specification { get; set; }
    public decimal Quantity { get; set; }
    public decimal UnitPrice { get; set; }
}

/// <summary>
/// The order's timeline: created, status changes, changes applied, cancellation, documents attached. A row written by a task handler
/// carries its job's key (unique), so a handler that runs again finds its entry and writes nothing twice.
/// </summary>
public sealed class OrderEventRow
{
    public long Id { get; set; }
    public long OrderId { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>One of <see cref="OrderEventKinds"/>.</summary>
    public required string Kind { get; set; }
    public string? Status { get; set; }

    /// <summary>JSON object text (what changed, the reason …).</summary>
    public string? Details { get; set; }
    public string? Actor { get; set; }
    public long? InstanceKey { get; set; }
    public long? JobKey { get; set; }
}

public static class OrderEventKinds
{
    public const string Created = "created";
    public const string Status = "status";
    public const string Changed = "changed";
    public const string Cancelled = "cancelled";

    /// <summary>A file attached to the order (details: documentId, fileName, size, category).</summary>
    public const string Document = "document";
}

/// <summary>The order's enumerations as the procedures' variables spell them (docs/procedures.md).</summary>
public static class OrderVocabulary
{
    public const string InReview = "in-review";
    public const string Approved = "approved";
    public const string InProduction = "in-production";
    public const string Shipped = "shipped";
    public const string Closed = "closed";
    public const string Declined = "declined";
    public const string Cancelled = "cancelled";

    public static IReadOnlyList<string> Statuses { get; } = [InReview, Approved, InProduction, Shipped, Closed, Declined, Cancelled];

    public static IReadOnlyList<string> OrderTypes { get; } = ["standard", "non-standard"];

    public static IReadOnlyList<string> PaymentTerms { get; } = ["tt-deposit", "lc", "open-account"];

    public static IReadOnlyList<string> InspectionModes { get; } = ["company", "customer", "third-party"];

    /// <summary>Statuses after which nothing more happens to the order.</summary>
    public static bool IsFinal(string status) => status is Closed or Declined or Cancelled;
}
