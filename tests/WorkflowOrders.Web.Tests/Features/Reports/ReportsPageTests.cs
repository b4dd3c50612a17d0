using WorkflowOrders.Web.Tests.Features.Orders;

namespace WorkflowOrders.Web.Tests.Features.Reports;

/// <summary>The reports page: every figure with its definition, the period filter, tables and the ECharts scripts.</summary>
public sealed class ReportsPageTests(OrderAppFixture fixture) : IClassFixture<OrderAppFixture>
{
    [Fact]
    public async Task Page_PeriodWithoutData_ShowsFiguresDefinitionsAndEmptyStates()
    {
        using var client = await fixture.SignedInAsync("chen.jing");

        var html = await client.GetStringAsync(new Uri("/reports?From=2020-01-01&To=2020-01-31", UriKind.Relative));

        Assert.Contains("交付准时率", html, StringComparison.Ordinal);
        Assert.Contains("评审按期完成率", html, StringComparison.Ordinal);
        Assert.Contains("变更平均处理时间", html, StringComparison.Ordinal);
        Assert.Contains("计划达成率（按周）", html, StringComparison.Ordinal);
        Assert.Contains("不合格品（按供应商）", html, StringComparison.Ordinal);
        Assert.Contains("value=\"2020-01-01\"", html, StringComparison.Ordinal);
        // Three figure cards and four chart sections (plan per week and month, nonconformance by product and supplier).
        Assert.Equal(7, html.Split("本期间没有数据", StringSplitOptions.None).Length - 1);
        Assert.Contains("lib/echarts/echarts.min.js", html, StringComparison.Ordinal);
        Assert.Contains("lib/echarts/i18n/langZH.js", html, StringComparison.Ordinal);
    }
}
