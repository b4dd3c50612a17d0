using Microsoft.Playwright;

namespace WorkflowOrders.Web.Tests.Browser;

/// <summary>
/// A demo reviewer in a real browser: sign in, inbox, task form refused field by field by the server, then
/// accepted, the instance moving on; the inbox in both languages. Screenshots go to TestResults/artifacts/.
/// </summary>
public sealed class InboxBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task ReviewTask_InvalidThenValidForm_ShowsFieldErrorThenMovesInstanceOn()
    {
        var page = await app.SignInAsync(BrowserApp.Reviewer, "en");

        // The review is offered to the quality role: the reviewer claims it from "My groups' tasks".
        await page.GotoAsync("/inbox?view=groups");
        var row = page.Locator("[data-testid=task-row]").Filter(new() { HasText = "Quality review" }).First;
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("[data-testid=due]")).ToContainTextAsync("due in");
        await BrowserApp.ScreenshotAsync(page, "inbox-groups-en");
        await row.Locator("[data-testid=claim]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=inbox-outcome]")).ToContainTextAsync("The task is yours now.");

        await page.GotoAsync("/inbox");
        var mine = page.Locator("[data-testid=task-row]").Filter(new() { HasText = "Quality review" }).First;
        var taskKey = await mine.GetAttributeAsync("data-task-key");
        await mine.Locator("[data-testid=task-link]").ClickAsync();
        await page.WaitForURLAsync($"**/tasks/{taskKey}");
        await Assertions.Expect(page.Locator("[data-testid=task-context]")).ToContainTextAsync("SO-2026-");
        await Assertions.Expect(page.Locator("#task-form .fjs-form")).ToBeVisibleAsync();

        // Out of range: the server refuses the field and says why, under the field.
        await page.GetByLabel("Pass", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Inspection period (days)").FillAsync("45");
        await page.Locator("[data-testid=task-complete]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=task-form-alert]")).ToContainTextAsync("Please correct 1 field");
        await Assertions.Expect(page.Locator("#task-form .fjs-form-field-error").First).ToContainTextAsync("At most 30.");
        await BrowserApp.ScreenshotAsync(page, "task-form-error-en");

        await page.GetByLabel("Inspection period (days)").FillAsync("10");
        await page.GetByLabel("Comment").FillAsync("Inspection by our own inspector.");
        await page.Locator("[data-testid=task-complete]").ClickAsync();
        await page.WaitForURLAsync("**/inbox");

        // The instance moved on: the review is done, the next step waits for the quality role.
        await page.GotoAsync("/inbox?view=groups");
        await Assertions.Expect(page.Locator("[data-testid=task-row]").Filter(new() { HasText = "Arrange the inspection" }).First).ToBeVisibleAsync();
        var instanceLink = page.Locator("[data-testid=task-row]").Filter(new() { HasText = "Arrange the inspection" }).First.Locator("a[href^='/instances/']");
        await instanceLink.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=current-steps]")).ToContainTextAsync("Arrange the inspection");
        await Assertions.Expect(page.Locator("[data-testid=instance-task][data-state=Completed]")).ToContainTextAsync("Quality review");
        await Assertions.Expect(page.Locator("#instance-diagram[data-ready=true]")).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(page, "instance-en");
    }

    [Theory]
    [InlineData("zh-CN", "待办", "我的组任务")]
    [InlineData("en", "Inbox", "My groups' tasks")]
    public async Task Inbox_InUsersLanguage_RendersLocalizedHeading(string culture, string heading, string groupsTab)
    {
        var page = await app.SignInAsync(BrowserApp.Reviewer, culture);
        await page.GotoAsync("/inbox?view=groups");

        await Assertions.Expect(page.Locator("h2.page-title")).ToHaveTextAsync(heading);
        await Assertions.Expect(page.Locator("[data-testid=tab-groups]")).ToContainTextAsync(groupsTab);
        await BrowserApp.ScreenshotAsync(page, $"inbox-{culture}");
    }
}
