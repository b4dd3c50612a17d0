using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Testing;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Orders;

/// <summary>
/// The demo app with the clock at Tuesday 2026-03-10 10:00 (Shanghai) and no background job executor: the test runs
/// the due jobs itself after moving the clock, so the escalation levels fire exactly when it says.
/// </summary>
public sealed class ManualJobsAppFixture : IAsyncLifetime
{
    private readonly WebAppFactory _factory = WebAppFactory.OnSqlite();

    public ManualJobsAppFixture() =>
        App = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            // Only the job executor's loop; the host's own services (the web server among them) stay.
            foreach (var loop in s.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationFactory?.Method.ReturnType == typeof(JobExecutorService)).ToList())
            {
                s.Remove(loop);
            }
        }));

    public FakeTimeProvider Clock { get; } = new(OrderAppFixture.Now);

    public WebApplicationFactory<Program> App { get; }

    public Task InitializeAsync()
    {
        _ = App.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _factory.DisposeAsync();
    }

    /// <summary>Runs every job due at the fake clock's time, until none is left.</summary>
    public async Task RunDueJobsAsync()
    {
        var executor = App.Services.GetRequiredService<JobExecutor>();
        while (await executor.RunOnceAsync() > 0)
        {
        }
    }
}

/// <summary>Escalations of an order's tasks (recorded on the instance by the escalation job) appear on the order's timeline.</summary>
public sealed partial class OrderTimelineEscalationTests(ManualJobsAppFixture fixture) : IClassFixture<ManualJobsAppFixture>
{
    [Fact]
    public async Task Timeline_ReviewsLeftOpenPastBothLevels_ShowsReminderManagerAndGmEscalationWithWhoWasTold()
    {
        using (var api = fixture.App.CreateClient())
        {
            api.DefaultRequestHeaders.Authorization = HttpExtensions.Basic("zhang.wei", DemoCompany.Password);
            using var created = await api.PostAsync(new Uri("/api/orders", UriKind.Relative), new StringContent(OrderAppFixture.ValidOrderJson("ESC-1"), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await fixture.RunDueJobsAsync();
        using (var before = await SignedInAsync())
        {
            Assert.DoesNotContain("timeline-escalation", await before.GetStringAsync(new Uri("/orders/ESC-1", UriKind.Relative)), StringComparison.Ordinal);
        }

        // The reviews are due Wednesday 10:00; level 1 four working hours later, level 2 one working day after that.
        fixture.Clock.SetTo(new DateTimeOffset(2026, 3, 13, 12, 0, 0, TimeSpan.FromHours(8)));
        await fixture.RunDueJobsAsync();
        using var client = await SignedInAsync(); // the sign-in cookie of Tuesday has expired by the fake Friday
        var html = await client.GetStringAsync(new Uri("/orders/ESC-1", UriKind.Relative));

        var entries = Escalation().Matches(html).Select(m => (Level: m.Groups["level"].Value, Text: m.Value)).ToList();
        Assert.Contains(entries, e => e.Level == "0" && e.Text.Contains("逾期提醒", StringComparison.Ordinal) && e.Text.Contains("销售评审", StringComparison.Ordinal));
        var salesManager = Assert.Single(entries, e => e.Level == "1" && e.Text.Contains("销售评审", StringComparison.Ordinal));
        Assert.Contains("逾期升级至部门经理", salesManager.Text, StringComparison.Ordinal);
        Assert.Contains("已通知： 刘洋", salesManager.Text, StringComparison.Ordinal);
        Assert.Contains(entries, e => e.Level == "2" && e.Text.Contains("逾期升级至总经理", StringComparison.Ordinal) && e.Text.Contains("王建国", StringComparison.Ordinal));
        Assert.Contains("系统", html, StringComparison.Ordinal);
    }

    private async Task<HttpClient> SignedInAsync()
    {
        var client = fixture.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        using var signIn = await client.SignInAsync("chen.jing", DemoCompany.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    // One timeline entry of an escalation: the level line and the "told" line below it.
    [GeneratedRegex("data-testid=\"timeline-escalation\" data-level=\"(?<level>\\d)\">.*?</li>", RegexOptions.Singleline)]
    private static partial Regex Escalation();
}
