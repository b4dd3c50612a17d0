using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Identity;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Security;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Security;

/// <summary>The API side of the policy scheme: Basic and Bearer credentials, and 401 problem details.</summary>
public sealed class ApiAuthenticationTests : IAsyncLifetime
{
    private static readonly Uri Me = new("/api/me", UriKind.Relative);
    private readonly WebAppFactory _app = WebAppFactory.OnSqlite();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Me_BasicWithDemoPassword_ReturnsUserAndRoles()
    {
        using var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = HttpExtensions.Basic("zhang.wei", DemoCompany.Password);

        var me = await client.GetFromJsonAsync<MeResponse>(Me);

        Assert.NotNull(me);
        Assert.Equal("zhang.wei", me.UserName);
        Assert.Equal("张伟", me.DisplayName);
        Assert.Equal([Roles.Sales], me.Roles);
        Assert.Equal(AuthSchemes.Basic, me.AuthenticatedBy);
    }

    [Fact]
    public async Task Me_BasicWithWrongPassword_Is401ProblemDetails()
    {
        using var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = HttpExtensions.Basic("zhang.wei", "wrong-password");

        using var response = await client.GetAsync(Me);

        await AssertUnauthorizedProblemAsync(response);
    }

    [Fact]
    public async Task Me_NoCredentials_Is401ProblemDetailsNotARedirect()
    {
        using var client = _app.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.GetAsync(Me);

        await AssertUnauthorizedProblemAsync(response);
    }

    [Fact]
    public async Task Me_BearerToken_ReturnsItsUser()
    {
        var secret = await CreateTokenAsync("he.xin");
        using var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);

        var me = await client.GetFromJsonAsync<MeResponse>(Me);

        Assert.Equal("he.xin", me!.UserName);
        Assert.Equal([Roles.Purchasing], me.Roles);
        Assert.Equal(AuthSchemes.Bearer, me.AuthenticatedBy);
    }

    [Fact]
    public async Task Me_RevokedBearerToken_Is401ProblemDetails()
    {
        var secret = await CreateTokenAsync("he.xin");
        using var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using (var before = await client.GetAsync(Me))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenService>();
            var user = await users.FindByNameAsync("he.xin");
            var token = Assert.Single(await tokens.ListAsync(user!.Id));
            Assert.True(await tokens.RevokeAsync(user.Id, token.Id));
        }

        using var response = await client.GetAsync(Me);

        await AssertUnauthorizedProblemAsync(response);
    }

    [Fact]
    public async Task Token_Stored_OnlyItsHashIsKept()
    {
        var secret = await CreateTokenAsync("he.xin");

        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PeopleDbContext>();
        var row = Assert.Single(db.ApiTokens);
        Assert.Equal(ApiTokenService.Hash(secret), row.TokenHash);
        Assert.DoesNotContain(secret, row.TokenHash + row.Prefix + row.Name, StringComparison.Ordinal);
    }

    private async Task<string> CreateTokenAsync(string userName)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByNameAsync(userName);
        var (_, secret) = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(user!.Id, "ERP");
        return secret;
    }

    private static async Task AssertUnauthorizedProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("UNAUTHORIZED", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
    }
}
