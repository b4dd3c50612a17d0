using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Persistence;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Orders;

/// <summary>The order screens: list with filters and empty state, the create form with errors per field, the detail page and its actions.</summary>
public sealed class OrderPagesTests(OrderAppFixture fixture) : IClassFixture<OrderAppFixture>
{
    private async Task CreateByApiAsync(string orderNo)
    {
        using var api = fixture.ApiClient("zhang.wei");
        using var response = await api.PostAsync(new Uri("/api/orders", UriKind.Relative), new StringContent(OrderAppFixture.ValidOrderJson(orderNo), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string action, Dictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(new Uri(page, UriKind.Relative));
        fields["__RequestVerificationToken"] = HttpExtensions.AntiforgeryToken(html);
        using var form = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(action, UriKind.Relative), form);
    }

    [Fact]
    public async Task List_OrderCreated_ShownWithRightAlignedAmountAndTheNavigationEntry()
    {
        await CreateByApiAsync("PG-LIST-1");
        using var client = await fixture.SignedInAsync("zhang.wei");

        var html = await client.GetStringAsync(new Uri("/orders?Filter.Customer=PG-LIST", UriKind.Relative));

        Assert.Contains("href=\"/orders/PG-LIST-1\"", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"text-end font-monospace\">50,000.00", html, StringComparison.Ordinal);
        Assert.Contains("评审中", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/orders\"", html, StringComparison.Ordinal);
        Assert.Contains("table-sticky", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_DemoMode_TheSeededOrdersAreOrdersWithTheirProcedure()
    {
        using var client = await fixture.SignedInAsync("zhang.wei");

        var html = await client.GetStringAsync(new Uri("/orders?Filter.Customer=SO-2026-01", UriKind.Relative));

        Assert.Contains("href=\"/orders/SO-2026-0101\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/orders/SO-2026-0102\"", html, StringComparison.Ordinal);
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        Assert.True(await db.ProcessInstances.AnyAsync(i => i.BusinessKey == "SO-2026-0101" && i.BpmnProcessId == "order-fulfilment"));
    }

    [Fact]
    public async Task List_FilterMatchesNothing_EmptyStateSaysSo()
    {
        using var client = await fixture.SignedInAsync("zhang.wei", "en");

        var html = await client.GetStringAsync(new Uri("/orders?Filter.Customer=nobody-at-all&Filter.Status=shipped", UriKind.Relative));

        Assert.Contains("data-testid=\"orders-empty\"", html, StringComparison.Ordinal);
        Assert.Contains("没有符合筛选条件的订单", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_BadInput_400WithAnErrorBesideEachField()
    {
        using var client = await fixture.SignedInAsync("zhang.wei");

        using var response = await PostFormAsync(client, "/orders/new", "/orders/new", new()
        {
            ["Input.OrderNo"] = "PG-BAD", ["Input.CustomerName"] = "", ["Input.Currency"] = "CNY", ["Input.DeliveryDate"] = "2026-01-01",
            ["Input.PaymentTerms"] = "tt-deposit", ["Input.OrderType"] = "standard", ["Input.InspectionMode"] = "",
            ["Input.Lines[0].Product"] = "减速机", ["Input.Lines[0].Quantity"] = "0", ["Input.Lines[0].UnitPrice"] = "10",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        foreach (var field in new[] { "customerName", "deliveryDate", "inspectionMode", "lines[0].quantity" })
        {
            Assert.Contains($"data-error-for=\"{field}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("交货期必须晚于今天。", html, StringComparison.Ordinal);
        Assert.Contains("value=\"PG-BAD\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_ValidForm_RedirectsToTheOrderWithItsReviewsOpen()
    {
        using var client = await fixture.SignedInAsync("chen.jing");

        using var response = await PostFormAsync(client, "/orders/new", "/orders/new", new()
        {
            ["Input.OrderNo"] = "PG-NEW-1", ["Input.CustomerName"] = "南方五金", ["Input.Currency"] = "CNY", ["Input.DeliveryDate"] = "2026-05-15",
            ["Input.PaymentTerms"] = "lc", ["Input.OrderType"] = "non-standard", ["Input.InspectionMode"] = "third-party",
            ["Input.Lines[0].Product"] = "齿轮箱", ["Input.Lines[0].Quantity"] = "20", ["Input.Lines[0].UnitPrice"] = "1500",
            ["Input.Lines[1].Product"] = "", ["Input.DataComplete"] = "true",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/orders/PG-NEW-1", response.Headers.Location?.OriginalString);
        var html = await client.GetStringAsync(response.Headers.Location);
        Assert.Contains("齿轮箱", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"order-tasks\"", html, StringComparison.Ordinal);
        Assert.Contains("订单评审与跟踪", html, StringComparison.Ordinal);
        Assert.Contains("订单已登记", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_CancellationConfirmed_StartsTheCancellationProcedureForThisOrder()
    {
        await CreateByApiAsync("PG-CANCEL-1");
        using var client = await fixture.SignedInAsync("zhang.wei");
        var page = await client.GetStringAsync(new Uri("/orders/PG-CANCEL-1", UriKind.Relative));
        Assert.Contains("订单流程及其全部待办任务和定时器将终止", page, StringComparison.Ordinal);

        using var response = await PostFormAsync(client, "/orders/PG-CANCEL-1", "/orders/PG-CANCEL-1?handler=Cancel", new() { ["reason"] = "客户项目取消" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        Assert.Single(await db.ProcessInstances.Where(i => i.BusinessKey == "PG-CANCEL-1" && i.BpmnProcessId == "order-cancellation").ToListAsync());
    }

    [Fact]
    public async Task Detail_ChangeWithNewDeliveryDate_StartsTheChangeWithTheDate()
    {
        await CreateByApiAsync("PG-CHANGE-1");
        using var client = await fixture.SignedInAsync("zhang.wei");

        using var response = await PostFormAsync(client, "/orders/PG-CHANGE-1", "/orders/PG-CHANGE-1?handler=Change",
            new() { ["reason"] = "客户要求推迟交货", ["newDeliveryDate"] = "2026-05-11" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var change = await db.ProcessInstances.SingleAsync(i => i.BusinessKey == "PG-CHANGE-1" && i.BpmnProcessId == "order-change");
        Assert.Contains("\"newDeliveryDate\":\"2026-05-11\"", change.StateJson, StringComparison.Ordinal);
        Assert.Contains("\"changeSource\":\"order-page\"", change.StateJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_OrderProcedureWaitsForATimer_ScheduledCardNamesItWithItsTime()
    {
        await CreateByApiAsync("PG-TIMER-1");
        await using (var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            // The row the engine writes when the order procedure reaches the inspection notice (after the production order).
            var instance = await db.ProcessInstances.SingleAsync(i => i.BusinessKey == "PG-TIMER-1" && i.BpmnProcessId == "order-fulfilment");
            var due = new DateTimeOffset(2026, 4, 13, 8, 30, 0, TimeSpan.FromHours(8));
            db.Jobs.Add(new WorkflowOrders.Persistence.Entities.JobRow
            {
                Id = 9_100_000_000_000_001, Kind = "timer", Type = "timer", InstanceKey = instance.Key, ElementInstanceKey = 9_100_000_000_000_002,
                Payload = "{\"elementId\":\"Timer_InspectionNotice\",\"processId\":\"order-fulfilment\"}", DueAt = due, CreatedAt = due.AddDays(-30),
            });
            await db.SaveChangesAsync();
        }

        using var client = await fixture.SignedInAsync("chen.jing");
        var html = await client.GetStringAsync(new Uri("/orders/PG-TIMER-1", UriKind.Relative));

        Assert.Contains("data-testid=\"order-timers\"", html, StringComparison.Ordinal);
        Assert.Matches("data-element=\"Timer_InspectionNotice\">\\s*<div>.*验货通知时间</div>\\s*<div class=\"small text-secondary\"><span data-testid=\"timer-due\">2026-04-13 08:30</span>", html);
    }

    [Fact]
    public async Task Detail_AsQualityInspector_NoActionsAndTheFormIsForbidden()
    {
        await CreateByApiAsync("PG-QA-1");
        using var client = await fixture.SignedInAsync("huang.qiang");

        var html = await client.GetStringAsync(new Uri("/orders/PG-QA-1", UriKind.Relative));
        using var form = await client.GetAsync(new Uri("/orders/new", UriKind.Relative));

        Assert.DoesNotContain("data-testid=\"order-actions\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, form.StatusCode);
    }

    [Fact]
    public async Task Detail_UnknownOrder_404()
    {
        using var client = await fixture.SignedInAsync("zhang.wei");

        using var response = await client.GetAsync(new Uri("/orders/NO-SUCH", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
