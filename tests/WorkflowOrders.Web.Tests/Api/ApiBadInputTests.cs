namespace WorkflowOrders.Web.Tests.Api;

/// <summary>Malformed JSON, wrong types, missing fields, non-numeric keys and unknown tasks: always a 4xx problem, never a 500.</summary>
public sealed class ApiBadInputTests(SqliteApiApp app) : IClassFixture<SqliteApiApp>
{
    private static readonly (string Method, string Path)[] Endpoints =
    [
        ("POST", "/v2/deployments"),
        ("POST", "/v2/process-instances"),
        ("GET", "/v2/process-instances/abc"),
        ("POST", "/v2/process-instances/search"),
        ("POST", "/v2/process-instances/1x/cancellation"),
        ("POST", "/v2/user-tasks/search"),
        ("GET", "/v2/user-tasks/12ab"),
        ("GET", "/v2/user-tasks/--1/form"),
        ("POST", "/v2/user-tasks/1/assignment"),
        ("DELETE", "/v2/user-tasks/not-a-key/assignee"),
        ("POST", "/v2/user-tasks/1/completion"),
        ("POST", "/v2/messages/publication"),
        ("POST", "/v2/messages/correlation"),
        ("POST", "/v2/incidents/search"),
        ("POST", "/v2/incidents/x/resolution"),
        ("POST", "/v2/variables/search"),
        ("GET", "/v2/variables/1.5"),
        ("POST", "/v2/process-definitions/search"),
        ("GET", "/v2/process-definitions/abc/xml"),
    ];

    private static readonly string[] Garbage =
    [
        "{not json",
        "[1,2,3]",
        "\"just a string\"",
        "{\"filter\":\"nope\",\"variables\":[1],\"name\":42,\"assignee\":{}}",
        "{\"page\":{\"limit\":\"ten\"},\"sort\":{\"field\":1},\"processDefinitionKey\":\"12x\"}",
        "{\"filter\":{\"userTaskKey\":{\"$in\":\"x\"},\"dueDate\":{\"$gt\":\"yesterday\"},\"state\":{\"$regex\":\".*\"}}}",
        "\u0000\u0001\u0002",
    ];

    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var (method, path) in Endpoints)
        {
            for (var i = 0; i < Garbage.Length; i++)
            {
                data.Add(method, path, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Endpoint_GarbageBody_Is4xxProblemNever500(string method, string path, int garbage)
    {
        // Both roles, so the garbage gets past authorization to every endpoint's reading of the body: deploying admits
        // the process-owner role only, everything else the admin.
        using var client = app.Host.As("root", "admin", "process-owner");
        using var request = new HttpRequestMessage(new HttpMethod(method), ApiCalls.U(path))
        {
            Content = new StringContent(Garbage[garbage], System.Text.Encoding.UTF8, "application/json"),
        };

        using var response = await client.SendAsync(request);

        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{method} {path} with garbage #{garbage}: {status} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/v2/user-tasks/abc/completion", "userTaskKey")]
    [InlineData("/v2/process-instances/12.5/cancellation", "processInstanceKey")]
    [InlineData("/v2/incidents/x1/resolution", "incidentKey")]
    public async Task Command_NonNumericKey_Is400NamingTheKey(string path, string keyName)
    {
        using var client = app.Host.As("root", "admin");

        using var response = await client.PostJsonAsync(path, "{}");

        var detail = await response.AssertProblemAsync(400, "INVALID_ARGUMENT");
        Assert.Contains(keyName, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_UnknownTask_Is404InCamundaWords()
    {
        using var client = app.Host.As("root", "admin");

        using var response = await client.PostJsonAsync("/v2/user-tasks/4242424242/completion", "{}");

        var detail = await response.AssertProblemAsync(404, "NOT_FOUND");
        Assert.Equal("Command 'COMPLETE' rejected with code 'NOT_FOUND': Expected to complete user task with key '4242424242', but no such user task was found.", detail);
    }

    [Fact]
    public async Task Assignment_MissingAssignee_Is400()
    {
        using var client = app.Host.As("root", "admin");

        using var response = await client.PostJsonAsync("/v2/user-tasks/1/assignment", """{"allowOverride":true}""");

        var detail = await response.AssertProblemAsync(400, "INVALID_ARGUMENT");
        Assert.Contains("assignee", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateInstance_VariablesNotAnObject_Is400NamingTheField()
    {
        using var client = app.Host.As("root", "admin");

        using var response = await client.PostJsonAsync("/v2/process-instances", """{"processDefinitionId":"api-order","variables":[1,2]}""");

        var detail = await response.AssertProblemAsync(400, "INVALID_ARGUMENT");
        Assert.Equal("The field 'variables' must be a JSON object, but was an array.", detail);
    }

    [Fact]
    public async Task CreateInstance_UnknownProcess_Is404Rejection()
    {
        using var client = app.Host.As("root", "admin");

        using var response = await client.PostJsonAsync("/v2/process-instances", """{"processDefinitionId":"no-such-process"}""");

        var detail = await response.AssertProblemAsync(404, "NOT_FOUND");
        Assert.StartsWith("Command 'CREATE' rejected with code 'NOT_FOUND'", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_DateWithoutOffset_Is400()
    {
        using var client = app.Host.As("root", "admin");

        using var response = await client.PostJsonAsync("/v2/user-tasks/search", """{"filter":{"dueDate":{"$lt":"2030-01-01T00:00:00"}}}""");

        var detail = await response.AssertProblemAsync(400, "INVALID_ARGUMENT");
        Assert.Contains("filter.dueDate.$lt", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_UnknownSortField_Is400ListingTheSortable()
    {
        using var client = app.Host.As("root", "admin");

        using var response = await client.PostJsonAsync("/v2/user-tasks/search", """{"sort":[{"field":"colour"}]}""");

        var detail = await response.AssertProblemAsync(400, "INVALID_ARGUMENT");
        Assert.Contains("dueDate", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ForeignCursor_Is400()
    {
        using var client = app.Host.As("root", "admin");

        using var response = await client.PostJsonAsync("/v2/user-tasks/search", """{"page":{"after":"bm90LWEtY3Vyc29y"}}""");

        await response.AssertProblemAsync(400, "INVALID_ARGUMENT");
    }
}
