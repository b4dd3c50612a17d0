using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Browser;

/// <summary>
/// The real app on Kestrel (a free loopback port; TestServer is not reachable by a browser) on a temp SQLite file
/// with the demo company, a small quality-review procedure (Browser/Workflows) and the demo orders started on it;
/// and one headless Debian chromium driven by Playwright. Shared by the browser tests of one class.
/// A subclass may run another app (<see cref="CreateApp"/>): the walk-through runs the real workflows folder.
/// </summary>
public class BrowserApp : IAsyncLifetime
{
    /// <summary>Debian's chromium; scripts/install-test-deps.sh installs it. Playwright never downloads a browser here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>A demo reviewer of the quality department (the fixture's review task is offered to "quality").</summary>
    public const string Reviewer = "huang.qiang";

    public const string Password = "Demo123!";

    /// <summary>A temporary copy of the workflows the app deploys, removed with the fixture.</summary>
    protected string WorkflowsCopy { get; } = Path.Combine(Path.GetTempPath(), $"workflow-browser-{Guid.NewGuid():N}");
    private WebAppFactory? _app;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Browser window width; the designer wants room for canvas and properties panel side by side.</summary>
    protected virtual int ViewportWidth => 1440;

    /// <summary>Playwright's wait limit per step, in milliseconds.</summary>
    protected virtual float StepTimeout => 15_000;

    /// <summary>The app's services (its database, for checks behind the screens).</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>TestResults/artifacts at the repository root: the test command keeps it (screenshots).</summary>
    public static string ArtifactsDirectory { get; } = Path.Combine(Repository.Root, "TestResults", "artifacts");

    /// <summary>The app under test: by default the small fixture procedure plus the company calendar.</summary>
    protected virtual WebAppFactory CreateApp()
    {
        // The fixture's procedure plus the company calendar the deadlines are counted in.
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "Browser", "Workflows"), WorkflowsCopy);
        CopyDirectory(Path.Combine(Repository.Root, "workflows", "calendars"), Path.Combine(WorkflowsCopy, "calendars"));
        return WebAppFactory.OnSqlite(new Dictionary<string, string?> { ["WorkflowOrders:WorkflowsDirectory"] = WorkflowsCopy });
    }

    public async Task InitializeAsync()
    {
        _app = CreateApp();
        _app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app.StartServer();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First());

        Directory.CreateDirectory(ArtifactsDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser context (own cookies) in the language given, signed in as <paramref name="user"/>.</summary>
    public async Task<IPage> SignInAsync(string user, string culture)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = culture,
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = culture },
            ViewportSize = new ViewportSize { Width = ViewportWidth, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(StepTimeout);
        await page.GotoAsync("/signin");
        await page.FillAsync("input[name=UserName]", user);
        await page.FillAsync("input[name=Password]", Password);
        await page.ClickAsync("form:has(input[name=Password]) button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));

        // Signing in applies the user's stored language; the switch in the top bar changes it, as a user would.
        if (await page.GetAttributeAsync("html", "lang") != culture)
        {
            await page.ClickAsync($"[data-testid=language-switch] button[value='{culture}']");
            await page.WaitForFunctionAsync($"document.documentElement.lang === '{culture}'");
        }

        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, name + ".png"), FullPage = true });

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

        if (Directory.Exists(WorkflowsCopy))
        {
            Directory.Delete(WorkflowsCopy, recursive: true);
        }
    }


    protected static void CopyDirectory(string from, string to)
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
