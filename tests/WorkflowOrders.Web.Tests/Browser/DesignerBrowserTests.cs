using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WorkflowOrders.Web.Tests.Features.Orders;
using Xunit.Abstractions;

namespace WorkflowOrders.Web.Tests.Browser;

/// <summary>
/// A process owner in a real browser: the designer opens every procedure of workflows/ cleanly, changes a deadline and
/// deploys version N+1 (new orders take it, running ones keep theirs), and is refused — error on the element, nothing
/// deployed — for an element the engine cannot run; a saved draft is discarded after confirmation. Screenshots in both languages go to TestResults/artifacts/.
/// </summary>
public sealed class DesignerBrowserTests(DesignerBrowserApp app, ITestOutputHelper output) : IClassFixture<DesignerBrowserApp>
{
    public static TheoryData<string> Definitions { get; } = new(
        Directory.EnumerateFiles(DesignerBrowserApp.RepositoryWorkflows, "*.bpmn").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Definitions))]
    public async Task Designer_EveryWorkflowDefinition_OpensWithoutImportWarningsOrLintErrors(string processId)
    {
        var page = await DesignerBrowserApp.OpenDesignerAsync(await app.SignInAsync(DesignerBrowserApp.ProcessOwner, "en"), processId);

        var warnings = await page.EvaluateAsync<string[]>("() => window.woDesigner.importWarnings");
        var reports = await page.EvaluateAsync<string[]>("() => window.woDesigner.lintReports.map(r => r.category + ' ' + r.rule + ' ' + r.id + ': ' + r.message)");
        foreach (var line in reports)
        {
            output.WriteLine(line);
        }

        Assert.Empty(warnings);
        Assert.DoesNotContain(reports, r => r.StartsWith("error ", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-testid=lint-count]")).ToContainTextAsync("0 errors");
    }

    [Fact]
    public async Task Deploy_ReviewDueDateChangedToTwoWorkingDays_NewOrdersTakeVersionTwoRunningOrdersKeepOne()
    {
        using var clerk = app.ApiClient(DesignerBrowserApp.Clerk);
        await CreateOrderAsync(clerk, "SO-DESIGN-BEFORE");
        var versionBefore = await LatestVersionAsync("order-fulfilment");

        var page = await DesignerBrowserApp.OpenDesignerAsync(await app.SignInAsync(DesignerBrowserApp.ProcessOwner, "en"), "order-fulfilment");
        await SelectAsync(page, "Review_Quality");
        var dueDate = await OpenDueDateEditorAsync(page);
        await Assertions.Expect(dueDate).ToHaveTextAsync("addWorkingDays(reviewStartedAt, 1)");
        await dueDate.ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("addWorkingDays(reviewStartedAt, 2)");
        await page.Locator("#designer-properties [data-group-id=group-general] .bio-properties-panel-group-header").ClickAsync();
        await page.WaitForFunctionAsync("() => window.woDesigner.modeler.get('elementRegistry').get('Review_Quality').businessObject.extensionElements.values.some(v => v.dueDate === '=addWorkingDays(reviewStartedAt, 2)')");

        string? question = null;
        page.Dialog += async (_, dialog) =>
        {
            question = dialog.Message;
            await dialog.AcceptAsync();
        };
        await page.Locator("[data-testid=designer-deploy]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=designer-status]")).ToContainTextAsync($"Version {versionBefore + 1} is deployed");
        Assert.Contains($"version {versionBefore + 1}", question, StringComparison.Ordinal);
        Assert.Contains("stay on the version they started with", question, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=designer-version]")).ToHaveTextAsync($"Deployed version {versionBefore + 1}");
        await BrowserApp.ScreenshotAsync(page, "designer-deployed-en");

        await CreateOrderAsync(clerk, "SO-DESIGN-AFTER");

        // Received Tuesday 10:00: one working day → Wednesday 10:00, two → Thursday 10:00 (no holiday that week).
        var before = await ReviewTaskAsync("SO-DESIGN-BEFORE", "Review_Quality");
        var after = await ReviewTaskAsync("SO-DESIGN-AFTER", "Review_Quality");
        Assert.Equal(versionBefore, before.DefinitionVersion);
        Assert.Equal(DesignerBrowserApp.Now.AddDays(1), before.DueDate);
        Assert.Equal(versionBefore + 1, after.DefinitionVersion);
        Assert.Equal(DesignerBrowserApp.Now.AddDays(2), after.DueDate);
        Assert.Equal(DesignerBrowserApp.Now.AddDays(1), (await ReviewTaskAsync("SO-DESIGN-AFTER", "Review_Sales")).DueDate);

        // The new version's diagram carries the change: the designer opens it (no draft left) with 2 working days.
        var reopened = await DesignerBrowserApp.OpenDesignerAsync(page, "order-fulfilment");
        await Assertions.Expect(reopened.Locator("[data-testid=draft-status]")).ToHaveTextAsync("No draft");
        await SelectAsync(reopened, "Review_Quality");
        await Assertions.Expect(await OpenDueDateEditorAsync(reopened)).ToHaveTextAsync("addWorkingDays(reviewStartedAt, 2)");
        await using var db = await app.DbAsync();
        var xml = await db.ProcessDefinitions.Where(d => d.BpmnProcessId == "order-fulfilment" && d.Version == versionBefore + 1).Select(d => d.Xml).SingleAsync();
        Assert.Contains("addWorkingDays(reviewStartedAt, 2)", xml, StringComparison.Ordinal);
        Assert.Equal("gao.yan", await db.AuditEvents.Where(e => e.Kind == "definition-deployed" && e.ElementId == "order-fulfilment").OrderByDescending(e => e.Id).Select(e => e.Actor).FirstAsync());
    }

    [Fact]
    public async Task Deploy_TimerStartEventDrawn_ShowsServerErrorOnThatElementAndDeploysNothing()
    {
        var versionBefore = await LatestVersionAsync("order-change");
        var page = await DesignerBrowserApp.OpenDesignerAsync(await app.SignInAsync(DesignerBrowserApp.ProcessOwner, "en"), "order-change");

        // Change the none start event into a timer start event through its context pad, as an owner would.
        await SelectAsync(page, "Start_Request");
        await page.Locator(".djs-context-pad [data-action=replace]").ClickAsync();
        await page.Locator(".djs-popup [data-id=replace-with-timer-start]").ClickAsync();
        var id = await page.EvaluateAsync<string>("() => window.woDesigner.modeler.get('selection').get()[0].id");
        await page.WaitForFunctionAsync($"() => window.woDesigner.lintReports.some(r => r.id === '{id}' && r.rule === 'workfloworders/supported-elements')");

        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.Locator("[data-testid=designer-deploy]").ClickAsync();

        await Assertions.Expect(page.Locator($"[data-testid=server-overlay][data-element-id='{id}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($".djs-element.wo-server-error[data-element-id='{id}']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator($"[data-testid=server-problem][data-element-id='{id}']").Filter(new() { HasText = "timer start event" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=designer-status]")).ToContainTextAsync("Not deployed");
        await BrowserApp.ScreenshotAsync(page, "designer-refused-en");
        Assert.Equal(versionBefore, await LatestVersionAsync("order-change"));
    }

    [Fact]
    public async Task DiscardDraft_SavedDraftConfirmed_ShowsNoDraftAndTheDeployedDiagramAgain()
    {
        const string TaskId = "Task_Report";
        var version = await LatestVersionAsync("nonconformance");
        var page = await DesignerBrowserApp.OpenDesignerAsync(await app.SignInAsync(DesignerBrowserApp.ProcessOwner, "en"), "nonconformance");
        var discard = page.Locator("[data-testid=designer-discard]");
        var deployedName = await page.EvaluateAsync<string>($"() => window.woDesigner.modeler.get('elementRegistry').get('{TaskId}').businessObject.name");
        await Assertions.Expect(page.Locator("[data-testid=draft-status]")).ToHaveTextAsync("No draft");
        await Assertions.Expect(discard).ToBeDisabledAsync();

        // Rename the task and save the draft: discarding becomes possible.
        await page.EvaluateAsync($"() => {{ const m = window.woDesigner.modeler; m.get('modeling').updateLabel(m.get('elementRegistry').get('{TaskId}'), 'Report (draft to discard)'); }}");
        await page.Locator("[data-testid=designer-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=draft-status]")).ToContainTextAsync("Draft saved");
        await Assertions.Expect(discard).ToBeEnabledAsync();
        Assert.Contains("Report (draft to discard)", await DraftXmlAsync("nonconformance"), StringComparison.Ordinal);

        // The dialog says what happens; keeping the draft changes nothing.
        var dialog = page.Locator("[data-testid=discard-dialog]");
        await discard.ClickAsync();
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog.Locator("[data-testid=discard-draft]")).ToContainTextAsync("Draft saved");
        await Assertions.Expect(dialog.Locator("[data-testid=discard-what]")).ToContainTextAsync($"shows deployed version {version} again");
        await BrowserApp.ScreenshotAsync(page, "designer-discard-en");
        await dialog.Locator("[data-testid=discard-cancel]").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        Assert.NotNull(await DraftXmlAsync("nonconformance"));
        Assert.Equal("Report (draft to discard)", await page.EvaluateAsync<string>($"() => window.woDesigner.modeler.get('elementRegistry').get('{TaskId}').businessObject.name"));

        await discard.ClickAsync();
        await dialog.Locator("[data-testid=discard-confirm]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=draft-status]")).ToHaveTextAsync("No draft");
        await Assertions.Expect(page.Locator("[data-testid=designer-status]")).ToContainTextAsync($"Draft discarded: deployed version {version} is shown again");
        await Assertions.Expect(discard).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("[data-testid=designer-version]")).ToHaveTextAsync($"Deployed version {version}");
        await Assertions.Expect(page.Locator("[data-testid=designer-dirty]")).ToBeHiddenAsync();
        Assert.Equal(deployedName, await page.EvaluateAsync<string>($"() => window.woDesigner.modeler.get('elementRegistry').get('{TaskId}').businessObject.name"));
        Assert.Null(await DraftXmlAsync("nonconformance"));
        Assert.Equal(version, await LatestVersionAsync("nonconformance"));

        // Opened again, the designer shows the deployed version with no draft.
        var reopened = await DesignerBrowserApp.OpenDesignerAsync(page, "nonconformance");
        await Assertions.Expect(reopened.Locator("[data-testid=draft-status]")).ToHaveTextAsync("No draft");
        Assert.Equal(deployedName, await reopened.EvaluateAsync<string>($"() => window.woDesigner.modeler.get('elementRegistry').get('{TaskId}').businessObject.name"));
    }

    [Theory]
    [InlineData("zh-CN", "发布", "放弃草稿", "分配")]
    [InlineData("en", "Deploy", "Discard draft", "Assignment")]
    public async Task Designer_InUsersLanguage_ShowsToolbarPaletteAndPropertiesInThatLanguage(string culture, string deploy, string discard, string assignmentGroup)
    {
        var page = await DesignerBrowserApp.OpenDesignerAsync(await app.SignInAsync(DesignerBrowserApp.ProcessOwner, culture), "order-fulfilment");
        await SelectAsync(page, "Review_Sales");

        await Assertions.Expect(page.Locator("[data-testid=designer-deploy]")).ToHaveTextAsync(deploy);
        await Assertions.Expect(page.Locator("[data-testid=designer-discard]")).ToHaveTextAsync(discard);
        await Assertions.Expect(page.Locator("#designer-properties [data-group-id=group-assignmentDefinition] .bio-properties-panel-group-header-title")).ToHaveTextAsync(assignmentGroup);
        await BrowserApp.ScreenshotAsync(page, $"designer-{culture}");
        if (culture == "zh-CN")
        {
            // Palette, context pad and the groups of the elements the procedures use: nothing left in English.
            foreach (var element in new[] { "Start_OrderReceived", "Init_Order", "Fork_Review", "Gateway_NonStandard", "Status_InProduction", "Notify_ProductionOrder", "Timer_ProgressCheck", "Catch_OrderCancelled", "Timer_InspectionNotice", "Flow_NonStandard" })
            {
                // Through the selection service: a click at the middle of a bent sequence flow can miss the line.
                await page.EvaluateAsync($"() => {{ const m = window.woDesigner.modeler; m.get('selection').select(m.get('elementRegistry').get('{element}')); }}");
                await Assertions.Expect(page.Locator("#designer-properties [data-group-id=group-general] input[name=id]")).ToHaveValueAsync(element);
            }

            var untranslated = await page.EvaluateAsync<string[]>("() => window.woDesigner.untranslated()");
            output.WriteLine(string.Join(" | ", untranslated));
            Assert.Empty(untranslated);
        }
    }

    private static async Task SelectAsync(IPage page, string elementId)
    {
        // Scroll it into view and click its shape, as a user would; the selection drives the properties panel. Clearing
        // the selection first closes the context pad of the previous element, which could lie over this one.
        await page.EvaluateAsync($"() => {{ const m = window.woDesigner.modeler; m.get('selection').select(null); m.get('canvas').scrollToElement(m.get('elementRegistry').get('{elementId}')); }}");
        await page.Locator($"#designer-canvas .djs-element[data-element-id='{elementId}'] .djs-hit").First.ClickAsync(new() { Force = true });
        await Assertions.Expect(page.Locator($"#designer-properties [data-group-id=group-general] input[name=id]")).ToHaveValueAsync(elementId);
    }

    private static async Task<ILocator> OpenDueDateEditorAsync(IPage page)
    {
        var group = page.Locator("#designer-properties [data-group-id=group-assignmentDefinition]");
        if (await group.Locator(".bio-properties-panel-group-entries.open").CountAsync() == 0)
        {
            await group.Locator(".bio-properties-panel-group-header").ClickAsync();
        }

        return group.Locator("[data-entry-id=taskScheduleDueDate] .cm-content");
    }

    private async Task<int> LatestVersionAsync(string processId)
    {
        await using var db = await app.DbAsync();
        return await db.ProcessDefinitions.Where(d => d.BpmnProcessId == processId).MaxAsync(d => d.Version);
    }

    private async Task<string?> DraftXmlAsync(string processId)
    {
        await using var db = await app.DbAsync();
        return await db.DesignDrafts.Where(d => d.Kind == Persistence.Entities.DesignDraftKinds.Process && d.ResourceId == processId).Select(d => d.Content).FirstOrDefaultAsync();
    }

    private async Task<Persistence.Entities.UserTaskRow> ReviewTaskAsync(string orderNo, string elementId)
    {
        await using var db = await app.DbAsync();
        return await db.UserTasks.AsNoTracking().SingleAsync(t => t.BusinessKey == orderNo && t.ElementId == elementId);
    }

    private static async Task CreateOrderAsync(HttpClient client, string orderNo)
    {
        using var body = new StringContent(OrderAppFixture.ValidOrderJson(orderNo), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/api/orders", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
