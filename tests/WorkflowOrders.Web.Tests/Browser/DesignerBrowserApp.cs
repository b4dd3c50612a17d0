using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowOrders.Persistence;
using WorkflowOrders.Testing;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Browser;

/// <summary>
/// The real app on Kestrel with the repository's own <c>workflows/</c> folder (the procedures process owners edit), the
/// demo company, and the company clock fixed at Tuesday 2026-03-10 10:00 in Shanghai; one headless Debian chromium.
/// Shared by the designer's browser tests (tests that deploy use their own process or check versions relatively).
/// </summary>
public sealed class DesignerBrowserApp : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>The demo company's process owner (quality department).</summary>
    public const string ProcessOwner = "gao.yan";

    /// <summary>A sales clerk: records orders, may not open the designer.</summary>
    public const string Clerk = "zhang.wei";

    private readonly string _workflows = Path.Combine(Path.GetTempPath(), $"workflow-designer-{Guid.NewGuid():N}");
    private WebAppFactory? _factory;
    private WebApplicationFactory<Program>? _app;
    private IPlaywright? _playwright;

    public FakeTimeProvider Clock { get; } = new(Now);

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <summary>The repository's workflows folder (the test copies it; the app never writes to the original).</summary>
    public static string RepositoryWorkflows { get; } = Path.Combine(RepositoryRoot(), "workflows");

    public async Task InitializeAsync()
    {
        CopyDirectory(RepositoryWorkflows, _workflows);
        _factory = WebAppFactory.OnSqlite(new Dictionary<string, string?> { ["WorkflowOrders:WorkflowsDirectory"] = _workflows });
        _app = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock)));
        _app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app.StartServer();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First());

        Directory.CreateDirectory(BrowserApp.ArtifactsDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserApp.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser context in the language given, signed in as <paramref name="user"/>.</summary>
    public async Task<IPage> SignInAsync(string user, string culture)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = culture,
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = culture },
            ViewportSize = new ViewportSize { Width = 1600, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync("/signin");
        await page.FillAsync("input[name=UserName]", user);
        await page.FillAsync("input[name=Password]", DemoCompany.Password);
        await page.ClickAsync("form:has(input[name=Password]) button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        if (await page.GetAttributeAsync("html", "lang") != culture)
        {
            await page.ClickAsync($"[data-testid=language-switch] button[value='{culture}']");
            await page.WaitForFunctionAsync($"document.documentElement.lang === '{culture}'");
        }

        return page;
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

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (Directory.Exists(_workflows))
        {
            Directory.Delete(_workflows, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WorkflowOrders.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("WorkflowOrders.sln not found above the test output folder.");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
