using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.Features.Procedures;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Designer;

/// <summary>
/// The designer's JSON endpoints (<c>/designer/api</c>) called as an integration would: the demo process owner with
/// HTTP Basic (no antiforgery token needed), load, draft, validate and deploy; everyone else, admins included, 403.
/// Each process is used by the tests of one behaviour, so the tests of this class do not disturb one another.
/// </summary>
public sealed partial class DesignerEndpointTests(DemoAppFixture fixture) : IClassFixture<DemoAppFixture>
{
    private const string Owner = "gao.yan";

    /// <summary>An element the engine refuses (docs/bpmn-dialect.md), placed before the start event of a definition.</summary>
    private const string UnsupportedGateway = "<bpmn:inclusiveGateway id=\"Gateway_Unsupported\" />";

    [Fact]
    public async Task Load_DeployedProcess_ReturnsXmlAndLatestVersion()
    {
        using var client = Basic(Owner);

        using var response = await client.GetAsync(Api("order-fulfilment"));

        var body = await OkJsonAsync(response);
        Assert.Equal("order-fulfilment", (string?)body["processId"]);
        Assert.Equal(await LatestXmlAsync("order-fulfilment"), (string?)body["xml"]);
        var versions = await VersionCountAsync("order-fulfilment");
        Assert.Equal(versions, (int?)body["latestVersion"]);
        Assert.Null(body["draft"]);
        // In the user's language (gao.yan's is zh-CN), for the bar the designer updates after discarding a draft.
        Assert.Equal($"已发布版本 {versions}", (string?)body["versionText"]);
    }

    [Fact]
    public async Task Load_UnknownProcess_Is404Problem()
    {
        using var client = Basic(Owner);

        using var response = await client.GetAsync(Api("no-such-process"));

        var detail = await AssertProblemAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Contains("'no-such-process'", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveDraft_ChangedName_IsSavedAndLoadReturnsTheDraft()
    {
        using var client = Basic(Owner);
        var draft = Renamed(await LatestXmlAsync("order-change"), "order-change", "订单变更（草稿）");

        using var saved = await client.PutAsync(Api("order-change", "draft"), Xml(draft));
        using var loaded = await client.GetAsync(Api("order-change"));

        var answer = await OkJsonAsync(saved);
        Assert.Equal(Owner, (string?)answer["draft"]!["savedBy"]);
        var body = await OkJsonAsync(loaded);
        Assert.Equal(draft, (string?)body["xml"]);
        Assert.Equal("订单变更（草稿）", (string?)body["name"]);
        Assert.Equal(Owner, (string?)body["draft"]!["savedBy"]);
        Assert.Equal((int?)body["latestVersion"], (int?)body["draft"]!["basedOnVersion"]);
        Assert.NotNull(await DraftAsync("order-change"));
    }

    [Fact]
    public async Task SaveDraft_OtherProcessId_Is400AndKeepsNoDraft()
    {
        using var client = Basic(Owner);
        var other = await LatestXmlAsync("nonconformance");

        using var response = await client.PutAsync(Api("order-cancellation", "draft"), Xml(other));

        var detail = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
        Assert.Contains("'order-cancellation'", detail, StringComparison.Ordinal);
        Assert.Null(await DraftAsync("order-cancellation"));
    }

    [Fact]
    public async Task DiscardDraft_Saved_Is204ThenLoadShowsDeployedVersionAndSecondDiscardIs404()
    {
        using var client = Basic(Owner);
        var deployed = await LatestXmlAsync("order-fulfilment");
        using var saved = await client.PutAsync(Api("order-fulfilment", "draft"), Xml(Renamed(deployed, "order-fulfilment", "订单评审（待放弃）")));
        await OkJsonAsync(saved);

        using var discarded = await client.DeleteAsync(Api("order-fulfilment", "draft"));
        using var loaded = await client.GetAsync(Api("order-fulfilment"));
        using var again = await client.DeleteAsync(Api("order-fulfilment", "draft"));

        Assert.Equal(HttpStatusCode.NoContent, discarded.StatusCode);
        var body = await OkJsonAsync(loaded);
        Assert.Equal(deployed, (string?)body["xml"]);
        Assert.Null(body["draft"]);
        Assert.Null(await DraftAsync("order-fulfilment"));
        var detail = await AssertProblemAsync(again, HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Contains("no draft of 'order-fulfilment'", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MalformedXml_ReturnsErrors()
    {
        using var client = Basic(Owner);

        using var response = await client.PostAsync(Api("order-change", "validate"), Xml("<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"><bpmn:process id="));

        var body = await OkJsonAsync(response);
        Assert.False((bool?)body["valid"]);
        Assert.Contains(body["problems"]!.AsArray(), p => (string?)p!["severity"] == "error" && !string.IsNullOrWhiteSpace((string?)p["message"]));
    }

    [Fact]
    public async Task Validate_UnsupportedElement_NamesThatElement()
    {
        using var client = Basic(Owner);
        var xml = WithUnsupportedGateway(await LatestXmlAsync("order-change"));

        using var response = await client.PostAsync(Api("order-change", "validate"), Xml(xml));

        var body = await OkJsonAsync(response);
        Assert.False((bool?)body["valid"]);
        var problem = Assert.Single(body["problems"]!.AsArray(), p => (string?)p!["elementId"] == "Gateway_Unsupported");
        Assert.Equal("error", (string?)problem!["severity"]);
        Assert.Contains("parallel gateway followed by an exclusive gateway", (string?)problem["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_DeployedDefinition_IsValid()
    {
        using var client = Basic(Owner);

        using var response = await client.PostAsync(Api("order-change", "validate"), Xml(await LatestXmlAsync("order-change")));

        var body = await OkJsonAsync(response);
        Assert.True((bool?)body["valid"]);
        Assert.DoesNotContain(body["problems"]!.AsArray(), p => (string?)p!["severity"] == "error");
    }

    [Fact]
    public async Task Deploy_UnsupportedElement_Is422WithProblemsAndCreatesNoVersion()
    {
        using var client = Basic(Owner);
        var before = await VersionCountAsync("nonconformance");
        var xml = WithUnsupportedGateway(Renamed(await LatestXmlAsync("nonconformance"), "nonconformance", "不合格品控制（不可运行）"));

        using var response = await client.PostAsync(Api("nonconformance", "deploy"), Xml(xml));

        var detail = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "INVALID_ARGUMENT");
        Assert.StartsWith("The definition was refused: nothing was deployed.", detail, StringComparison.Ordinal);
        var problems = (await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync()))!["problems"]!.AsArray();
        Assert.Contains(problems, p => (string?)p!["elementId"] == "Gateway_Unsupported" && (string?)p["severity"] == "error");
        Assert.Equal(before, await VersionCountAsync("nonconformance"));
    }

    [Fact]
    public async Task Deploy_ChangedDefinition_CreatesNextVersionRemovesDraftAndRecordsTheDeployer()
    {
        using var client = Basic(Owner);
        var before = await VersionCountAsync("nonconformance");
        var changed = Renamed(await LatestXmlAsync("nonconformance"), "nonconformance", $"不合格品控制（第 {before + 1} 版）");
        using var saved = await client.PutAsync(Api("nonconformance", "draft"), Xml(changed));
        await OkJsonAsync(saved);

        using var response = await client.PostAsync(Api("nonconformance", "deploy"), Xml(changed));

        var body = await OkJsonAsync(response);
        Assert.Equal(before + 1, (int?)body["version"]);
        Assert.Equal(before, (int?)body["previousVersion"]);
        Assert.False((bool?)body["unchanged"]);
        Assert.Equal(before + 1, await VersionCountAsync("nonconformance"));
        Assert.Equal(changed, await LatestXmlAsync("nonconformance"));
        Assert.Null(await DraftAsync("nonconformance"));

        await using var db = Db();
        var audit = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Kind == AuditKinds.DefinitionDeployed && e.ElementId == "nonconformance")
            .OrderByDescending(e => e.Id).FirstAsync();
        Assert.Equal(Owner, audit.Actor);
        Assert.Contains($"\"version\":{before + 1}", audit.Details, StringComparison.Ordinal);
        var history = (await ProceduresAsync()).History.First(h => !h.IsForm && h.ResourceId == "nonconformance");
        Assert.Equal(("高燕", (int?)(before + 1)), (history.Actor, history.Version));
    }

    [Fact]
    public async Task Deploy_SameDefinitionAgain_IsUnchangedAndCreatesNoVersion()
    {
        using var client = Basic(Owner);
        var before = await VersionCountAsync("order-cancellation");
        var changed = Renamed(await LatestXmlAsync("order-cancellation"), "order-cancellation", $"订单取消（第 {before + 1} 版）");
        using var first = await client.PostAsync(Api("order-cancellation", "deploy"), Xml(changed));
        Assert.Equal(before + 1, (int?)(await OkJsonAsync(first))["version"]);
        var deployments = await DeploymentAuditCountAsync("order-cancellation");

        using var again = await client.PostAsync(Api("order-cancellation", "deploy"), Xml(changed));

        var body = await OkJsonAsync(again);
        Assert.True((bool?)body["unchanged"]);
        Assert.Equal(before + 1, (int?)body["version"]);
        Assert.Equal(before + 1, await VersionCountAsync("order-cancellation"));
        Assert.Equal(deployments, await DeploymentAuditCountAsync("order-cancellation"));
    }

    public static TheoryData<string, string, string> ForbiddenCases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var user in new[] { "zhang.wei", "admin" })
        {
            foreach (var (method, path) in new[] { ("GET", "/designer/api/templates"), ("GET", "processes/order-change"), ("PUT", "draft"), ("DELETE", "draft"), ("POST", "validate"), ("POST", "deploy") })
            {
                data.Add(user, method, path);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ForbiddenCases))]
    public async Task Endpoint_SalesOrAdminWithoutProcessOwnerRole_Is403Problem(string user, string method, string path)
    {
        using var client = Basic(user);
        var url = path.StartsWith('/') ? new Uri(path, UriKind.Relative) : path.StartsWith("processes/", StringComparison.Ordinal) ? Api("order-change") : Api("order-change", path);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "PUT" or "POST")
        {
            request.Content = Xml(Renamed(await LatestXmlAsync("order-change"), "order-change", "订单变更（" + user + "）"));
        }

        using var response = await client.SendAsync(request);

        var detail = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.False(string.IsNullOrWhiteSpace(detail));
        var draft = await DraftAsync("order-change");
        Assert.NotEqual(user, draft?.SavedBy);
    }

    [Fact]
    public async Task SaveDraft_CookieWithoutAntiforgeryHeader_Is400AndKeepsNoDraft()
    {
        using var client = await fixture.SignedInAsync(Owner);
        var xml = Renamed(await LatestXmlAsync("order-cancellation"), "order-cancellation", "订单取消（无令牌）");

        using var response = await client.PutAsync(Api("order-cancellation", "draft"), Xml(xml));

        var detail = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
        Assert.Equal("The antiforgery token is missing or invalid: reload the designer page and try again.", detail);
        Assert.Null(await DraftAsync("order-cancellation"));
    }

    [Fact]
    public async Task SaveDraft_CookieWithThePagesAntiforgeryHeader_IsSaved()
    {
        using var client = await fixture.SignedInAsync(Owner);
        var page = await client.GetStringAsync(new Uri("/designer/nonconformance", UriKind.Relative));
        var config = JsonNode.Parse(ConfigScript().Match(page).Groups[1].Value)!;
        var xml = Renamed(await LatestXmlAsync("nonconformance"), "nonconformance", "不合格品控制（带令牌）");
        using var request = new HttpRequestMessage(HttpMethod.Put, Api("nonconformance", "draft")) { Content = Xml(xml) };
        request.Headers.Add("RequestVerificationToken", (string)config["antiforgery"]!);

        using var response = await client.SendAsync(request);

        await OkJsonAsync(response);
        Assert.Equal(xml, (await DraftAsync("nonconformance"))?.Content);
        using var discard = Basic(Owner);
        using var discarded = await discard.DeleteAsync(Api("nonconformance", "draft"));
        Assert.Equal(HttpStatusCode.NoContent, discarded.StatusCode);
    }

    [Theory]
    [InlineData("PUT", "draft")]
    [InlineData("POST", "validate")]
    [InlineData("POST", "deploy")]
    public async Task Endpoint_BodyNotJson_Is400(string method, string action)
    {
        using var client = Basic(Owner);
        var before = await VersionCountAsync("order-change");
        using var request = new HttpRequestMessage(new HttpMethod(method), Api("order-change", action))
        {
            Content = new StringContent(await LatestXmlAsync("order-change"), Encoding.UTF8, "application/xml"),
        };

        using var response = await client.SendAsync(request);

        var detail = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT");
        Assert.StartsWith("Send a JSON body", detail, StringComparison.Ordinal);
        Assert.Equal(before, await VersionCountAsync("order-change"));
    }

    private HttpClient Basic(string user)
    {
        var client = fixture.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = HttpExtensions.Basic(user, DemoCompany.Password);
        return client;
    }

    private static Uri Api(string processId, string? action = null) =>
        new($"/designer/api/processes/{processId}" + (action is null ? "" : "/" + action), UriKind.Relative);

    private static JsonContent Xml(string xml) => JsonContent.Create(new { xml });

    /// <summary>The definition with the process's name changed: a valid change that makes a new version.</summary>
    private static string Renamed(string xml, string processId, string name)
    {
        var renamed = Regex.Replace(xml, $"(<bpmn:process id=\"{Regex.Escape(processId)}\" name=\")[^\"]*\"", m => m.Groups[1].Value + name + "\"");
        Assert.NotEqual(xml, renamed);
        return renamed;
    }

    private static string WithUnsupportedGateway(string xml)
    {
        var start = xml.IndexOf("<bpmn:startEvent ", StringComparison.Ordinal);
        Assert.True(start >= 0, "the definition has no start event");
        return xml.Insert(start, UnsupportedGateway);
    }

    private static async Task<JsonObject> OkJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Asserts problem details with the status and title; returns the detail.</summary>
    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, (int?)problem["status"]);
        Assert.Equal(title, (string?)problem["title"]);
        return (string?)problem["detail"] ?? "";
    }

    private WorkflowDbContext Db() => fixture.App.Services.GetRequiredService<WorkflowDbContextFactory>().CreateDbContext();

    private async Task<string> LatestXmlAsync(string processId)
    {
        await using var db = Db();
        return await db.ProcessDefinitions.AsNoTracking().Where(d => d.BpmnProcessId == processId).OrderByDescending(d => d.Version).Select(d => d.Xml).FirstAsync();
    }

    /// <summary>The versions of a process as the procedures page counts them.</summary>
    private async Task<int> VersionCountAsync(string processId) =>
        (await ProceduresAsync()).Processes.Single(p => p.ProcessId == processId).Versions.Count;

    private async Task<ProceduresView> ProceduresAsync()
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ProceduresQuery>().LoadAsync("en");
    }

    private async Task<int> DeploymentAuditCountAsync(string processId)
    {
        await using var db = Db();
        return await db.AuditEvents.CountAsync(e => e.Kind == AuditKinds.DefinitionDeployed && e.ElementId == processId);
    }

    private async Task<DesignDraftRow?> DraftAsync(string processId)
    {
        await using var db = Db();
        return await db.DesignDrafts.AsNoTracking().FirstOrDefaultAsync(d => d.Kind == DesignDraftKinds.Process && d.ResourceId == processId);
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"designer-config\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ConfigScript();
}
