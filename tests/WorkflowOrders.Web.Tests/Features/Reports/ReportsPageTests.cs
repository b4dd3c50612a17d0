using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Web.Tests.Features.Orders;
using WorkflowOrders.Web.Tests.Support;

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

    [Fact]
    public async Task Page_NonconformanceReported_TableRowWithCountAndPassRateAndChartData()
    {
        var runtime = fixture.App.Services.GetRequiredService<WorkflowRuntime>();
        await runtime.StartInstanceAsync("nonconformance", new()
        {
            ["orderNo"] = "", ["source"] = "incoming-material", ["item"] = "RP-阀体", ["supplier"] = "RP-宁波铸造",
            ["quantityChecked"] = 200, ["quantityFailed"] = 10, ["passRate"] = 95,
        }, null, "zhang.wei");
        using var client = await fixture.SignedInAsync("chen.jing");

        var html = await client.GetStringAsync(new Uri("/reports", UriKind.Relative));

        Assert.Contains("<tr data-group=\"RP-宁波铸造\"><td>RP-宁波铸造</td><td class=\"text-end\">1</td><td class=\"text-end\">200</td><td class=\"text-end\">10</td><td class=\"text-end\">95.0 %</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("data-chart=\"{&quot;labels&quot;:[", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_English_ShowsEnglishTitles()
    {
        // The UI language is the user's stored preference: switch it (for a user the other tests here do not use).
        using var client = await fixture.SignedInAsync("zhou.jie");
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "en",
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = HttpExtensions.AntiforgeryToken(home),
        });
        using var switched = await client.PostAsync(new Uri("/language", UriKind.Relative), form);

        var html = await client.GetStringAsync(new Uri("/reports?From=2020-01-01&To=2020-01-31", UriKind.Relative));

        Assert.Contains("On-time delivery rate", html, StringComparison.Ordinal);
        Assert.Contains("Plan achievement rate per month", html, StringComparison.Ordinal);
        Assert.DoesNotContain("交付准时率", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_NonconformanceBySupplier_Utf8WithBomChineseHeaderAndTheGroupsRow()
    {
        var runtime = fixture.App.Services.GetRequiredService<WorkflowRuntime>();
        await runtime.StartInstanceAsync("nonconformance", new()
        {
            ["orderNo"] = "", ["source"] = "incoming-material", ["item"] = "CSV-阀盖", ["supplier"] = "CSV-温州=铸件",
            ["quantityChecked"] = 400, ["quantityFailed"] = 30, ["passRate"] = 92.5,
        }, null, "zhang.wei");
        using var client = await fixture.SignedInAsync("chen.jing");

        using var response = await client.GetAsync(new Uri("/reports?handler=Csv&table=nc-supplier", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("report-nc-supplier-", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName, StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("供应商,不合格品数,检验数量,不合格数量,批次合格率 (%)", lines[0]);
        Assert.Contains("CSV-温州=铸件,1,400,30,92.5", lines);
    }

    [Fact]
    public async Task Csv_UnknownTable_NotFound()
    {
        using var client = await fixture.SignedInAsync("chen.jing");

        using var response = await client.GetAsync(new Uri("/reports?handler=Csv&table=orders", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Page_Tables_EachHasItsCsvLinkForThePeriod()
    {
        using var client = await fixture.SignedInAsync("chen.jing");

        var html = await client.GetStringAsync(new Uri("/reports?From=2026-01-01&To=2026-03-31", UriKind.Relative));

        foreach (var table in new[] { "summary", "plan-week", "plan-month", "nc-product", "nc-supplier" })
        {
            Assert.Contains($"href=\"/reports?handler=Csv&amp;table={table}&amp;From=2026-01-01&amp;To=2026-03-31\"", html, StringComparison.Ordinal);
        }
    }
}
