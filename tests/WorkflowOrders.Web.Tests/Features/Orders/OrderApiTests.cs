using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Orders;

namespace WorkflowOrders.Web.Tests.Features.Orders;

/// <summary><c>POST /api/orders</c>: the order row and its order procedure in one step; problem details on bad input.</summary>
public sealed class OrderApiTests(OrderAppFixture fixture) : IClassFixture<OrderAppFixture>
{
    private static readonly Uri Orders = new("/api/orders", UriKind.Relative);

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ErrorsOfAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("errors").Clone();
    }

    [Fact]
    public async Task Create_ValidOrderAsSales_201AndTheOrderProcedureStartedWithTheOrdersVariables()
    {
        using var client = fixture.ApiClient("zhang.wei");

        using var response = await client.PostAsync(Orders, Body(OrderAppFixture.ValidOrderJson("API-1")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/orders/API-1", response.Headers.Location?.OriginalString);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var body = doc.RootElement;
        Assert.Equal(("in-review", 50000m), (body.GetProperty("status").GetString(), body.GetProperty("totalAmount").GetDecimal()));
        var instanceKey = long.Parse(body.GetProperty("processInstanceKey").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        var runtime = fixture.App.Services.GetRequiredService<WorkflowRuntime>();
        await using var uow = await runtime.Store.BeginAsync();
        var instance = (await uow.LoadInstanceAsync(instanceKey))!;
        Assert.Equal(("order-fulfilment", "API-1"), (instance.ProcessId, instance.BusinessKey));
        var v = instance.Variables;
        Assert.Equal((50000m, 250000m, "2026-04-20", "tt-deposit", "standard", "company"),
            (v["amount"]!.GetValue<decimal>(), v["approvalThreshold"]!.GetValue<decimal>(), v["deliveryDate"]!.GetValue<string>(),
             v["paymentTerms"]!.GetValue<string>(), v["orderType"]!.GetValue<string>(), v["inspectionMode"]!.GetValue<string>()));
        Assert.True(v["hasCommissionClause"]!.GetValue<bool>());
        Assert.Equal("华东机械", v["customer"]!["name"]!.GetValue<string>());
        Assert.Equal(2, v["lines"]!.AsArray().Count);

        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var order = await db.Orders.Include(o => o.Lines).SingleAsync(o => o.OrderNo == "API-1");
        Assert.Equal(("zhang.wei", OrderAppFixture.Now), (order.CreatedBy, order.CreatedAt));
        Assert.Equal(2, order.Lines.Count);
        Assert.Single(await db.OrderEvents.Where(e => e.OrderId == order.Id).ToListAsync(), e => e.Kind == OrderEventKinds.Created);
        // The reviews are open at once, one working day after receipt.
        Assert.Contains(await db.UserTasks.Where(t => t.BusinessKey == "API-1").Select(t => t.ElementId).ToListAsync(), id => id == "Review_Sales");
    }

    [Fact]
    public async Task Create_BadInput_400ListsEveryFieldError()
    {
        using var client = fixture.ApiClient("zhang.wei");
        const string json = """
            {"orderNo":"API-BAD","customerName":"","currency":"XYZ","deliveryDate":"2026-03-10","paymentTerms":"cash","orderType":"standard",
             "inspectionMode":"nobody","lines":[{"product":"减速机","quantity":0,"unitPrice":-1}]}
            """;

        using var response = await client.PostAsync(Orders, Body(json));

        var errors = await ErrorsOfAsync(response);
        var fields = errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["currency", "customerName", "deliveryDate", "inspectionMode", "lines[0].quantity", "lines[0].unitPrice", "paymentTerms"], fields);
        // Messages follow the user's language (the demo users read Chinese).
        Assert.Equal("交货期必须晚于今天。", errors.GetProperty("deliveryDate")[0].GetString());
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Orders.AnyAsync(o => o.OrderNo == "API-BAD"));
        Assert.False(await db.ProcessInstances.AnyAsync(i => i.BusinessKey == "API-BAD"));
    }

    [Fact]
    public async Task Create_NoLines_400OnLines()
    {
        using var client = fixture.ApiClient("zhang.wei");

        using var response = await client.PostAsync(Orders, Body(OrderAppFixture.ValidOrderJson("API-2").Replace("\"lines\":[", "\"lines\":[],\"x\":[", StringComparison.Ordinal)));

        Assert.Equal("订单至少需要一行明细。", (await ErrorsOfAsync(response)).GetProperty("lines")[0].GetString());
    }

    [Fact]
    public async Task Create_QuantityNotANumber_400NamesTheField()
    {
        using var client = fixture.ApiClient("zhang.wei");

        using var response = await client.PostAsync(Orders, Body(OrderAppFixture.ValidOrderJson("API-3").Replace("\"quantity\":50", "\"quantity\":\"many\"", StringComparison.Ordinal)));

        Assert.True((await ErrorsOfAsync(response)).TryGetProperty("lines[1].quantity", out _));
    }

    [Fact]
    public async Task Create_OrderNumberTaken_400OnOrderNo()
    {
        using var client = fixture.ApiClient("chen.jing");
        using var first = await client.PostAsync(Orders, Body(OrderAppFixture.ValidOrderJson("API-4")));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var second = await client.PostAsync(Orders, Body(OrderAppFixture.ValidOrderJson("API-4")));

        Assert.Equal("该订单号已存在。", (await ErrorsOfAsync(second)).GetProperty("orderNo")[0].GetString());
    }

    [Fact]
    public async Task Create_ForeignCurrencyWithoutCnyAmount_400OnAmountCny()
    {
        using var client = fixture.ApiClient("zhang.wei");

        using var response = await client.PostAsync(Orders, Body(OrderAppFixture.ValidOrderJson("API-5").Replace("\"currency\":\"CNY\"", "\"currency\":\"USD\"", StringComparison.Ordinal)));

        Assert.True((await ErrorsOfAsync(response)).TryGetProperty("amountCny", out _));
    }

    [Fact]
    public async Task Create_AsQualityInspector_403()
    {
        using var client = fixture.ApiClient("huang.qiang");

        using var response = await client.PostAsync(Orders, Body(OrderAppFixture.ValidOrderJson("API-6")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
