using System.Net;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.SignIn;

public sealed class SignInPageTests(DemoAppFixture fixture) : IClassFixture<DemoAppFixture>
{
    private static readonly Uri SignIn = new("/signin", UriKind.Relative);

    [Theory]
    [InlineData("zh-CN,zh;q=0.9", "zh-CN", "登录您的账户", "用户名")]
    [InlineData("en-US,en;q=0.9", "en", "Sign in to your account", "User name")]
    public async Task SignIn_BrowserLanguage_RendersThatLanguage(string acceptLanguage, string htmlLang, string heading, string label)
    {
        using var client = fixture.App.CreateBrowserClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);

        var html = await client.GetStringAsync(SignIn);

        Assert.Contains($"<html lang=\"{htmlLang}\">", html, StringComparison.Ordinal);
        Assert.Contains(heading, html, StringComparison.Ordinal);
        Assert.Contains(label, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_NoAcceptLanguage_DefaultsToChinese()
    {
        using var client = fixture.App.CreateBrowserClient();

        var html = await client.GetStringAsync(SignIn);

        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_DemoReviewer_GetsCookieAndSeesTheirNameAndRole()
    {
        using var client = fixture.App.CreateBrowserClient();

        using var response = await client.SignInAsync("zheng.li", DemoCompany.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("wo.auth=", StringComparison.Ordinal));
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("欢迎，郑丽", home, StringComparison.Ordinal);
        Assert.Contains("计划物控", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsReasonAndSetsNoCookie()
    {
        using var client = fixture.App.CreateBrowserClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        using var response = await client.SignInAsync("zheng.li", "not-the-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Unknown user name or wrong password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("wo.auth=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Page_Anonymous_RedirectsToSignInWithReturnUrl()
    {
        using var client = fixture.App.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/profile", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/signin?ReturnUrl=%2Fprofile", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_Post_EndsTheSession()
    {
        using var client = await fixture.SignedInAsync("ma.jun");
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = HttpExtensions.AntiforgeryToken(home) });

        using var signOut = await client.PostAsync(new Uri("/signout", UriKind.Relative), form);
        using var after = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("http://localhost/signin", after.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LanguageSwitch_English_SwitchesThePagesAndIsRemembered()
    {
        using var client = await fixture.SignedInAsync("xu.gang");
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("<html lang=\"zh-CN\">", home, StringComparison.Ordinal);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "en",
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = HttpExtensions.AntiforgeryToken(home),
        });

        using var switched = await client.PostAsync(new Uri("/language", UriKind.Relative), form);
        var english = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
        Assert.Contains("Welcome, 徐刚", english, StringComparison.Ordinal);
        // The preference is stored: a new session from a Chinese browser opens in English too.
        using var fresh = await fixture.SignedInAsync("xu.gang", language: "zh-CN");
        var again = await fresh.GetStringAsync(new Uri("/profile", UriKind.Relative));
        Assert.Contains("<html lang=\"en\">", again, StringComparison.Ordinal);
    }
}
