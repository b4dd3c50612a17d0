using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Persistence.Orders;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Orders;

/// <summary>The order desk's part of the host: services, the policy and <c>/api/orders</c>.</summary>
public static class OrderEndpoints
{
    /// <summary>Records orders and raises changes, cancellations and nonconformance reports: sales, merchandiser, admin.</summary>
    public const string OrderDeskPolicy = "OrderDesk";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WebApplicationBuilder AddOrders(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<OrderService>();
        builder.Services.AddSingleton<OrderDocumentService>();
        builder.Services.AddSingleton<OrderSchedule>();
        builder.Services.AddSingleton<Tracking.TrackingBoard>();
        builder.Services.AddSingleton<Reports.ReportQueries>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(OrderDeskPolicy, p => p.RequireRole(Roles.Sales, Roles.Merchandiser, Roles.Admin));
        return builder;
    }

    public static IEndpointRouteBuilder MapOrderEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/orders", CreateAsync).RequireAuthorization(OrderDeskPolicy);
        endpoints.MapGet("/api/orders/{orderNo}", GetAsync).RequireAuthorization();
        return endpoints;
    }

    /// <summary>
    /// <c>POST /api/orders</c>: 201 with the order and the started order procedure's key; 400 problem details listing
    /// every field error (body unreadable, missing or unknown values, non-positive quantities or prices, a past
    /// delivery date, an order number already used).
    /// </summary>
    private static async Task<IResult> CreateAsync(HttpRequest request, ClaimsPrincipal user, OrderService orders, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        OrderInput? input;
        try
        {
            input = await JsonSerializer.DeserializeAsync<OrderInput>(request.Body, Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) ? "body" : e.Path.TrimStart('$', '.');
            return Invalid([new FieldError(field, "Orders.Error.Unreadable")], text);
        }

        if (input is null)
        {
            return Invalid([new FieldError("body", "Orders.Error.Unreadable")], text);
        }

        input.Lines ??= [];
        var result = await orders.CreateAsync(input, user.UserName(), cancellationToken).ConfigureAwait(false);
        if (result.Errors.Count > 0)
        {
            return Invalid(result.Errors, text);
        }

        var order = result.Order!;
        return Results.Created($"/api/orders/{Uri.EscapeDataString(order.OrderNo)}", ToResponse(order, result.InstanceKey));
    }

    private static async Task<IResult> GetAsync(string orderNo, OrderService orders, CancellationToken cancellationToken)
    {
        var detail = await orders.DetailAsync(orderNo, cancellationToken).ConfigureAwait(false);
        if (detail is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "NOT_FOUND", detail: $"No order '{orderNo}'.");
        }

        var fulfilment = detail.Instances.FirstOrDefault(i => i.BpmnProcessId == OrderService.FulfilmentProcessId);
        return Results.Ok(ToResponse(detail.Order, fulfilment?.Key));
    }

    private static IResult Invalid(IReadOnlyList<FieldError> errors, IStringLocalizer<SharedResource> text) =>
        Results.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => text[e.MessageKey].Value).ToArray()),
            title: "INVALID_ARGUMENT",
            detail: text["Orders.Error.Summary"].Value);

    private static OrderResponse ToResponse(OrderRow order, long? instanceKey) => new(
        order.OrderNo,
        order.Status,
        order.CustomerName,
        order.Currency,
        order.TotalAmount,
        order.DeliveryDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        order.PaymentTerms,
        order.OrderType,
        order.InspectionMode,
        order.Merchandiser,
        order.CreatedAt,
        [.. order.Lines.OrderBy(l => l.LineNo).Select(l => new OrderLineResponse(l.LineNo, l.Product, l.Specification, l.Quantity, l.UnitPrice))],
        instanceKey?.ToString(CultureInfo.InvariantCulture));
}

/// <summary>An order as the API returns it; keys are decimal strings, as everywhere in the API.</summary>
public sealed record OrderResponse(
    string OrderNo, string Status, string CustomerName, string Currency, decimal TotalAmount, string DeliveryDate,
    string PaymentTerms, string OrderType, string InspectionMode, string? Merchandiser, DateTimeOffset CreatedAt,
    IReadOnlyList<OrderLineResponse> Lines, string? ProcessInstanceKey);

public sealed record OrderLineResponse(int LineNo, string Product, string? Specification, decimal Quantity, decimal UnitPrice);
