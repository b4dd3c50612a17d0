using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Persistence.Calendars;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Admin;

/// <summary>Editing calendars on /admin/calendars; a class fixture of its own, since the edits change the app's calendar.</summary>
public sealed class CalendarEditTests(DemoAppFixture fixture) : IClassFixture<DemoAppFixture>
{
    private DbCalendarProvider Store => fixture.App.Services.GetRequiredService<DbCalendarProvider>();

    private static async Task<HttpResponseMessage> PostCalendarAsync(HttpClient client, string json, bool confirm = true)
    {
        var page = await client.GetStringAsync(new Uri("/admin/calendars", UriKind.Relative));
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Input.Id", "cn"),
            new("Input.Json", json),
            new("__RequestVerificationToken", HttpExtensions.AntiforgeryToken(page)),
        };
        if (confirm)
        {
            fields.Add(new("Input.Confirm", "true"));
        }

        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri("/admin/calendars/save", UriKind.Relative), content);
    }

    private async Task<string> StoredJsonAsync() => (await Store.ReadRowsAsync()).Single(r => r.Id == "cn").Json;

    [Fact]
    public async Task Save_Admin2027Holidays_WarningGoesAndDeadlinesSkipTheHoliday()
    {
        using var client = await fixture.SignedInAsync("admin");
        var calendar = JsonNode.Parse(await StoredJsonAsync(), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        calendar["years"]!.AsArray().Add(JsonNode.Parse("""
            {
              "year": 2027,
              "source": { "title": "国务院办公厅关于2027年部分节假日安排的通知" },
              "holidays": [ { "name": { "zh-CN": "国庆节", "en": "National Day" }, "from": "2027-10-01", "to": "2027-10-07" } ],
              "makeUpWorkingDays": [ "2027-10-09" ]
            }
            """));

        using var response = await PostCalendarAsync(client, calendar.ToJsonString());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var html = await client.GetStringAsync(new Uri("/admin/calendars", UriKind.Relative));
        Assert.DoesNotContain("缺少2027年的节假日数据", html, StringComparison.Ordinal);
        Assert.Contains("</i>2027</span>", html, StringComparison.Ordinal);
        Assert.Contains("<code>admin</code>", html, StringComparison.Ordinal);
        // Thursday 2027-09-30 10:00 + 1 working day: Friday 2027-10-01 is now a holiday, so Friday 2027-10-08 10:00.
        var due = fixture.App.Services.GetRequiredService<ICalendarProvider>().Find("cn")!
            .AddWorkingDays(DateTimeOffset.Parse("2027-09-30T10:00:00+08:00", CultureInfo.InvariantCulture), 1);
        Assert.Equal(DateTimeOffset.Parse("2027-10-08T10:00:00+08:00", CultureInfo.InvariantCulture), due);
    }

    [Fact]
    public async Task Save_InvalidCalendar_ShowsTheLoadersMessageAndChangesNothing()
    {
        using var client = await fixture.SignedInAsync("admin", "en");
        var before = await StoredJsonAsync();
        var broken = before.Replace("Asia/Shanghai", "Asia/Shanghia", StringComparison.Ordinal);

        using var response = await PostCalendarAsync(client, broken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("is not a time zone known to this server", html, StringComparison.Ordinal);
        Assert.Equal(before, await StoredJsonAsync());
        Assert.Equal("Asia/Shanghai", fixture.App.Services.GetRequiredService<ICalendarProvider>().Find("cn")!.TimeZone.Id);
    }

    [Fact]
    public async Task Save_WithoutConfirmation_IsRefusedAndChangesNothing()
    {
        using var client = await fixture.SignedInAsync("admin", "en");
        var before = await StoredJsonAsync();

        using var response = await PostCalendarAsync(client, before.Replace("08:30", "09:00", StringComparison.Ordinal), confirm: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("请勾选确认后再保存日历", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StoredJsonAsync());
    }

    [Fact]
    public async Task Save_NonAdmin_Is403AndChangesNothing()
    {
        using var client = await fixture.SignedInAsync("zhang.wei");
        var before = await StoredJsonAsync();
        using var content = new FormUrlEncodedContent([new("Input.Id", "cn"), new("Input.Json", "{}"), new("Input.Confirm", "true")]);

        using var response = await client.PostAsync(new Uri("/admin/calendars/save", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await StoredJsonAsync());
    }
}
