using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace WorkflowOrders.Web.Tests.Api;

/// <summary>
/// The web app in memory on its own database (a temp SQLite file, or a PostgreSQL database) with a test sign-in:
/// the headers <c>X-Test-User</c> and <c>X-Test-Roles</c> (comma-separated role keys) make the caller. Without them
/// the app's own schemes apply (Basic, Bearer, cookie).
/// </summary>
public sealed class ApiTestHost : WebApplicationFactory<Program>
{
    public const string UserHeader = "X-Test-User";
    public const string RolesHeader = "X-Test-Roles";

    private readonly string? _sqliteFile;

    private ApiTestHost(string provider, string connectionString, string? sqliteFile)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _sqliteFile = sqliteFile;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    public static ApiTestHost OnSqlite()
    {
        var file = Path.Combine(Path.GetTempPath(), $"workflow-api-{Guid.NewGuid():N}.db");
        return new ApiTestHost("Sqlite", new SqliteConnectionStringBuilder { DataSource = file }.ConnectionString, file);
    }

    public static ApiTestHost OnPostgres(string connectionString) => new("Postgres", connectionString, null);

    /// <summary>A client signed in as <paramref name="user"/> with the given role keys.</summary>
    public HttpClient As(string user, params string[] roles)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(UserHeader, user);
        client.DefaultRequestHeaders.Add(RolesHeader, string.Join(',', roles));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("WorkflowOrders:Database:Provider", Provider);
        builder.UseSetting("WorkflowOrders:Database:ConnectionString", ConnectionString);
        builder.UseSetting("WorkflowOrders:DemoData", "false");
        // Outside the demo mode the first start needs the administrator's password; the API tests sign in by header.
        builder.UseSetting("WorkflowOrders:AdminPassword", "Api-Test-Admin-1!");
        builder.UseSetting("WorkflowOrders:Jobs:WorkerCount", "1");
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            services.Configure<Microsoft.AspNetCore.Identity.PasswordHasherOptions>(o => o.IterationCount = 1_000);
            services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
            // The app's policy scheme picks Basic/Bearer/cookie by the Authorization header; the test headers come first.
            services.PostConfigure<AuthenticationOptions>(o =>
            {
                var appDefault = o.DefaultScheme;
                HeaderAuthenticationHandler.Fallback = appDefault;
                o.DefaultScheme = HeaderAuthenticationHandler.SchemeName;
                o.DefaultAuthenticateScheme = HeaderAuthenticationHandler.SchemeName;
                o.DefaultChallengeScheme = HeaderAuthenticationHandler.SchemeName;
                o.DefaultForbidScheme = HeaderAuthenticationHandler.SchemeName;
            });
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

/// <summary>Signs in from the test headers; without them it hands over to the app's own scheme.</summary>
public sealed class HeaderAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestHeaders";

    public static string? Fallback { get; set; }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiTestHost.UserHeader, out var user) || user.ToString().Length == 0)
        {
            return Fallback is null ? AuthenticateResult.NoResult() : await Context.AuthenticateAsync(Fallback);
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, user.ToString()), new(ClaimTypes.NameIdentifier, user.ToString()) };
        foreach (var role in Request.Headers[ApiTestHost.RolesHeader].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Fallback is null ? base.HandleChallengeAsync(properties) : Context.ChallengeAsync(Fallback, properties);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Fallback is null ? base.HandleForbiddenAsync(properties) : Context.ForbidAsync(Fallback, properties);
}

/// <summary>Requests and assertions in the API's shapes.</summary>
public static class ApiCalls
{
    public static Uri U(string path) => new(path, UriKind.Relative);

    public static async Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        return await client.PostAsync(U(path), content);
    }

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException($"Not a JSON object: {text}");
    }

    /// <summary>Deploys files as Camunda's multipart request does (parts named 'resources').</summary>
    public static async Task<HttpResponseMessage> DeployAsync(this HttpClient client, params (string Name, string Content)[] files)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, content) in files)
        {
            var part = new StringContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue(name.EndsWith(".form", StringComparison.Ordinal) ? "application/json" : "application/xml");
            form.Add(part, "resources", name);
        }

        return await client.PostAsync(U("/v2/deployments"), form);
    }

    /// <summary>Asserts an RFC 9457 problem with the given status and title; returns its detail.</summary>
    public static async Task<string> AssertProblemAsync(this HttpResponseMessage response, int status, string title)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("about:blank", (string?)problem["type"]);
        Assert.Equal(status, (int?)problem["status"]);
        Assert.Equal(title, (string?)problem["title"]);
        Assert.Equal(response.RequestMessage!.RequestUri!.AbsolutePath, (string?)problem["instance"]);
        return (string?)problem["detail"] ?? "";
    }

    public static async Task<T?> ReadAsync<T>(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<T>(new JsonSerializerOptions(JsonSerializerDefaults.Web));
}
