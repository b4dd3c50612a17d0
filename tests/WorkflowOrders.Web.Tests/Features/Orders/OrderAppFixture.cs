using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Testing;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Orders;

/// <summary>
/// The demo app on SQLite with the company clock fixed at Tuesday 2026-03-10 10:00 in Shanghai and the approval
/// threshold set to 250,000 (so a test sees the setting reach the procedure, not the definition's default).
/// </summary>
public sealed class OrderAppFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 10, 0, 0, TimeSpan.FromHours(8));

    private readonly WebAppFactory _factory = WebAppFactory.OnSqlite(new Dictionary<string, string?> { ["WorkflowOrders:ApprovalThreshold"] = "250000" });

    public OrderAppFixture() =>
        App = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock)));

    /// <summary>The app's clock; a test class that moves it has a fixture of its own.</summary>
    public FakeTimeProvider Clock { get; } = new(Now);

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

    public HttpClient ApiClient(string user)
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = HttpExtensions.Basic(user, DemoCompany.Password);
        return client;
    }

    /// <summary>A browser-like client (cookies, no automatic redirects) signed in as the user.</summary>
    public async Task<HttpClient> SignedInAsync(string user, string language = "zh-CN")
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        using var response = await client.SignInAsync(user, DemoCompany.Password);
        return response.StatusCode == System.Net.HttpStatusCode.Redirect
            ? client
            : throw new InvalidOperationException($"Sign-in as {user} answered {(int)response.StatusCode}.");
    }

    public static string ValidOrderJson(string orderNo, string delivery = "2026-04-20", string extra = "") => $$"""
        {"orderNo":"{{orderNo}}","customerName":"华东机械","customerContact":"李经理","customerEmail":"li@example.com","currency":"CNY",
         "deliveryDate":"{{delivery}}","deliveryPlace":"上海","paymentTerms":"tt-deposit","orderType":"standard","inspectionMode":"company",
         "merchandiser":"chen.jing","hasCommissionClause":true{{extra}},
         "lines":[{"product":"减速机","specification":"R-40","quantity":100,"unitPrice":300},{"product":"电机","quantity":50,"unitPrice":400}]}
        """;
}
