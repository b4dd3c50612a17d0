using Microsoft.Playwright;

namespace WorkflowOrders.Web.Tests.Browser;

/// <summary>
/// A process owner edits a task form in the form-js editor: changes a label, saves the draft, deploys the form, and sees
/// the new version. Screenshots go to TestResults/artifacts/.
/// </summary>
public sealed class FormEditorBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    /// <summary>The demo company's process owner.</summary>
    private const string Owner = "gao.yan";

    [Fact]
    public async Task FormEditor_LabelChangedSavedAndDeployed_ShowsNewFormVersion()
    {
        var page = await app.SignInAsync(Owner, "en");
        await page.GotoAsync("/procedures");
        await page.Locator("[data-testid=form-row][data-form=quality-review] [data-testid=edit-form]").ClickAsync();
        await page.WaitForURLAsync("**/procedures/forms/quality-review");
        await Assertions.Expect(page.Locator("#form-editor[data-ready=true]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=form-version]")).ToHaveTextAsync("v1");

        // Select the field on the editor's canvas, then edit its label in the properties panel.
        await page.Locator("#form-editor .fjs-editor-container .fjs-form-field-label").Filter(new() { HasText = "评审结论" }).First.ClickAsync();
        // The panel opens with its groups collapsed: open "General", where the label is.
        await page.Locator("#form-editor .bio-properties-panel-group-header").Filter(new() { HasText = "General" }).ClickAsync();
        var label = page.Locator("#form-editor [data-entry-id=label] [contenteditable=true]");
        await label.FillAsync("质量评审结论");
        await Assertions.Expect(page.Locator("#form-editor .fjs-editor-container .fjs-form-field-label").Filter(new() { HasText = "质量评审结论" }).First).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(page, "form-editor-en");

        await page.Locator("[data-testid=form-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("Draft of form quality-review saved.");
        await Assertions.Expect(page.Locator("[data-testid=form-draft] .badge")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#form-editor[data-ready=true]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#form-editor .fjs-form-field-label").Filter(new() { HasText = "质量评审结论" }).First).ToBeVisibleAsync();

        // Deploying asks first and says which version it creates.
        string? question = null;
        page.Dialog += async (_, dialog) =>
        {
            question = dialog.Message;
            await dialog.AcceptAsync();
        };
        await page.Locator("[data-testid=form-deploy]").ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("Form quality-review: version 2 deployed.");
        Assert.Contains("as version 2", question, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=form-version]")).ToHaveTextAsync("v2");
        await Assertions.Expect(page.Locator("[data-testid=form-draft]")).ToContainTextAsync("none");

        await page.GotoAsync("/procedures");
        await Assertions.Expect(page.Locator("[data-testid=form-row][data-form=quality-review] td").Nth(1)).ToHaveTextAsync("v2");
        await Assertions.Expect(page.Locator("[data-testid=history-row]").First).ToContainTextAsync("quality-review");
        await BrowserApp.ScreenshotAsync(page, "procedures-en");
    }
}
