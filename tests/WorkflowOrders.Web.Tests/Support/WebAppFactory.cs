using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace WorkflowOrders.Web.Tests.Support;

/// <summary>
/// The whole web app in memory on its own database: a temp SQLite file by default, or a PostgreSQL database.
/// Demo data on; one job worker; password hashing made cheap (the demo company hashes 19 passwords at start).
/// </summary>
public sealed class WebAppFactory : WebApplicationFactory<Program>
{
    private readonly string? _sqliteFile;
    private readonly Dictionary<string, string?> _settings;

    private WebAppFactory(string provider, string connectionString, string? sqliteFile, IDictionary<string, string?>? settings)
    {
        _sqliteFile = sqliteFile;
        _settings = new Dictionary<string, string?>
        {
            ["WorkflowOrders:Database:Provider"] = provider,
            ["WorkflowOrders:Database:ConnectionString"] = connectionString,
            ["WorkflowOrders:DemoData"] = "true",
            ["WorkflowOrders:Jobs:WorkerCount"] = "1",
            // Emails of a test go to its own pickup folder, never under the source tree.
            ["WorkflowOrders:Mail:PickupDirectory"] = Path.Combine(Path.GetTempPath(), $"workflow-web-mail-{Guid.NewGuid():N}"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>Services a test replaces (a fake clock …), applied after the app's own registrations.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    public string ConnectionString => _settings["WorkflowOrders:Database:ConnectionString"]!;

    public static WebAppFactory OnSqlite(IDictionary<string, string?>? settings = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"workflow-web-{Guid.NewGuid():N}.db");
        return new WebAppFactory("Sqlite", new SqliteConnectionStringBuilder { DataSource = file }.ConnectionString, file, settings);
    }

    public static WebAppFactory OnPostgres(string connectionString, IDictionary<string, string?>? settings = null) =>
        new("Postgres", connectionString, null, settings);

    /// <summary>A client that keeps cookies and does not follow redirects (tests look at them).</summary>
    public HttpClient CreateBrowserClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // UseSetting, not ConfigureAppConfiguration: Program reads the database settings before Build().
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseEnvironment("Testing");
        builder.ConfigureTestServices(services =>
        {
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000);
            TestServices?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(_sqliteFile + suffix);
            }
        }
        else
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        }

        GC.SuppressFinalize(this);
    }
}
