using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Profile;

public sealed partial class ProfilePageTests(DemoAppFixture fixture) : IClassFixture<DemoAppFixture>
{
    private static readonly Uri Profile = new("/profile", UriKind.Relative);
    private static readonly Uri Me = new("/api/me", UriKind.Relative);

    [Fact]
    public async Task CreateToken_Profile_ShowsSecretOnceAndItAuthenticatesUntilRevoked()
    {
        using var client = await fixture.SignedInAsync("zhou.jie", "en");
        var page = await client.GetStringAsync(Profile);

        using var create = await client.PostAsync(new Uri("/profile/CreateToken", UriKind.Relative), Form(page, ("TokenName", "PLM")));
        var created = await create.Content.ReadAsStringAsync();
        var secret = SecretPattern().Match(created).Groups[1].Value;
        var listed = await client.GetStringAsync(Profile);

        Assert.StartsWith("wo_", secret, StringComparison.Ordinal);
        Assert.Contains("PLM", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await MeStatusAsync(secret));

        var id = RevokeIdPattern().Match(listed).Groups[1].Value;
        using var revoke = await client.PostAsync(new Uri($"/profile/Revoke?id={id}", UriKind.Relative), Form(listed));

        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(secret));
        Assert.Contains("已撤销", await client.GetStringAsync(Profile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_SomeoneElsesToken_IsNotFoundAndTheTokenKeepsWorking()
    {
        using var owner = await fixture.SignedInAsync("sun.lei", "en");
        var page = await owner.GetStringAsync(Profile);
        using var create = await owner.PostAsync(new Uri("/profile/CreateToken", UriKind.Relative), Form(page, ("TokenName", "script")));
        var created = await create.Content.ReadAsStringAsync();
        var secret = SecretPattern().Match(created).Groups[1].Value;
        var id = RevokeIdPattern().Match(await owner.GetStringAsync(Profile)).Groups[1].Value;

        using var other = await fixture.SignedInAsync("wu.hao", "en");
        var otherPage = await other.GetStringAsync(Profile);
        using var revoke = await other.PostAsync(new Uri($"/profile/Revoke?id={id}", UriKind.Relative), Form(otherPage));

        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeStatusAsync(secret));
    }

    [Fact]
    public async Task Preferences_TimeZone_IsSavedAndShownInTheClaims()
    {
        using var client = await fixture.SignedInAsync("ma.jun", "en");
        var page = await client.GetStringAsync(Profile);

        using var save = await client.PostAsync(new Uri("/profile/Preferences", UriKind.Relative),
            Form(page, ("Preferences.Language", "en"), ("Preferences.TimeZone", "Europe/Berlin")));

        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        using var api = fixture.App.CreateClient();
        api.DefaultRequestHeaders.Authorization = HttpExtensions.Basic("ma.jun", WorkflowOrders.Web.People.DemoCompany.Password);
        var me = await api.GetStringAsync(Me);
        Assert.Contains("\"timeZone\":\"Europe/Berlin\"", me, StringComparison.Ordinal);
        Assert.Contains("\"language\":\"en\"", me, StringComparison.Ordinal);
    }

    private async Task<HttpStatusCode> MeStatusAsync(string token)
    {
        using var api = fixture.App.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await api.GetAsync(Me);
        return response.StatusCode;
    }

    private static FormUrlEncodedContent Form(string page, params (string Key, string Value)[] fields) =>
        new([.. fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)), new("__RequestVerificationToken", HttpExtensions.AntiforgeryToken(page))]);

    [GeneratedRegex("data-testid=\"new-token\">([^<]+)<")]
    private static partial Regex SecretPattern();

    [GeneratedRegex("action=\"/profile/Revoke\\?id=(\\d+)\"")]
    private static partial Regex RevokeIdPattern();
}
