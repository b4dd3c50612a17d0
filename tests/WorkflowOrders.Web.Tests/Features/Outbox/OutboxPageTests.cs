using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Email;
using WorkflowOrders.Persistence;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Outbox;

public sealed class OutboxPageTests(DemoAppFixture fixture) : IClassFixture<DemoAppFixture>
{
    [Fact]
    public async Task Outbox_Manager_ListsMessageWithSubjectRecipientAndStatus()
    {
        var subject = "[交期预警] 订单 ORD-OUTBOX-" + Guid.NewGuid().ToString("N")[..6];
        var factory = fixture.App.Services.GetRequiredService<WorkflowDbContextFactory>();
        await using (var db = factory.CreateDbContext())
        {
            WorkflowOrders.Email.Outbox.Enqueue(db, new OutboxDraft
            {
                To = ["liu.yang@example.com"], Subject = subject, HtmlBody = "<p>x</p>", TextBody = "x", Language = "zh-CN", CauseKind = "test",
            }, TimeProvider.System.GetUtcNow(), "test.local");
            await db.SaveChangesAsync();
        }

        using var client = await fixture.SignedInAsync("liu.yang");
        var html = await client.GetStringAsync(new Uri("/outbox", UriKind.Relative));

        Assert.Contains("data-testid=\"outbox-table\"", html, StringComparison.Ordinal);
        Assert.Contains(subject, html, StringComparison.Ordinal);
        Assert.Contains("liu.yang@example.com", html, StringComparison.Ordinal);
        Assert.Matches("badge bg-(yellow|green)-lt\">(待发送|已发送)", html);
    }

    [Fact]
    public async Task Outbox_Staff_Is403()
    {
        using var client = await fixture.SignedInAsync("zhang.wei");

        using var response = await client.GetAsync(new Uri("/outbox", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Navigation_Manager_ShowsOutboxEntry()
    {
        using var client = await fixture.SignedInAsync("liu.yang");

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("href=\"/outbox\"", html, StringComparison.Ordinal);
        Assert.Contains("发件箱", html, StringComparison.Ordinal);
    }
}
