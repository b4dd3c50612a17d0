using System.Net;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Procedures;

/// <summary>The procedures page read as the demo company finds it: versions, counts, names, who sees which buttons.</summary>
public sealed class ProceduresPageTests(DemoAppFixture fixture) : IClassFixture<DemoAppFixture>
{
    [Fact]
    public async Task Procedures_ProcessOwner_ListsEveryProcessWithVersionAndInstanceCounts()
    {
        using var client = await fixture.SignedInAsync("gao.yan");

        var html = await client.GetStringAsync(ProcedurePages.Page);

        foreach (var process in new[] { "order-fulfilment", "order-change", "order-cancellation", "nonconformance" })
        {
            Assert.Contains(1, ProcedurePages.Versions(html, process).Keys);
        }

        // The demo company starts two orders on the order procedure.
        Assert.Equal((2, 2), ProcedurePages.Versions(html, "order-fulfilment")[1]);
        Assert.Equal((0, 0), ProcedurePages.Versions(html, "order-cancellation")[1]);
        Assert.Contains("订单评审与跟踪", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"upload-card\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/designer/order-fulfilment\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Procedures_InEnglish_ShowsEnglishNameFirstAndChineseBeside()
    {
        // The UI language is the user's stored preference: switch it, for a reader the other tests here do not use.
        using var client = await fixture.SignedInAsync("wang.jianguo");
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "en",
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = HttpExtensions.AntiforgeryToken(home),
        });
        using var switched = await client.PostAsync(new Uri("/language", UriKind.Relative), form);

        var html = await client.GetStringAsync(ProcedurePages.Page);

        Assert.Matches("data-testid=\"process-name\">Order change</h3>\\s*<div class=\"small text-secondary\"><span lang=\"zh-CN\">订单变更</span>", html);
        Assert.Contains("Deployment history", html, StringComparison.Ordinal);
    }

    /// <summary>A department manager reads the page; so does an admin, who edits nothing without the process-owner role.</summary>
    [Theory]
    [InlineData("liu.yang")]
    [InlineData("admin")]
    public async Task Procedures_ReaderWithoutProcessOwnerRole_ReadsWithoutUploadDesignerOrEditButtons(string user)
    {
        using var client = await fixture.SignedInAsync(user);

        var html = await client.GetStringAsync(ProcedurePages.Page);

        Assert.Contains("data-process=\"order-fulfilment\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"form-row\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/procedures\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"upload-card\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"open-designer\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"edit-form\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/designer/order-fulfilment")]
    [InlineData("/procedures/forms/approval")]
    public async Task EditingPage_AdminWithoutProcessOwnerRole_Is403(string path)
    {
        using var owner = await fixture.SignedInAsync("gao.yan");
        using var admin = await fixture.SignedInAsync("admin");

        using var allowed = await owner.GetAsync(new Uri(path, UriKind.Relative));
        using var response = await admin.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Deploy_AdminWithoutProcessOwnerRole_Is403AndDeploysNothing()
    {
        using var client = await fixture.SignedInAsync("admin");
        var changed = ProcedurePages.Workflow("order-cancellation.bpmn").Replace("name=\"订单取消\"", "name=\"订单取消（管理员）\"", StringComparison.Ordinal);

        using var response = await ProcedurePages.PostAsync(client, ProcedurePages.Page, "/procedures?handler=Deploy",
            new Dictionary<string, string> { ["fileName"] = "order-cancellation.bpmn", ["content"] = changed });
        var html = await client.GetStringAsync(ProcedurePages.Page);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(1, ProcedurePages.Versions(html, "order-cancellation").Keys.Max());
    }

    [Fact]
    public async Task Procedures_Staff_Is403AndHasNoNavigationEntry()
    {
        using var client = await fixture.SignedInAsync("zhang.wei");

        using var response = await client.GetAsync(ProcedurePages.Page);
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("href=\"/procedures\"", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Procedures_Anonymous_RedirectsToSignIn()
    {
        using var client = fixture.App.CreateBrowserClient();

        using var response = await client.GetAsync(ProcedurePages.Page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/signin", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>Checking an upload is part of deploying: a manager and an admin without the process-owner role are refused.</summary>
    [Theory]
    [InlineData("liu.yang")]
    [InlineData("admin")]
    public async Task Check_WithoutProcessOwnerRole_Is403(string user)
    {
        using var client = await fixture.SignedInAsync(user);

        using var response = await ProcedurePages.CheckAsync(client, "order-change.bpmn", ProcedurePages.Workflow("order-change.bpmn"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task FormEditor_Manager_Is403()
    {
        using var client = await fixture.SignedInAsync("liu.yang");

        using var response = await client.GetAsync(new Uri("/procedures/forms/approval", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Download_Version1_IsTheDeployedFile()
    {
        using var client = await fixture.SignedInAsync("liu.yang");

        using var response = await client.GetAsync(new Uri("/procedures/order-change/versions/1?handler=Download", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("order-change.v1.bpmn", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal(ProcedurePages.Workflow("order-change.bpmn"), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Version_Existing_ShowsDiagramOfThatVersion()
    {
        using var client = await fixture.SignedInAsync("gao.yan");

        var html = await client.GetStringAsync(new Uri("/procedures/nonconformance/versions/1", UriKind.Relative));

        Assert.Contains("id=\"procedure-diagram\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"procedure-diagram-data\"", html, StringComparison.Ordinal);
        Assert.Contains("不合格品控制 · 第 1 版", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_Missing_Is404()
    {
        using var client = await fixture.SignedInAsync("gao.yan");

        using var response = await client.GetAsync(new Uri("/procedures/nonconformance/versions/99", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Forms_ProcessOwner_ListsFormWithTheTaskThatUsesIt()
    {
        using var client = await fixture.SignedInAsync("gao.yan");

        var html = await client.GetStringAsync(ProcedurePages.Page);

        var row = html[html.IndexOf("data-form=\"order-review\"", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("v1", row, StringComparison.Ordinal);
        Assert.Contains("订单评审与跟踪 · 销售评审（信用、价格）", row, StringComparison.Ordinal);
        Assert.Contains("href=\"/procedures/forms/order-review\"", row, StringComparison.Ordinal);
    }
}
