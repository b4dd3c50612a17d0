using System.Globalization;
using System.Text.RegularExpressions;
using WorkflowOrders.Persistence.Orders;

namespace WorkflowOrders.Web.Features.Orders;

/// <summary>A new order as the form and <c>POST /api/orders</c> send it (procedures.md §2, 订单信息).</summary>
public sealed class OrderInput
{
    public string? OrderNo { get; set; }
    public string? CustomerName { get; set; }
    public string? CustomerContact { get; set; }
    public string? CustomerPhone { get; set; }
    public string? CustomerEmail { get; set; }
    public string? Currency { get; set; } = "CNY";

    /// <summary>The amount in CNY the approval threshold is compared with; required when <see cref="Currency"/> is not CNY.</summary>
    public decimal? AmountCny { get; set; }

    /// <summary><c>yyyy-MM-dd</c>.</summary>
    public string? DeliveryDate { get; set; }
    public string? DeliveryPlace { get; set; }
    public string? QualityRequirements { get; set; }
    public string? PackagingRequirements { get; set; }
    public string? TransportRequirements { get; set; }
    public string? PaymentTerms { get; set; }
    public string? OrderType { get; set; }
    public string? InspectionMode { get; set; }
    public string? Merchandiser { get; set; }
    public bool HasPrepaymentClause { get; set; }
    public bool HasCommissionClause { get; set; }

    /// <summary>False when data is missing or doubtful: the procedure starts with clarifying it with the customer.</summary>
    public bool DataComplete { get; set; } = true;

    public List<OrderLineInput> Lines { get; set; } = [];

    public decimal Total => Lines.Sum(l => (l.Quantity ?? 0) * (l.UnitPrice ?? 0));
}

public sealed class OrderLineInput
{
    public string? Product { get; set; }
    public string? Specification { get; set; }
    public decimal? Quantity { get; set; }
    public decimal? UnitPrice { get; set; }
}

/// <summary>One field error: the field's path as the client sent it (<c>lines[1].quantity</c>) and the resource key of the message.</summary>
public sealed record FieldError(string Field, string MessageKey);

/// <summary>The rules of a new order, shared by the form and the API.</summary>
public static partial class OrderRules
{
    /// <summary>Currencies the order desk trades in (ISO 4217).</summary>
    public static IReadOnlyList<string> Currencies { get; } = ["CNY", "USD", "EUR", "JPY", "HKD", "GBP"];

    public static List<FieldError> Validate(OrderInput input, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new List<FieldError>();
        Required(errors, "orderNo", input.OrderNo);
        if (!string.IsNullOrWhiteSpace(input.OrderNo) && !OrderNoPattern().IsMatch(input.OrderNo.Trim()))
        {
            errors.Add(new("orderNo", "Orders.Error.OrderNo"));
        }

        Required(errors, "customerName", input.CustomerName);
        if (!string.IsNullOrWhiteSpace(input.CustomerEmail) && !EmailPattern().IsMatch(input.CustomerEmail.Trim()))
        {
            errors.Add(new("customerEmail", "Orders.Error.Email"));
        }

        if (string.IsNullOrWhiteSpace(input.Currency))
        {
            errors.Add(new("currency", "Orders.Error.Required"));
        }
        else if (!Currencies.Contains(input.Currency.Trim().ToUpperInvariant()))
        {
            errors.Add(new("currency", "Orders.Error.Currency"));
        }
        else if (!string.Equals(input.Currency.Trim(), "CNY", StringComparison.OrdinalIgnoreCase) && input.AmountCny is not > 0)
        {
            errors.Add(new("amountCny", "Orders.Error.AmountCny"));
        }

        if (string.IsNullOrWhiteSpace(input.DeliveryDate))
        {
            errors.Add(new("deliveryDate", "Orders.Error.Required"));
        }
        else if (!TryParseDate(input.DeliveryDate, out var delivery))
        {
            errors.Add(new("deliveryDate", "Orders.Error.Date"));
        }
        else if (delivery <= today)
        {
            errors.Add(new("deliveryDate", "Orders.Error.DateInFuture"));
        }

        Known(errors, "paymentTerms", input.PaymentTerms, OrderVocabulary.PaymentTerms);
        Known(errors, "orderType", input.OrderType, OrderVocabulary.OrderTypes);
        Known(errors, "inspectionMode", input.InspectionMode, OrderVocabulary.InspectionModes);

        if (input.Lines.Count == 0)
        {
            errors.Add(new("lines", "Orders.Error.NoLines"));
        }

        for (var i = 0; i < input.Lines.Count; i++)
        {
            var line = input.Lines[i];
            Required(errors, $"lines[{i}].product", line.Product);
            if (line.Quantity is not > 0)
            {
                errors.Add(new($"lines[{i}].quantity", "Orders.Error.Positive"));
            }

            if (line.UnitPrice is not > 0)
            {
                errors.Add(new($"lines[{i}].unitPrice", "Orders.Error.Positive"));
            }
        }

        return errors;
    }

    public static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static void Required(List<FieldError> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, "Orders.Error.Required"));
        }
    }

    private static void Known(List<FieldError> errors, string field, string? value, IReadOnlyList<string> known)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, "Orders.Error.Required"));
        }
        else if (!known.Contains(value.Trim()))
        {
            errors.Add(new(field, "Orders.Error.Unknown"));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")]
    private static partial Regex OrderNoPattern();

    [GeneratedRegex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")]
    private static partial Regex EmailPattern();
}
