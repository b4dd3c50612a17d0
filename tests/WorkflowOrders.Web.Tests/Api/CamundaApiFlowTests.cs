using System.Net;
using System.Text.Json.Nodes;

namespace WorkflowOrders.Web.Tests.Api;

/// <summary>One app on SQLite shared by the flow tests; each test starts its own instances.</summary>
public sealed class SqliteApiApp : IAsyncLifetime
{
    public ApiTestHost Host { get; } = ApiTestHost.OnSqlite();

    public async Task InitializeAsync()
    {
        using var owner = Host.As("olivia", "process-owner");
        using var response = await owner.DeployAsync(("order.bpmn", ApiSamples.Review()), ("review.form", ApiSamples.ReviewForm), ("payment.bpmn", ApiSamples.Payment), ("gateway.bpmn", ApiSamples.Gateway));
        response.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>The deployment → start → search → assign → complete flow in Camunda's request and response shapes.</summary>
public sealed class CamundaApiFlowTests(SqliteApiApp app) : IClassFixture<SqliteApiApp>
{
    private ApiTestHost Host => app.Host;

    [Fact]
    public async Task Deploy_BpmnAndForm_ReturnsCamundaShape()
    {
        using var owner = Host.As("olivia", "process-owner");

        using var response = await owner.DeployAsync(("order-v2.bpmn", ApiSamples.Review("api-order-deploy")), ("review.form", ApiSamples.ReviewForm));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Matches("^[0-9]+$", (string)body["deploymentKey"]!);
        Assert.Equal("<default>", (string?)body["tenantId"]);
        var deployments = body["deployments"]!.AsArray();
        var process = deployments[0]!["processDefinition"]!;
        Assert.Equal("api-order-deploy", (string?)process["processDefinitionId"]);
        Assert.Equal(1, (int?)process["processDefinitionVersion"]);
        Assert.Matches("^[0-9]+$", (string)process["processDefinitionKey"]!);
        Assert.Equal("order-v2.bpmn", (string?)process["resourceName"]);
        Assert.Null(deployments[0]!["form"]);
        var form = deployments[1]!["form"]!;
        Assert.Equal("api-review", (string?)form["formId"]);
        Assert.Equal("review.form", (string?)form["resourceName"]);
        Assert.Matches("^[0-9]+$", (string)form["formKey"]!);
    }

    [Fact]
    public async Task Deploy_InvalidDefinition_Is400WithEveryProblemAndDeploysNothing()
    {
        using var owner = Host.As("olivia", "process-owner");

        using var response = await owner.DeployAsync(("good.bpmn", ApiSamples.Review("api-atomic")), ("bad.bpmn", ApiSamples.Invalid));

        var detail = await response.AssertProblemAsync(400, "INVALID_ARGUMENT");
        Assert.Contains("bad.bpmn", detail, StringComparison.Ordinal);
        Assert.Contains("Complex", detail, StringComparison.Ordinal);
        Assert.Contains(". ", detail, StringComparison.Ordinal);
        using var search = await owner.PostJsonAsync("/v2/process-definitions/search", """{"filter":{"processDefinitionId":"api-atomic"}}""");
        Assert.Equal(0, (int?)(await search.JsonAsync())["page"]!["totalItems"]);
    }

    [Fact]
    public async Task Flow_StartSearchAssignComplete_MovesTheInstanceToCompleted()
    {
        using var erp = Host.As("erp", "sales");
        using var li = Host.As("li.na", "sales");

        using var created = await erp.PostJsonAsync("/v2/process-instances", """{"processDefinitionId":"api-order","variables":{"orderNo":"SO-1001","amount":250}}""");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var instance = await created.JsonAsync();
        var instanceKey = (string)instance["processInstanceKey"]!;
        Assert.Equal("api-order", (string?)instance["processDefinitionId"]);
        Assert.Equal(1, (int?)instance["processDefinitionVersion"]);
        Assert.Equal("<default>", (string?)instance["tenantId"]);
        Assert.Empty(instance["variables"]!.AsObject());

        using var found = await li.PostJsonAsync("/v2/user-tasks/search",
            $$$"""{"filter":{"processInstanceKey":"{{{instanceKey}}}","state":"CREATED","candidateGroup":"sales","dueDate":{"$gte":"2030-01-01T00:00:00Z","$lt":"2030-02-01T00:00:00+08:00"}},"sort":[{"field":"dueDate","order":"ASC"}],"page":{"from":0,"limit":10}}""");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var page = await found.JsonAsync();
        Assert.Equal(1, (int?)page["page"]!["totalItems"]);
        var task = page["items"]![0]!;
        var taskKey = (string)task["userTaskKey"]!;
        Assert.Equal("Review order", (string?)task["name"]);
        Assert.Equal("CREATED", (string?)task["state"]);
        Assert.Equal("Review", (string?)task["elementId"]);
        Assert.Equal(["sales"], task["candidateGroups"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(["li.na"], task["candidateUsers"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("2030-01-15T10:00:00.000Z", (string?)task["dueDate"]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", (string)task["creationDate"]!);
        Assert.Equal(instanceKey, (string?)task["processInstanceKey"]);
        Assert.Equal(50, (int?)task["priority"]);
        Assert.NotNull(page["page"]!["startCursor"]);

        using var form = await li.GetAsync(ApiCalls.U($"/v2/user-tasks/{taskKey}/form"));
        var formBody = await form.JsonAsync();
        Assert.Equal("api-review", (string?)formBody["formId"]);
        Assert.Contains("\"comment\"", (string)formBody["schema"]!, StringComparison.Ordinal);

        using var assigned = await li.PostJsonAsync($"/v2/user-tasks/{taskKey}/assignment", """{"assignee":"li.na","allowOverride":false}""");
        Assert.Equal(HttpStatusCode.NoContent, assigned.StatusCode);
        using var mine = await li.PostJsonAsync("/v2/user-tasks/search", $$$"""{"filter":{"assignee":"li.na","processInstanceKey":{{{instanceKey}}}}}""");
        Assert.Equal(taskKey, (string?)(await mine.JsonAsync())["items"]![0]!["userTaskKey"]);

        using var completed = await li.PostJsonAsync($"/v2/user-tasks/{taskKey}/completion", """{"variables":{"approved":true,"comment":"ok"}}""");
        Assert.Equal(HttpStatusCode.NoContent, completed.StatusCode);

        using var after = await erp.GetAsync(ApiCalls.U($"/v2/process-instances/{instanceKey}"));
        var item = await after.JsonAsync();
        Assert.Equal("COMPLETED", (string?)item["state"]);
        Assert.Equal("api-order (test)", (string?)item["processDefinitionName"]);
        Assert.NotNull(item["endDate"]);

        using var variables = await li.PostJsonAsync("/v2/variables/search", $$"""{"filter":{"processInstanceKey":"{{instanceKey}}"},"sort":[{"field":"name"}]}""");
        var values = (await variables.JsonAsync())["items"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => (string?)v!["value"]);
        Assert.Equal("\"SO-1001\"", values["orderNo"]);
        Assert.Equal("250", values["amount"]);
        Assert.Equal("true", values["approved"]);
    }

    [Fact]
    public async Task Complete_Twice_SecondIs404NamingWhoCompletedIt()
    {
        using var li = Host.As("li.na", "sales");
        var taskKey = await StartReviewAsync(li);
        using var first = await li.PostJsonAsync($"/v2/user-tasks/{taskKey}/completion", "{}");
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);

        using var second = await li.PostJsonAsync($"/v2/user-tasks/{taskKey}/completion", "{}");

        var detail = await second.AssertProblemAsync(404, "NOT_FOUND");
        Assert.StartsWith("Command 'COMPLETE' rejected with code 'NOT_FOUND': ", detail, StringComparison.Ordinal);
        Assert.Contains("already completed by li.na", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assign_AllowOverrideFalseAndHeldByOther_Is409InvalidState()
    {
        using var li = Host.As("li.na", "sales");
        using var admin = Host.As("root", "admin");
        var taskKey = await StartReviewAsync(li);
        (await li.PostJsonAsync($"/v2/user-tasks/{taskKey}/assignment", """{"assignee":"li.na"}""")).Dispose();

        using var response = await admin.PostJsonAsync($"/v2/user-tasks/{taskKey}/assignment", """{"assignee":"wang.fang","allowOverride":false}""");

        var detail = await response.AssertProblemAsync(409, "INVALID_STATE");
        Assert.Contains("already been assigned to li.na", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unassign_Assignee_ClearsTheAssignee()
    {
        using var li = Host.As("li.na", "sales");
        var taskKey = await StartReviewAsync(li);
        (await li.PostJsonAsync($"/v2/user-tasks/{taskKey}/assignment", """{"assignee":"li.na"}""")).Dispose();

        using var response = await li.DeleteAsync(ApiCalls.U($"/v2/user-tasks/{taskKey}/assignee"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var task = await li.GetAsync(ApiCalls.U($"/v2/user-tasks/{taskKey}"));
        Assert.Null((await task.JsonAsync())["assignee"]);
    }

    [Fact]
    public async Task Search_KeysetCursor_PagesForwardAndBackWithoutOverlap()
    {
        using var li = Host.As("li.na", "sales");
        for (var i = 0; i < 3; i++)
        {
            await StartReviewAsync(li, "api-order");
        }

        const string Filter = """ "filter":{"processDefinitionId":"api-order","state":"CREATED"},"sort":[{"field":"creationDate","order":"DESC"}] """;
        using var all = await li.PostJsonAsync("/v2/user-tasks/search", $$"""{ {{Filter}} }""");
        var everything = (await all.JsonAsync())["items"]!.AsArray().Select(t => (string)t!["userTaskKey"]!).ToList();
        using var first = await li.PostJsonAsync("/v2/user-tasks/search", $$"""{ {{Filter}}, "page":{"limit":2} }""");
        var firstPage = await first.JsonAsync();
        var end = (string)firstPage["page"]!["endCursor"]!;
        using var second = await li.PostJsonAsync("/v2/user-tasks/search", $$"""{ {{Filter}}, "page":{"after":"{{end}}","limit":2} }""");
        var secondPage = await second.JsonAsync();
        var start = (string)secondPage["page"]!["startCursor"]!;
        using var back = await li.PostJsonAsync("/v2/user-tasks/search", $$"""{ {{Filter}}, "page":{"before":"{{start}}","limit":2} }""");

        var keys1 = firstPage["items"]!.AsArray().Select(t => (string)t!["userTaskKey"]!).ToList();
        var keys2 = secondPage["items"]!.AsArray().Select(t => (string)t!["userTaskKey"]!).ToList();
        Assert.Equal(everything.Take(2), keys1);
        Assert.Equal(everything.Skip(2).Take(2), keys2);
        Assert.Equal(keys1, (await back.JsonAsync())["items"]!.AsArray().Select(t => (string)t!["userTaskKey"]!));
    }

    [Fact]
    public async Task Messages_PublishAndCorrelate_ReachTheWaitingInstance()
    {
        using var erp = Host.As("erp", "sales");
        using var started = await erp.PostJsonAsync("/v2/process-instances", """{"processDefinitionId":"api-payment","variables":{"orderNo":"SO-77"}}""");
        var instanceKey = (string)(await started.JsonAsync())["processInstanceKey"]!;

        using var correlated = await erp.PostJsonAsync("/v2/messages/correlation", """{"name":"api-paid","correlationKey":"SO-77","variables":{"paidAmount":10}}""");
        using var published = await erp.PostJsonAsync("/v2/messages/publication", """{"name":"api-paid","correlationKey":"SO-78","timeToLive":60000,"messageId":"pay-78"}""");
        using var duplicate = await erp.PostJsonAsync("/v2/messages/publication", """{"name":"api-paid","correlationKey":"SO-78","timeToLive":60000,"messageId":"pay-78"}""");

        var correlation = await correlated.JsonAsync();
        Assert.Equal(instanceKey, (string?)correlation["processInstanceKey"]);
        Assert.Equal("<default>", (string?)correlation["tenantId"]);
        Assert.Matches("^[0-9]+$", (string)correlation["messageKey"]!);
        Assert.Matches("^[0-9]+$", (string)(await published.JsonAsync())["messageKey"]!);
        await duplicate.AssertProblemAsync(409, "ALREADY_EXISTS");
        using var owner = Host.As("olivia", "process-owner");
        using var instance = await owner.GetAsync(ApiCalls.U($"/v2/process-instances/{instanceKey}"));
        Assert.Equal("COMPLETED", (string?)(await instance.JsonAsync())["state"]);
    }

    [Fact]
    public async Task Incidents_SearchAndResolve_ShowTheConditionErrorAndAccept()
    {
        using var owner = Host.As("olivia", "process-owner");
        using var started = await owner.PostJsonAsync("/v2/process-instances", """{"processDefinitionId":"api-gateway"}""");
        var instanceKey = (string)(await started.JsonAsync())["processInstanceKey"]!;

        using var search = await owner.PostJsonAsync("/v2/incidents/search", $$$"""{"filter":{"processInstanceKey":"{{{instanceKey}}}","state":"ACTIVE"}}""");
        var incident = (await search.JsonAsync())["items"]![0]!;
        Assert.Equal("CONDITION_ERROR", (string?)incident["errorType"]);
        Assert.Equal("Amount", (string?)incident["elementId"]);
        Assert.Equal("api-gateway", (string?)incident["processDefinitionId"]);

        using var resolved = await owner.PostJsonAsync($"/v2/incidents/{(string)incident["incidentKey"]!}/resolution", "");
        Assert.Equal(HttpStatusCode.NoContent, resolved.StatusCode);
        using var again = await owner.PostJsonAsync($"/v2/incidents/{(string)incident["incidentKey"]!}/resolution", "");
        await again.AssertProblemAsync(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Cancel_ActiveInstance_Is204AndTerminated()
    {
        using var owner = Host.As("olivia", "process-owner");
        using var started = await owner.PostJsonAsync("/v2/process-instances", """{"processDefinitionId":"api-order","processDefinitionVersion":-1}""");
        var instanceKey = (string)(await started.JsonAsync())["processInstanceKey"]!;

        using var canceled = await owner.PostJsonAsync($"/v2/process-instances/{instanceKey}/cancellation", "");
        using var search = await owner.PostJsonAsync("/v2/process-instances/search", $$$"""{"filter":{"processInstanceKey":{"$in":["{{{instanceKey}}}"]},"state":"TERMINATED"}}""");
        using var twice = await owner.PostJsonAsync($"/v2/process-instances/{instanceKey}/cancellation", "");

        Assert.Equal(HttpStatusCode.NoContent, canceled.StatusCode);
        Assert.Equal(1, (int?)(await search.JsonAsync())["page"]!["totalItems"]);
        await twice.AssertProblemAsync(404, "NOT_FOUND");
    }

    [Fact]
    public async Task ProcessDefinitions_SearchAndXml_ReturnTheDeployedBpmn()
    {
        using var user = Host.As("li.na", "sales");
        using var search = await user.PostJsonAsync("/v2/process-definitions/search", """{"filter":{"processDefinitionId":"api-payment","isLatestVersion":true}}""");
        var definition = (await search.JsonAsync())["items"]![0]!;

        using var xml = await user.GetAsync(ApiCalls.U($"/v2/process-definitions/{(string)definition["processDefinitionKey"]!}/xml"));

        Assert.Equal("text/xml", xml.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"api-payment\"", await xml.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsupportedEndpoint_Is404ProblemListingTheSupportedOnes()
    {
        using var user = Host.As("li.na", "sales");

        using var response = await user.PostJsonAsync("/v2/jobs/activation", "{}");

        var detail = await response.AssertProblemAsync(404, "NOT_FOUND");
        Assert.Contains("is not supported by WorkflowOrders", detail, StringComparison.Ordinal);
        Assert.Contains("POST /v2/user-tasks/search", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_Document_ListsTheUserTaskSearch()
    {
        using var client = Host.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync(ApiCalls.U("/openapi/v1.json")))!;

        Assert.NotNull(document["paths"]!["/v2/user-tasks/search"]);
        Assert.NotNull(document["paths"]!["/v2/deployments"]);
    }

    [Fact]
    public async Task NoCredentials_Is401Problem()
    {
        using var client = Host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.PostJsonAsync("/v2/user-tasks/search", "{}");

        await response.AssertProblemAsync(401, "UNAUTHORIZED");
    }

    private async Task<string> StartReviewAsync(HttpClient client, string processId = "api-order")
    {
        using var created = await client.PostJsonAsync("/v2/process-instances", $$"""{"processDefinitionId":"{{processId}}"}""");
        var instanceKey = (string)(await created.JsonAsync())["processInstanceKey"]!;
        using var owner = Host.As("olivia", "process-owner");
        using var found = await owner.PostJsonAsync("/v2/user-tasks/search", $$$"""{"filter":{"processInstanceKey":"{{{instanceKey}}}"}}""");
        return (string)(await found.JsonAsync())["items"]![0]!["userTaskKey"]!;
    }
}
