using System.Net;
using System.Text.Json;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Hosting;

/// <summary>/health answers without sign-in and says whether the database is reachable and how late due jobs are.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Health_Anonymous_ReportsDatabaseReachableAndOldestDueJobLateness()
    {
        await using var app = WebAppFactory.OnSqlite(new Dictionary<string, string?> { ["WorkflowOrders:DemoData"] = "true" });
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var database = json.RootElement.GetProperty("checks").GetProperty("database");
        Assert.Equal("reachable", database.GetProperty("data").GetProperty("database").GetString());
        Assert.True(database.GetProperty("data").TryGetProperty("oldestDueJobLateSeconds", out _));
        Assert.Contains("oldest due job", database.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
