using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Hosting;

/// <summary>Outside demo mode: no default password; the first administrator's comes from configuration.</summary>
public sealed class FirstStartTests
{
    [Fact]
    public async Task FirstStart_NoDemoAndNoAdminPassword_StopsAndNamesTheSetting()
    {
        await using var app = WebAppFactory.OnSqlite(new Dictionary<string, string?> { ["WorkflowOrders:DemoData"] = "false" });

        var error = Assert.Throws<InvalidOperationException>(() => app.Server);

        Assert.Contains("WorkflowOrders:AdminPassword", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstStart_AdminPasswordConfigured_CreatesOnlyTheAdministrator()
    {
        await using var app = WebAppFactory.OnSqlite(new Dictionary<string, string?>
        {
            ["WorkflowOrders:DemoData"] = "false",
            ["WorkflowOrders:AdminPassword"] = "first-admin-pass",
        });
        using var client = app.CreateClient();

        client.DefaultRequestHeaders.Authorization = HttpExtensions.Basic("admin", "first-admin-pass");
        using var me = await client.GetAsync(new Uri("/api/me", UriKind.Relative));
        client.DefaultRequestHeaders.Authorization = HttpExtensions.Basic("zhang.wei", DemoCompany.Password);
        using var demo = await client.GetAsync(new Uri("/api/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, demo.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PeopleDbContext>();
        Assert.Equal(1, await db.Users.CountAsync());
        Assert.Empty(await db.Departments.ToListAsync());
    }
}
