using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Orders;

/// <summary>Documents on the order page: upload, list with who/when/size, download, the size limit, who may attach, the timeline entry.</summary>
public sealed partial class OrderDocumentsTests(OrderAppFixture fixture) : IClassFixture<OrderAppFixture>
{
    private async Task CreateOrderAsync(string orderNo)
    {
        using var api = fixture.ApiClient("zhang.wei");
        using var response = await api.PostAsync(new Uri("/api/orders", UriKind.Relative), new StringContent(OrderAppFixture.ValidOrderJson(orderNo), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string orderNo, string fileName, byte[] content, string category = "contract")
    {
        var page = await client.GetStringAsync(new Uri($"/orders/{orderNo}", UriKind.Relative));
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(category), "category");
        form.Add(new StringContent(HttpExtensions.AntiforgeryToken(page)), "__RequestVerificationToken");
        return await client.PostAsync(new Uri($"/orders/{orderNo}?handler=Document", UriKind.Relative), form);
    }

    [Fact]
    public async Task Upload_ByMerchandiser_ListedWithWhoWhenSizeOnTheTimelineAndDownloadsTheSameBytes()
    {
        await CreateOrderAsync("DOC-1");
        using var client = await fixture.SignedInAsync("chen.jing");
        var content = Encoding.UTF8.GetBytes(new string('x', 3000));

        using var upload = await UploadAsync(client, "DOC-1", "销售合同 DOC-1.pdf", content);

        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        Assert.Equal("/orders/DOC-1#documents", upload.Headers.Location?.OriginalString);
        var html = await client.GetStringAsync(new Uri("/orders/DOC-1", UriKind.Relative));
        var row = DocumentRow().Match(html);
        Assert.True(row.Success, "no document row on the page");
        Assert.Contains("销售合同 DOC-1.pdf", row.Value, StringComparison.Ordinal);
        Assert.Contains("合同", row.Value, StringComparison.Ordinal);
        Assert.Contains("2.9 KB", row.Value, StringComparison.Ordinal);
        Assert.Contains("陈静", row.Value, StringComparison.Ordinal);
        Assert.Contains("2026-03-10 10:00", row.Value, StringComparison.Ordinal);
        Assert.Contains("data-kind=\"document\"", html, StringComparison.Ordinal);
        Assert.Contains("已上传附件", html, StringComparison.Ordinal);

        var id = row.Groups["id"].Value;
        using var download = await client.GetAsync(new Uri($"/orders/DOC-1?handler=Document&id={id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("销售合同 DOC-1.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Upload_LargerThanTheLimit_413WithTheLimitBesideTheFieldAndNothingStored()
    {
        await CreateOrderAsync("DOC-BIG");
        using var client = await fixture.SignedInAsync("zhang.wei");

        using var upload = await UploadAsync(client, "DOC-BIG", "drawing.pdf", new byte[(10 * 1024 * 1024) + 1], "drawing");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, upload.StatusCode);
        var html = await upload.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"document-error\">文件超过 10 MB，请压缩或分成几个文件上传。", html, StringComparison.Ordinal);
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        var orderId = await db.Orders.Where(o => o.OrderNo == "DOC-BIG").Select(o => o.Id).SingleAsync();
        Assert.False(await db.OrderDocuments.AnyAsync(d => d.OrderId == orderId));
    }

    [Fact]
    public async Task Upload_EmptyFile_400WithTheReason()
    {
        await CreateOrderAsync("DOC-EMPTY");
        using var client = await fixture.SignedInAsync("zhang.wei", "en");

        using var upload = await UploadAsync(client, "DOC-EMPTY", "empty.pdf", []);

        Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
        Assert.Contains("data-testid=\"document-error\">", await upload.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_ByStaffWithoutAPartInTheOrder_403AndNoUploadForm()
    {
        await CreateOrderAsync("DOC-NO");
        using var client = await fixture.SignedInAsync("hu.yun");

        var page = await client.GetStringAsync(new Uri("/orders/DOC-NO", UriKind.Relative));
        using var upload = await UploadAsync(client, "DOC-NO", "note.pdf", [1, 2, 3]);

        Assert.DoesNotContain("data-testid=\"document-upload\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        Assert.Contains("您不能为此订单上传附件", await upload.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_ByStaffWhoHoldsOneOfTheOrdersTasks_Allowed()
    {
        await CreateOrderAsync("DOC-PART");
        long financeReview;
        await using (var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            financeReview = await db.UserTasks.Where(t => t.BusinessKey == "DOC-PART" && t.ElementId == "Review_Finance").Select(t => t.Key).SingleAsync();
        }

        await fixture.App.Services.GetRequiredService<WorkflowRuntime>().AssignUserTaskAsync(financeReview, "hu.yun", "hu.yun");
        using var client = await fixture.SignedInAsync("hu.yun");

        using var upload = await UploadAsync(client, "DOC-PART", "付款条件说明.pdf", [1, 2, 3], "correspondence");

        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
    }

    [Fact]
    public async Task Upload_ByAManager_Allowed()
    {
        await CreateOrderAsync("DOC-MGR");
        using var client = await fixture.SignedInAsync("lin.fang");

        using var upload = await UploadAsync(client, "DOC-MGR", "检验报告.pdf", [1, 2, 3], "inspection-report");

        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
    }

    [Fact]
    public async Task Download_DocumentOfAnotherOrder_NotFound()
    {
        await CreateOrderAsync("DOC-A");
        await CreateOrderAsync("DOC-B");
        using var client = await fixture.SignedInAsync("chen.jing");
        using (var upload = await UploadAsync(client, "DOC-A", "a.pdf", [7, 7, 7]))
        {
            Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        }

        var id = DocumentRow().Match(await client.GetStringAsync(new Uri("/orders/DOC-A", UriKind.Relative))).Groups["id"].Value;
        using var wrong = await client.GetAsync(new Uri($"/orders/DOC-B?handler=Document&id={id}", UriKind.Relative));
        using var right = await client.GetAsync(new Uri($"/orders/DOC-A?handler=Document&id={id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [GeneratedRegex("<tr data-testid=\"document-row\" data-document-id=\"(?<id>\\d+)\">.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex DocumentRow();
}
