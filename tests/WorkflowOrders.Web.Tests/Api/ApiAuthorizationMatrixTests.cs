using System.Net;

namespace WorkflowOrders.Web.Tests.Api;

/// <summary>
/// Each role × each endpoint → allowed or 403 with a plain reason. The task used is offered to the role
/// <c>sales</c>; <c>finance</c> has nothing to do with it; <c>gm</c> oversees but does not act on others' tasks.
/// </summary>
public sealed class ApiAuthorizationMatrixTests(SqliteApiApp app) : IClassFixture<SqliteApiApp>
{
    private static readonly Dictionary<string, string> UserOf = new()
    {
        ["admin"] = "root",
        ["process-owner"] = "olivia",
        ["gm"] = "boss",
        ["sales"] = "zhang.wei",
        ["finance"] = "qian.cai",
    };

    // endpoint, then allowed for: admin, process-owner, gm, sales, finance. Deploying needs the process-owner role
    // itself; the admin role alone does not deploy (cancelling and resolving incidents stay open to admins).
    private static readonly (string Endpoint, bool[] Allowed)[] Matrix =
    [
        ("deploy", [false, true, false, false, false]),
        ("start-instance", [true, true, true, true, true]),
        ("get-instance", [true, true, true, true, false]),
        ("cancel-instance", [true, true, false, false, false]),
        ("get-task", [true, true, true, true, false]),
        ("get-task-form", [true, true, true, true, false]),
        ("claim-task", [true, false, false, true, false]),
        ("unassign-task", [true, false, false, true, false]),
        ("complete-task", [true, false, false, true, false]),
        ("publish-message", [true, true, true, true, true]),
        ("resolve-incident", [true, true, false, false, false]),
        ("search-tasks", [true, true, true, true, true]),
    ];

    public static TheoryData<string, string, bool> Cases()
    {
        var roles = new[] { "admin", "process-owner", "gm", "sales", "finance" };
        var data = new TheoryData<string, string, bool>();
        foreach (var (endpoint, allowed) in Matrix)
        {
            for (var i = 0; i < roles.Length; i++)
            {
                data.Add(roles[i], endpoint, allowed[i]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Endpoint_ForRole_IsAllowedOrForbidden(string role, string endpoint, bool allowed)
    {
        using var owner = app.Host.As("olivia", "process-owner");
        using var caller = app.Host.As(UserOf[role], role);
        var (instanceKey, taskKey) = await StartReviewAsync(owner);
        if (endpoint == "unassign-task")
        {
            using var admin = app.Host.As("root", "admin");
            (await admin.PostJsonAsync($"/v2/user-tasks/{taskKey}/assignment", $$"""{"assignee":"{{(role == "sales" ? "zhang.wei" : "someone")}}"}""")).Dispose();
        }

        using var response = endpoint switch
        {
            "deploy" => await caller.DeployAsync(("matrix.bpmn", ApiSamples.Review("api-matrix"))),
            "start-instance" => await caller.PostJsonAsync("/v2/process-instances", """{"processDefinitionId":"api-order"}"""),
            "get-instance" => await caller.GetAsync(ApiCalls.U($"/v2/process-instances/{instanceKey}")),
            "cancel-instance" => await caller.PostJsonAsync($"/v2/process-instances/{instanceKey}/cancellation", ""),
            "get-task" => await caller.GetAsync(ApiCalls.U($"/v2/user-tasks/{taskKey}")),
            "get-task-form" => await caller.GetAsync(ApiCalls.U($"/v2/user-tasks/{taskKey}/form")),
            "claim-task" => await caller.PostJsonAsync($"/v2/user-tasks/{taskKey}/assignment", $$"""{"assignee":"{{UserOf[role]}}"}"""),
            "unassign-task" => await caller.DeleteAsync(ApiCalls.U($"/v2/user-tasks/{taskKey}/assignee")),
            "complete-task" => await caller.PostJsonAsync($"/v2/user-tasks/{taskKey}/completion", """{"variables":{"ok":true}}"""),
            "publish-message" => await caller.PostJsonAsync("/v2/messages/publication", """{"name":"api-matrix","correlationKey":"x"}"""),
            // An unknown incident: a permitted caller reaches the engine (404), a refused one stops at 403.
            "resolve-incident" => await caller.PostJsonAsync("/v2/incidents/999999999/resolution", ""),
            "search-tasks" => await caller.PostJsonAsync("/v2/user-tasks/search", "{}"),
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint)),
        };

        if (allowed)
        {
            var status = (int)response.StatusCode;
            Assert.True(status is >= 200 and < 300 || (endpoint == "resolve-incident" && status == 404),
                $"{role} on {endpoint}: expected success, got {status}: {await response.Content.ReadAsStringAsync()}");
        }
        else
        {
            var detail = await response.AssertProblemAsync(403, "FORBIDDEN");
            Assert.False(string.IsNullOrWhiteSpace(detail));
        }
    }

    [Theory]
    [InlineData("sales", true)]
    [InlineData("finance", false)]
    [InlineData("gm", true)]
    public async Task SearchTasks_ForRole_ShowsOnlyTasksTheRoleMaySee(string role, bool seesTask)
    {
        using var owner = app.Host.As("olivia", "process-owner");
        using var caller = app.Host.As(UserOf[role], role);
        var (_, taskKey) = await StartReviewAsync(owner);

        using var response = await caller.PostJsonAsync("/v2/user-tasks/search", $$$"""{"filter":{"userTaskKey":"{{{taskKey}}}"}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(seesTask ? 1 : 0, (int?)(await response.JsonAsync())["page"]!["totalItems"]);
    }

    [Fact]
    public async Task Deploy_AdminWithoutProcessOwnerRole_Is403NamingTheRoleAndDeploysNothing()
    {
        using var admin = app.Host.As("root", "admin");

        using var response = await admin.DeployAsync(("admin-only.bpmn", ApiSamples.Review("api-admin-only")));
        using var definitions = await admin.PostJsonAsync("/v2/process-definitions/search", """{"filter":{"processDefinitionId":"api-admin-only"}}""");

        var detail = await response.AssertProblemAsync(403, "FORBIDDEN");
        Assert.Equal("Only users with the process-owner role deploy process definitions and forms.", detail);
        Assert.Equal(HttpStatusCode.OK, definitions.StatusCode);
        Assert.Equal(0, (int?)(await definitions.JsonAsync())["page"]!["totalItems"]);
    }

    [Fact]
    public async Task Deploy_AdminGivenProcessOwnerRole_Deploys()
    {
        using var admin = app.Host.As("root", "admin", "process-owner");

        using var response = await admin.DeployAsync(("admin-owner.bpmn", ApiSamples.Review("api-admin-owner")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("api-admin-owner", (string?)(await response.JsonAsync())["deployments"]![0]!["processDefinition"]!["processDefinitionId"]);
    }

    [Theory]
    [InlineData("cancel-instance", "Only process owners and admins cancel process instances.")]
    [InlineData("resolve-incident", "Only process owners and admins resolve incidents.")]
    public async Task OwnerOrAdminEndpoint_Sales_Is403SayingOwnersAndAdmins(string endpoint, string expected)
    {
        using var owner = app.Host.As("olivia", "process-owner");
        using var sales = app.Host.As("zhang.wei", "sales");
        var (instanceKey, _) = await StartReviewAsync(owner);

        using var response = endpoint == "cancel-instance"
            ? await sales.PostJsonAsync($"/v2/process-instances/{instanceKey}/cancellation", "")
            : await sales.PostJsonAsync("/v2/incidents/999999999/resolution", "");

        Assert.Equal(expected, await response.AssertProblemAsync(403, "FORBIDDEN"));
    }

    private static async Task<(string InstanceKey, string TaskKey)> StartReviewAsync(HttpClient owner)
    {
        using var created = await owner.PostJsonAsync("/v2/process-instances", """{"processDefinitionId":"api-order"}""");
        var instanceKey = (string)(await created.JsonAsync())["processInstanceKey"]!;
        using var found = await owner.PostJsonAsync("/v2/user-tasks/search", $$$"""{"filter":{"processInstanceKey":"{{{instanceKey}}}"}}""");
        return (instanceKey, (string)(await found.JsonAsync())["items"]![0]!["userTaskKey"]!);
    }
}
