using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Security;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Admin;

public sealed class AdminPageTests(DemoAppFixture fixture) : IClassFixture<DemoAppFixture>
{
    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/departments")]
    [InlineData("/admin/calendars")]
    [InlineData("/admin/users/new")]
    public async Task AdminPage_NonAdmin_Is403WithAPlainReason(string path)
    {
        using var client = await fixture.SignedInAsync("zhang.wei");

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("您的角色无权访问此页面", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminPage_NonAdminOverBasic_Is403ProblemDetails()
    {
        using var client = fixture.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = HttpExtensions.Basic("zhang.wei", DemoCompany.Password);

        using var response = await client.GetAsync(new Uri("/admin", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"title\":\"FORBIDDEN\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_Admin_ListsEveryDemoUserWithDepartmentAndRoles()
    {
        using var client = await fixture.SignedInAsync("admin");

        var html = await client.GetStringAsync(new Uri("/admin", UriKind.Relative));

        Assert.All(DemoCompany.Users, u => Assert.Contains($"<code>{u.UserName}</code>", html, StringComparison.Ordinal));
        Assert.Contains("计划物控部", html, StringComparison.Ordinal);
        Assert.Contains("总经理", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calendars_Admin_ShowsCoveredYearsAndTheMissingYearWarning()
    {
        // The admin's preference (zh-CN) wins over the browser's language.
        using var client = await fixture.SignedInAsync("admin", "en");

        var html = await client.GetStringAsync(new Uri("/admin/calendars", UriKind.Relative));

        Assert.Contains("data-testid=\"calendar-cn\"", html, StringComparison.Ordinal);
        Assert.Contains("每次保存前都会先检查", html, StringComparison.Ordinal);
        // The calendar file covers 2026 and not 2027; the page looks at this year and the next.
        Assert.Contains("</i>2026</span>", html, StringComparison.Ordinal);
        Assert.Contains("缺少2027年的节假日数据", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateUser_Admin_NewUserCanSignInWithTheRolesGiven()
    {
        using var client = await fixture.SignedInAsync("admin");
        var form = await client.GetStringAsync(new Uri("/admin/users/new", UriKind.Relative));

        using var content = new FormUrlEncodedContent(
        [
            new("Input.UserName", "li.na"),
            new("Input.DisplayName", "李娜"),
            new("Input.DepartmentKey", "quality"),
            new("Input.Language", "zh-CN"),
            new("Input.TimeZone", "Asia/Shanghai"),
            new("Input.Password", "li.na-secret"),
            new("Input.Active", "true"),
            new("Input.Roles", "quality"),
            new("Input.Roles", "merchandiser"),
            new("__RequestVerificationToken", HttpExtensions.AntiforgeryToken(form)),
        ]);
        using var created = await client.PostAsync(new Uri("/admin/users/new", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        using var api = fixture.App.CreateClient();
        api.DefaultRequestHeaders.Authorization = HttpExtensions.Basic("li.na", "li.na-secret");
        var me = await api.GetFromJsonAsync<MeResponse>(new Uri("/api/me", UriKind.Relative));
        Assert.Equal("李娜", me!.DisplayName);
        Assert.Equal(["merchandiser", "quality"], me.Roles.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DeactivateUser_Admin_UserCanNoLongerSignInOrUseBasic()
    {
        using var admin = await fixture.SignedInAsync("admin");
        var id = await UserIdAsync("hu.yun");
        Assert.Contains($"href=\"/admin/users/{id}\"", await admin.GetStringAsync(new Uri("/admin", UriKind.Relative)), StringComparison.Ordinal);
        var form = await admin.GetStringAsync(new Uri($"/admin/users/{id}", UriKind.Relative));
        using var content = new FormUrlEncodedContent(
        [
            new("Input.UserName", "hu.yun"),
            new("Input.DisplayName", "胡云"),
            new("Input.DepartmentKey", "finance"),
            new("Input.Language", "zh-CN"),
            new("Input.TimeZone", "Asia/Shanghai"),
            new("Input.Roles", "finance"),
            // What the browser sends for the unticked switch (the tag helper's hidden input).
            new("Input.Active", "false"),
            new("__RequestVerificationToken", HttpExtensions.AntiforgeryToken(form)),
        ]);

        using var saved = await admin.PostAsync(new Uri($"/admin/users/{id}", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        using var browser = fixture.App.CreateBrowserClient();
        using var signIn = await browser.SignInAsync("hu.yun", DemoCompany.Password);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("此账户已停用", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var api = fixture.App.CreateClient();
        api.DefaultRequestHeaders.Authorization = HttpExtensions.Basic("hu.yun", DemoCompany.Password);
        using var me = await api.GetAsync(new Uri("/api/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task Navigation_Admin_ShowsAdminAndEveryLinkOpensAPage()
    {
        using var client = await fixture.SignedInAsync("admin");
        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var nav = html[html.IndexOf("data-testid=\"nav\"", StringComparison.Ordinal)..html.IndexOf("</ul>", html.IndexOf("data-testid=\"nav\"", StringComparison.Ordinal), StringComparison.Ordinal)];
        var links = System.Text.RegularExpressions.Regex.Matches(nav, "href=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();

        Assert.Contains("/admin", links);
        Assert.Contains("管理", nav, StringComparison.Ordinal);
        foreach (var link in links)
        {
            using var response = await client.GetAsync(new Uri(link, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{link} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Navigation_Staff_HidesAdmin()
    {
        using var client = await fixture.SignedInAsync("zhang.wei");

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.DoesNotContain("href=\"/admin\"", html, StringComparison.Ordinal);
    }

    private async Task<string> UserIdAsync(string userName)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return (await users.FindByNameAsync(userName))!.Id;
    }
}
