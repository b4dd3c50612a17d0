using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowOrders.Persistence;
using WorkflowOrders.Testing;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Browser;

/// <summary>
/// The browser fixture with a copy of the repository's own <c>workflows/</c> folder (the procedures process owners
/// edit), the demo company, and the company clock fixed at Tuesday 2026-03-10 10:00 in Shanghai. Shared by the
/// designer's browser tests (tests that deploy use their own process or check versions relatively).
/// </summary>
public sealed class DesignerBrowserApp : BrowserApp
{
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>The demo company's process owner (quality department).</summary>
    public const string ProcessOwner = "gao.yan";

    /// <summary>A sales clerk: records orders, may not open the designer.</summary>
    public const string Clerk = "zhang.wei";

    public FakeTimeProvider Clock { get; } = new(Now);

    /// <summary>The repository's workflows folder (the fixture copies it; deployments never write to the original).</summary>
    public static string RepositoryWorkflows { get; } = Path.Combine(Repository.Root, "workflows");

    protected override int ViewportWidth => 1600;

    protected override float StepTimeout => 20_000;

    protected override WebAppFactory CreateApp()
    {
        CopyDirectory(RepositoryWorkflows, WorkflowsCopy);
        var app = WebAppFactory.OnSqlite(new Dictionary<string, string?> { ["WorkflowOrders:WorkflowsDirectory"] = WorkflowsCopy });
        app.TestServices = s => s.AddSingleton<TimeProvider>(Clock);
        return app;
    }

    /// <summary>Opens the designer and waits until the diagram is imported and linted.</summary>
    public static async Task<IPage> OpenDesignerAsync(IPage page, string processId)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync($"/designer/{processId}");
        await page.WaitForFunctionAsync("() => window.woDesigner && (window.woDesigner.ready || window.woDesigner.error)");
        var error = await page.EvaluateAsync<string?>("() => window.woDesigner.error || null");
        return error is null ? page : throw new InvalidOperationException("The designer failed: " + error);
    }

    /// <summary>An API client with Basic credentials (as an integration would call).</summary>
    public HttpClient ApiClient(string user)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{DemoCompany.Password}")));
        return client;
    }

    public async Task<WorkflowDbContext> DbAsync() =>
        await Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
}
