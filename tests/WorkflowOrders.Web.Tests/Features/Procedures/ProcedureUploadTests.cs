using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Procedures;

/// <summary>A process owner uploads .bpmn files: checked first, deployed after confirmation, refused with the elements named.</summary>
public sealed class ProcedureUploadTests(DemoAppFixture fixture) : IClassFixture<DemoAppFixture>
{
    private const string SalesReviewDue = "dueDate=\"=addWorkingDays(reviewStartedAt, 1)\"";

    [Fact]
    public async Task Upload_ChangedOrderProcedure_ConfirmedCreatesVersion2WhileRunningInstancesStayOn1()
    {
        using var client = await fixture.SignedInAsync("gao.yan");
        var changed = ReplaceFirst(ProcedurePages.Workflow("order-fulfilment.bpmn"), SalesReviewDue, "dueDate=\"=addWorkingDays(reviewStartedAt, 2)\"");

        using var check = await ProcedurePages.CheckAsync(client, "order-fulfilment.bpmn", changed);
        var checkHtml = await ProcedurePages.ReadOkAsync(check);

        Assert.Contains("部署将创建 订单评审与跟踪 的第 2 版（当前为第 1 版）。", checkHtml, StringComparison.Ordinal);
        Assert.Contains("2 个运行中的实例保留在原版本", checkHtml, StringComparison.Ordinal);
        Assert.Contains("data-change=\"Changed\" data-element=\"Review_Sales\"", checkHtml, StringComparison.Ordinal);
        Assert.Equal(1, await LatestVersionAsync("order-fulfilment"));

        using var deploy = await ProcedurePages.PostAsync(client, ProcedurePages.Page, "/procedures?handler=Deploy",
            new Dictionary<string, string> { ["fileName"] = "order-fulfilment.bpmn", ["content"] = changed });

        Assert.Equal(HttpStatusCode.Redirect, deploy.StatusCode);
        Assert.Equal(2, await LatestVersionAsync("order-fulfilment"));
        var html = await client.GetStringAsync(ProcedurePages.Page);
        Assert.Contains("order-fulfilment：已部署第 2 版。", html, StringComparison.Ordinal);
        var versions = ProcedurePages.Versions(html, "order-fulfilment");
        Assert.Equal((2, 2), versions[1]);
        Assert.Equal((0, 0), versions[2]);

        // A new order starts on version 2; those started before are still on version 1.
        var runtime = fixture.App.Services.GetRequiredService<WorkflowRuntime>();
        var started = await runtime.StartInstanceAsync("order-fulfilment", new System.Text.Json.Nodes.JsonObject { ["orderNo"] = "SO-UPLOAD-1" }, "SO-UPLOAD-1", "gao.yan");
        Assert.Equal(2, started.Version);
        await using var db = fixture.App.Services.GetRequiredService<WorkflowDbContextFactory>().CreateDbContext();
        Assert.Equal(2, await db.ProcessInstances.CountAsync(i => i.BpmnProcessId == "order-fulfilment" && i.DefinitionVersion == 1 && i.State == ProcessInstanceState.Active));
    }

    [Fact]
    public async Task Upload_UnsupportedElementAndMissingAssignment_ShowsEachProblemWithElementIdAndDeploysNothing()
    {
        using var client = await fixture.SignedInAsync("gao.yan");
        var broken = ProcedurePages.Workflow("order-change.bpmn").Replace(
            "<bpmn:startEvent id=\"Start_Request\"",
            "<bpmn:inclusiveGateway id=\"Gateway_Unsupported\" /><bpmn:userTask id=\"Task_Nobody\" name=\"无人处理\" /><bpmn:startEvent id=\"Start_Request\"",
            StringComparison.Ordinal);
        var before = await LatestVersionAsync("order-change");

        using var check = await ProcedurePages.CheckAsync(client, "order-change.bpmn", broken);
        var html = await ProcedurePages.ReadOkAsync(check);

        Assert.Contains("data-testid=\"upload-refused\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"upload-problem\" data-element=\"Gateway_Unsupported\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"upload-problem\" data-element=\"Task_Nobody\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"upload-deploy\"", html, StringComparison.Ordinal);

        // Posting the refused file to Deploy anyway: the runtime refuses it too, the problems are shown again.
        using var deploy = await ProcedurePages.PostAsync(client, ProcedurePages.Page, "/procedures?handler=Deploy",
            new Dictionary<string, string> { ["fileName"] = "order-change.bpmn", ["content"] = broken });
        Assert.Contains("data-element=\"Gateway_Unsupported\"", await ProcedurePages.ReadOkAsync(deploy), StringComparison.Ordinal);
        Assert.Equal(before, await LatestVersionAsync("order-change"));
    }

    [Fact]
    public async Task Upload_UnchangedDefinition_SaysNoChangeAndCreatesNoVersion()
    {
        using var client = await fixture.SignedInAsync("gao.yan");
        var same = ProcedurePages.Workflow("order-cancellation.bpmn");

        using var check = await ProcedurePages.CheckAsync(client, "order-cancellation.bpmn", same);
        var html = await ProcedurePages.ReadOkAsync(check);
        using var deploy = await ProcedurePages.PostAsync(client, ProcedurePages.Page, "/procedures?handler=Deploy",
            new Dictionary<string, string> { ["fileName"] = "order-cancellation.bpmn", ["content"] = same });
        var after = await client.GetStringAsync(ProcedurePages.Page);

        Assert.Contains("没有变化：订单取消 仍为第 1 版。", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"upload-deploy\"", html, StringComparison.Ordinal);
        Assert.Contains("order-cancellation：没有变化，仍为第 1 版。", after, StringComparison.Ordinal);
        Assert.Equal(1, await LatestVersionAsync("order-cancellation"));
    }

    [Fact]
    public async Task Deploy_NewVersion_IsInDeploymentHistoryAndComparableWithPrevious()
    {
        using var client = await fixture.SignedInAsync("gao.yan");
        var changed = ProcedurePages.Workflow("nonconformance.bpmn").Replace("name=\"不合格品控制\"", "name=\"不合格品控制程序\"", StringComparison.Ordinal);

        using var deploy = await ProcedurePages.PostAsync(client, ProcedurePages.Page, "/procedures?handler=Deploy",
            new Dictionary<string, string> { ["fileName"] = "nonconformance.bpmn", ["content"] = changed });
        var html = await client.GetStringAsync(ProcedurePages.Page);
        var diff = await client.GetStringAsync(new Uri("/procedures/nonconformance/diff?from=1&to=2", UriKind.Relative));

        var history = html[html.IndexOf("data-testid=\"deployment-history\"", StringComparison.Ordinal)..];
        var first = history[history.IndexOf("data-testid=\"history-row\"", StringComparison.Ordinal)..];
        first = first[..first.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("高燕", first, StringComparison.Ordinal);
        Assert.Contains("nonconformance", first, StringComparison.Ordinal);
        Assert.Contains("v2", first, StringComparison.Ordinal);
        Assert.Contains("nonconformance.bpmn", first, StringComparison.Ordinal);
        Assert.Contains("href=\"/procedures/nonconformance/diff?from=1&amp;to=2\"", html, StringComparison.Ordinal);
        Assert.Contains("data-change=\"Changed\" data-element=\"nonconformance\"", diff, StringComparison.Ordinal);
        Assert.Contains("不合格品控制程序", diff, StringComparison.Ordinal);
    }

    private async Task<int> LatestVersionAsync(string processId)
    {
        await using var db = fixture.App.Services.GetRequiredService<WorkflowDbContextFactory>().CreateDbContext();
        return await db.ProcessDefinitions.Where(d => d.BpmnProcessId == processId).MaxAsync(d => d.Version);
    }

    private static string ReplaceFirst(string text, string find, string replacement)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{find}' not found");
        return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + find.Length));
    }
}
