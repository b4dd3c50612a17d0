using System.Net;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Web.Tests.Api;

/// <summary>The API flow once on PostgreSQL: keyset paging, candidate subqueries and dates as timestamptz.</summary>
public sealed class PostgresApiFlowTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>
{
    [Fact]
    public async Task Flow_OnPostgres_DeployStartSearchAssignComplete()
    {
        await using var host = ApiTestHost.OnPostgres(await cluster.CreateDatabaseAsync("api"));
        using var owner = host.As("olivia", "process-owner");
        using var li = host.As("li.na", "sales");
        using var deployed = await owner.DeployAsync(("order.bpmn", ApiSamples.Review()), ("review.form", ApiSamples.ReviewForm));
        Assert.Equal(HttpStatusCode.OK, deployed.StatusCode);
        using var created = await li.PostJsonAsync("/v2/process-instances", """{"processDefinitionId":"api-order","variables":{"orderNo":"SO-PG"}}""");
        var instanceKey = (string)(await created.JsonAsync())["processInstanceKey"]!;

        using var found = await li.PostJsonAsync("/v2/user-tasks/search",
            """{"filter":{"state":"CREATED","candidateGroup":{"$in":["sales","finance"]},"dueDate":{"$lte":"2030-01-15T18:00:00+08:00"}},"sort":[{"field":"dueDate"},{"field":"priority","order":"DESC"}],"page":{"limit":1}}""");
        var page = await found.JsonAsync();
        var task = page["items"]![0]!;
        var taskKey = (string)task["userTaskKey"]!;
        using var next = await li.PostJsonAsync("/v2/user-tasks/search",
            $$$"""{"filter":{"state":"CREATED"},"sort":[{"field":"dueDate"},{"field":"priority","order":"DESC"}],"page":{"after":"{{{(string)page["page"]!["endCursor"]!}}}","limit":1}}""");
        using var assigned = await li.PostJsonAsync($"/v2/user-tasks/{taskKey}/assignment", """{"assignee":"li.na"}""");
        using var completed = await li.PostJsonAsync($"/v2/user-tasks/{taskKey}/completion", """{"variables":{"approved":true}}""");
        using var twice = await li.PostJsonAsync($"/v2/user-tasks/{taskKey}/completion", "{}");
        using var instance = await li.GetAsync(ApiCalls.U($"/v2/process-instances/{instanceKey}"));

        Assert.Equal(instanceKey, (string?)task["processInstanceKey"]);
        Assert.Equal("2030-01-15T10:00:00.000Z", (string?)task["dueDate"]);
        var nextPage = await next.Content.ReadAsStringAsync();
        Assert.True(next.IsSuccessStatusCode, nextPage);
        Assert.Empty(System.Text.Json.Nodes.JsonNode.Parse(nextPage)!["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.NoContent, assigned.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, completed.StatusCode);
        Assert.Contains("already completed by li.na", await twice.AssertProblemAsync(404, "NOT_FOUND"), StringComparison.Ordinal);
        Assert.Equal("COMPLETED", (string?)(await instance.JsonAsync())["state"]);
    }
}
