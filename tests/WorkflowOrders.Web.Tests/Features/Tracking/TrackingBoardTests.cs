using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Web.Features.Tracking;
using WorkflowOrders.Web.Tests.Features.Orders;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Tracking;

/// <summary>The order tracking board: countdown in working days of the 2026 calendar, delay days, exceptions, CSV export.</summary>
public sealed class TrackingBoardTests(OrderAppFixture fixture) : IClassFixture<OrderAppFixture>
{
    private async Task CreateAsync(string orderNo, string delivery = "2026-04-20")
    {
        using var api = fixture.ApiClient("zhang.wei");
        using var response = await api.PostAsync(new Uri("/api/orders", UriKind.Relative), new StringContent(OrderAppFixture.ValidOrderJson(orderNo, delivery), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("2026-03-10", "2026-03-20", 8)]
    [InlineData("2026-03-10", "2026-03-06", -2)]
    [InlineData("2026-04-29", "2026-05-06", 2)] // Labour Day block May 1–5 does not count
    [InlineData("2026-03-10", "2026-03-10", 0)]
    public void WorkingDaysUntil_CnCalendar2026_CountsWorkingDaysAfterToday(string today, string delivery, int expected)
    {
        var calendar = fixture.App.Services.GetRequiredService<ICalendarProvider>().Find(TrackingBoard.CalendarId);
        Assert.NotNull(calendar);

        Assert.Equal(expected, TrackingBoard.WorkingDaysUntil(calendar, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(delivery, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Board_NewOrder_ShowsTheReviewsAsStageAndTheCountdown()
    {
        await CreateAsync("TR-1", "2026-03-20");
        using var client = await fixture.SignedInAsync("chen.jing");

        var html = await client.GetStringAsync(new Uri("/tracking?Filter.Customer=TR-1", UriKind.Relative));

        Assert.Contains("data-order=\"TR-1\"", html, StringComparison.Ordinal);
        Assert.Contains("data-countdown=\"8\"", html, StringComparison.Ordinal);
        Assert.Contains("data-delay=\"0\"", html, StringComparison.Ordinal);
        Assert.Contains("评审", html, StringComparison.Ordinal);
        Assert.DoesNotContain("环节超期", html, StringComparison.Ordinal);
        Assert.Contains("data-stage=\"review\" data-late=\"false\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Board_ChangeRaised_PendingChangeException()
    {
        await CreateAsync("TR-2");
        var runtime = fixture.App.Services.GetRequiredService<WorkflowOrders.Engine.Runtime.WorkflowRuntime>();
        await runtime.StartInstanceAsync("order-change", new() { ["orderNo"] = "TR-2", ["amount"] = 50000 }, "TR-2", "zhang.wei");
        using var client = await fixture.SignedInAsync("chen.jing");

        var html = await client.GetStringAsync(new Uri("/tracking?Filter.Customer=TR-2&Filter.ExceptionsOnly=true", UriKind.Relative));

        Assert.Contains("data-order=\"TR-2\"", html, StringComparison.Ordinal);
        Assert.Contains("变更处理中", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_Filtered_Utf8WithBomHeaderAndTheOrdersRow()
    {
        await CreateAsync("TR-3");
        using var client = await fixture.SignedInAsync("chen.jing");

        using var response = await client.GetAsync(new Uri("/tracking?handler=Csv&Filter.Customer=TR-3", UriKind.Relative));

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("订单号,客户名称,状态,当前环节", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("TR-3,华东机械,评审中,", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",评审,审批,生产任务单,收款确认,生产计划,生产,验货,出货,验收结案", lines[0], StringComparison.Ordinal);
        Assert.Contains(",2026-03-11 10:00 /,", lines[1], StringComparison.Ordinal);
    }
}
