using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Procedures;

/// <summary>The task-form editor's server side: drafts are checked before they are kept, deploying creates the next form version.</summary>
public sealed class FormEditorTests(DemoAppFixture fixture) : IClassFixture<DemoAppFixture>
{
    private static Uri Editor(string formId) => new($"/procedures/forms/{formId}", UriKind.Relative);

    [Fact]
    public async Task FormEditor_ProcessOwner_OpensDeployedSchema()
    {
        using var client = await fixture.SignedInAsync("gao.yan");

        var html = await client.GetStringAsync(Editor("approval"));

        Assert.Contains("id=\"form-editor\"", html, StringComparison.Ordinal);
        Assert.Contains("Field_decision", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"form-version\">v1<", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormEditor_UnknownForm_Is404()
    {
        using var client = await fixture.SignedInAsync("gao.yan");

        using var response = await client.GetAsync(Editor("no-such-form"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SaveDraft_ChangedFormId_IsRefusedAndNoDraftIsKept()
    {
        using var client = await fixture.SignedInAsync("gao.yan");
        var schema = await DeployedSchemaAsync("order-close");
        schema["id"] = "order-close-2";

        using var response = await ProcedurePages.PostAsync(client, Editor("order-close"), "/procedures/forms/order-close?handler=Save",
            new Dictionary<string, string> { ["schema"] = schema.ToJsonString() });
        var html = await ProcedurePages.ReadOkAsync(response);

        Assert.Contains("表单标识必须保持为“order-close”（现为“order-close-2”）", html, StringComparison.Ordinal);
        Assert.Null(await DraftAsync("order-close"));
    }

    [Fact]
    public async Task SaveDraft_NotJson_IsRefused()
    {
        using var client = await fixture.SignedInAsync("gao.yan");

        using var response = await ProcedurePages.PostAsync(client, Editor("shipment"), "/procedures/forms/shipment?handler=Save",
            new Dictionary<string, string> { ["schema"] = "{\"id\": \"shipment\", " });

        Assert.Contains("表单不是有效的 JSON。", await ProcedurePages.ReadOkAsync(response), StringComparison.Ordinal);
        Assert.Null(await DraftAsync("shipment"));
    }

    [Fact]
    public async Task SaveDraftThenDeploy_ChangedLabel_KeepsDraftThenDeploysVersion2AndRecordsIt()
    {
        using var client = await fixture.SignedInAsync("gao.yan");
        var schema = await DeployedSchemaAsync("payment-check");
        var label = (JsonObject)schema["components"]!.AsArray().First(c => c?["label"] is not null)!;
        label["label"] = "到款核对（新）";

        using var save = await ProcedurePages.PostAsync(client, Editor("payment-check"), "/procedures/forms/payment-check?handler=Save",
            new Dictionary<string, string> { ["schema"] = schema.ToJsonString() });
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var draft = await DraftAsync("payment-check");
        Assert.NotNull(draft);
        Assert.Equal(("gao.yan", 1), (draft.SavedBy, draft.BasedOnVersion));
        var page = await client.GetStringAsync(ProcedurePages.Page);
        Assert.Contains("data-testid=\"form-draft-badge\"", page[page.IndexOf("data-form=\"payment-check\"", StringComparison.Ordinal)..], StringComparison.Ordinal);

        using var deploy = await ProcedurePages.PostAsync(client, Editor("payment-check"), "/procedures/forms/payment-check?handler=Deploy",
            new Dictionary<string, string> { ["schema"] = schema.ToJsonString() });

        Assert.Equal(HttpStatusCode.Redirect, deploy.StatusCode);
        var after = await client.GetStringAsync(Editor("payment-check"));
        Assert.Contains("表单 payment-check：已部署第 2 版。", after, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"form-version\">v2<", after, StringComparison.Ordinal);
        Assert.Contains("到款核对（新）", (await DeployedSchemaAsync("payment-check")).ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
        Assert.Null(await DraftAsync("payment-check"));
        await using var db = Db();
        var audit = await db.AuditEvents.Where(e => e.Kind == AuditKinds.FormDeployed && e.ElementId == "payment-check").OrderBy(e => e.Id).LastAsync();
        Assert.Equal("gao.yan", audit.Actor);
        Assert.Contains("\"version\":2", audit.Details, StringComparison.Ordinal);
        var history = await client.GetStringAsync(ProcedurePages.Page);
        Assert.Contains("payment-check.form", history[history.IndexOf("data-testid=\"deployment-history\"", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveDraft_Manager_Is403()
    {
        using var owner = await fixture.SignedInAsync("gao.yan");
        var html = await owner.GetStringAsync(Editor("approval"));
        using var manager = await fixture.SignedInAsync("liu.yang");
        var managerPage = await manager.GetStringAsync(new Uri("/", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["schema"] = "{}",
            ["__RequestVerificationToken"] = HttpExtensions.AntiforgeryToken(managerPage),
        });

        using var response = await manager.PostAsync(new Uri("/procedures/forms/approval?handler=Save", UriKind.Relative), form);

        Assert.Contains("id=\"form-editor\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(await DraftAsync("approval"));
    }

    private WorkflowDbContext Db() => fixture.App.Services.GetRequiredService<WorkflowDbContextFactory>().CreateDbContext();

    private async Task<DesignDraftRow?> DraftAsync(string formId)
    {
        await using var db = Db();
        return await db.DesignDrafts.AsNoTracking().FirstOrDefaultAsync(d => d.Kind == DesignDraftKinds.Form && d.ResourceId == formId);
    }

    private async Task<JsonObject> DeployedSchemaAsync(string formId)
    {
        await using var db = Db();
        var schema = await db.Forms.Where(f => f.FormId == formId).OrderByDescending(f => f.Version).Select(f => f.Schema).FirstAsync();
        return (JsonObject)JsonNode.Parse(schema)!;
    }
}
