using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace WorkflowOrders.Web.Tests.Browser;

/// <summary>
/// The walk-through of issue 5 in a real browser on the real procedures, the clock at Tuesday 2026-03-10 10:00:
/// sales records an order on the New order page and attaches the contract; the demo reviewers of sales, planning, purchasing, quality and
/// finance complete their reviews from the inbox; the sales manager approves (30,000 CNY, below the 100,000
/// threshold); sales issues the production order; the tracking board counts 28 working days to the delivery on
/// 2026-04-20 (Qingming Monday 6 April is a holiday) and the order page shows the inspection notice at 08:30 on
/// 2026-04-13 (delivery − 7 days). Sales raises a change moving the delivery to 2026-05-11; it is classified,
/// re-reviewed by planning, negotiated and approved; the order's date changes and the inspection notice moves to
/// 2026-04-30: 11 May − 7 days is 4 May, inside the Labour Day holiday (1–5 May), so the working day before it.
/// Screenshots of every step go to TestResults/artifacts/walkthrough-*.png.
/// </summary>
public sealed class WalkthroughBrowserTests(WalkthroughApp app) : IClassFixture<WalkthroughApp>
{
    private const string OrderNo = "WT-2026-0310";

    /// <summary>How long a completion may take to land back on the inbox (a POST, the engine command, a page load).</summary>
    private const float CompletionTimeout = 60_000;

    [Fact]
    public async Task Walkthrough_OrderReviewedApprovedThenDeliveryMoved_BoardCountsDownAndInspectionNoticeFollows()
    {
        // 1. Sales records the order on the New order page.
        var sales = await app.SignInAsync("zhang.wei", "en");
        await sales.GotoAsync("/orders/new");
        await sales.FillAsync("input[name='Input.OrderNo']", OrderNo);
        await sales.FillAsync("input[name='Input.CustomerName']", "华东机械有限公司");
        await sales.FillAsync("input[name='Input.CustomerContact']", "李经理");
        await sales.FillAsync("input[name='Input.CustomerEmail']", "li@example.com");
        await sales.FillAsync("input[name='Input.Merchandiser']", "chen.jing");
        await sales.SelectOptionAsync("select[name='Input.Currency']", "CNY");
        await sales.FillAsync("input[name='Input.DeliveryDate']", "2026-04-20");
        await sales.FillAsync("input[name='Input.DeliveryPlace']", "上海");
        await sales.SelectOptionAsync("select[name='Input.PaymentTerms']", "tt-deposit");
        await sales.SelectOptionAsync("select[name='Input.OrderType']", "standard");
        await sales.SelectOptionAsync("select[name='Input.InspectionMode']", "company");
        await sales.FillAsync("input[name='Input.Lines[0].Product']", "减速机");
        await sales.FillAsync("input[name='Input.Lines[0].Specification']", "R-40");
        await sales.FillAsync("input[name='Input.Lines[0].Quantity']", "100");
        await sales.FillAsync("input[name='Input.Lines[0].UnitPrice']", "300");
        await BrowserApp.ScreenshotAsync(sales, "walkthrough-01-new-order");
        await sales.ClickAsync("form:has(input[name='Input.OrderNo']) button[type=submit]");
        await sales.WaitForURLAsync($"**/orders/{OrderNo}");
        await Assertions.Expect(sales.Locator("[data-testid=order-data]")).ToContainTextAsync("2026-04-20");
        await Assertions.Expect(sales.Locator("[data-testid=order-tasks]")).ToContainTextAsync("Quality review");
        // The signed contract goes with the order.
        await sales.SetInputFilesAsync("#document-file", new FilePayload { Name = "销售合同 WT-2026-0310.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4 contract"u8.ToArray() });
        await sales.SelectOptionAsync("#document-category", "contract");
        await sales.ClickAsync("[data-testid=document-submit]");
        await Assertions.Expect(sales.Locator("[data-testid=document-row]")).ToContainTextAsync("销售合同 WT-2026-0310.pdf");
        await Assertions.Expect(sales.Locator("[data-testid=order-timeline]")).ToContainTextAsync("Document attached");
        await BrowserApp.ScreenshotAsync(sales, "walkthrough-02-order-recorded");

        // 2. Each department's demo reviewer takes the review from the inbox and passes it through the task form.
        foreach (var (user, task) in new[]
        {
            ("zhang.wei", "Sales review"), ("zheng.li", "Planning review"), ("he.xin", "Purchasing review"),
            ("huang.qiang", "Quality review"), ("hu.yun", "Finance review"),
        })
        {
            var reviewer = user == "zhang.wei" ? sales : await app.SignInAsync(user, "en");
            await CompleteFromInboxAsync(reviewer, task, async form =>
            {
                await form.GetByLabel("Pass", new() { Exact = true }).CheckAsync();
                await form.GetByLabel("Comment").FillAsync($"{task}: no objection.");
            }, screenshot: task == "Quality review" ? "walkthrough-03-review-form" : null);
        }

        // 3. 30,000 CNY is below the 100,000 threshold: the department manager approves.
        var manager = await app.SignInAsync("liu.yang", "en");
        await CompleteFromInboxAsync(manager, "Department manager approval", async form =>
        {
            await form.GetByLabel("Approve", new() { Exact = true }).CheckAsync();
            await form.GetByLabel("Comment").FillAsync("Approved within my authority.");
        }, screenshot: "walkthrough-04-approval");

        // 4. Sales issues the production order; the order procedure then waits for the payment and the inspection notice.
        await CompleteFromInboxAsync(sales, "Issue the production order", form =>
            form.GetByLabel("Production order number").FillAsync("PO-2026-0310"));

        // 5. The tracking board: 28 working days from Tuesday 10 March to Monday 20 April (6 April is Qingming).
        await sales.GotoAsync($"/tracking?Filter.Customer={OrderNo}");
        var boardRow = sales.Locator($"[data-testid=tracking-table] tr[data-order='{OrderNo}']");
        await Assertions.Expect(boardRow.Locator("[data-countdown]")).ToHaveAttributeAsync("data-countdown", "28");
        await BrowserApp.ScreenshotAsync(sales, "walkthrough-05-tracking");

        // 6. The order page shows when the inspection notice goes out: 08:30 on 13 April, a Monday.
        await ReloadUntilAsync(sales, $"/orders/{OrderNo}", InspectionNotice(sales), "2026-04-13 08:30");
        await Assertions.Expect(sales.Locator("[data-testid=order-instances]")).ToContainTextAsync("Order review and fulfilment");
        // Approved and waiting for the deposit: production has not started yet.
        await Assertions.Expect(sales.Locator("h2.page-title [data-status]")).ToHaveAttributeAsync("data-status", "approved");
        await BrowserApp.ScreenshotAsync(sales, "walkthrough-06-order-approved");

        // 7. The customer asks for 11 May: sales raises a change on the order page with the new date.
        await sales.FillAsync("#change-reason", "Customer asks to deliver later (site not ready).");
        await sales.FillAsync("#change-date", "2026-05-11");
        await sales.ClickAsync("form:has(#change-reason) button[type=submit]");
        await Assertions.Expect(sales.Locator("[data-testid=order-tasks]")).ToContainTextAsync("Accept and classify the change");

        await CompleteFromInboxAsync(sales, "Accept and classify the change", async form =>
        {
            // Text first, then the selects; the text is checked again after them (a select's update re-renders the form).
            const string content = "Delivery date 2026-04-20 → 2026-05-11, quantities unchanged.";
            await form.GetByLabel("Content of the change").FillAsync(content);
            await SelectAsync(form, "Kind of change", "Schedule (delivery date)");
            await SelectAsync(form, "Raised by", "Customer (through sales)");
            await Assertions.Expect(form.GetByLabel("Content of the change")).ToHaveValueAsync(content);
        }, screenshot: "walkthrough-07-change-request");

        var planner = await app.SignInAsync("zheng.li", "en");
        await CompleteFromInboxAsync(planner, "Planning re-reviews the delivery date", form =>
            form.GetByLabel("Feasible", new() { Exact = true }).CheckAsync());

        await CompleteFromInboxAsync(sales, "Negotiate the new date with the customer", async form =>
        {
            // Prefilled from the change request (form-js shows the date in the browser's en-US format).
            await Assertions.Expect(form.GetByLabel("Agreed new delivery date")).ToHaveValueAsync("5/11/2026");
            await form.GetByLabel("Customer agreed").CheckAsync();
        }, screenshot: "walkthrough-08-change-negotiation");

        await CompleteFromInboxAsync(manager, "Department manager approval", form =>
            form.GetByLabel("Approve", new() { Exact = true }).CheckAsync());

        // 8. The change is applied to the order; the inspection notice follows: 11 May − 7 days = 4 May, a Labour Day
        //    holiday (1–5 May), so the working day on or before it: Thursday 30 April.
        await ReloadUntilAsync(sales, $"/orders/{OrderNo}", sales.Locator("[data-testid=order-data]"), "2026-05-11");
        await ReloadUntilAsync(sales, $"/orders/{OrderNo}", InspectionNotice(sales), "2026-04-30 08:30");
        await Assertions.Expect(sales.Locator("[data-testid=order-timeline]")).ToContainTextAsync("Change applied");
        await BrowserApp.ScreenshotAsync(sales, "walkthrough-09-order-after-change");

        await sales.GotoAsync($"/tracking?Filter.Customer={OrderNo}");
        await Assertions.Expect(boardRow.Locator("[data-countdown]")).ToHaveAttributeAsync("data-countdown", "41");
        await BrowserApp.ScreenshotAsync(sales, "walkthrough-10-tracking-after-change");
    }

    private static ILocator InspectionNotice(IPage page) =>
        page.Locator("[data-testid=order-timer][data-element=Timer_InspectionNotice] [data-testid=timer-due]");

    /// <summary>
    /// The user's way to a task: "My groups' tasks" filtered by the order, claim, open it from "My tasks", fill the
    /// form, complete; the page returns to the inbox.
    /// </summary>
    private static async Task CompleteFromInboxAsync(IPage page, string taskName, Func<ILocator, Task> fill, string? screenshot = null)
    {
        // A task after a service task (e.g. the order's status) is created by the job executor a moment after the click.
        var offered = page.Locator("[data-testid=task-row]").Filter(new() { HasText = taskName });
        await ReloadUntilAsync(page, $"/inbox?view=groups&order={OrderNo}", offered, taskName);
        offered = offered.First;
        var key = await offered.GetAttributeAsync("data-task-key");
        await offered.Locator("[data-testid=claim]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=inbox-outcome]")).ToBeVisibleAsync();

        await page.GotoAsync($"/inbox?order={OrderNo}");
        await page.Locator($"[data-testid=task-row][data-task-key='{key}'] [data-testid=task-link]").ClickAsync();
        await page.WaitForURLAsync($"**/tasks/{key}");
        await Assertions.Expect(page.Locator("[data-testid=task-context]")).ToContainTextAsync(OrderNo);
        var form = page.Locator("#task-form");
        await Assertions.Expect(form.Locator(".fjs-form")).ToBeVisibleAsync();
        await fill(form);
        if (screenshot is not null)
        {
            await BrowserApp.ScreenshotAsync(page, screenshot);
        }

        await page.Locator("[data-testid=task-complete]").ClickAsync();
        try
        {
            // Completing runs the engine command and the inbox query on a busy CI machine: more room than one step.
            await page.WaitForURLAsync(new Regex("/inbox(\\?|$)"), new() { Timeout = CompletionTimeout });
        }
        catch (TimeoutException)
        {
            // Say where the page is and, when it is still the task page, the server's answer in the alert above the form.
            await BrowserApp.ScreenshotAsync(page, "walkthrough-refused");
            var alert = page.Locator("[data-testid=task-form-alert]");
            var said = await alert.CountAsync() > 0 ? await alert.First.TextContentAsync() : "(no alert on the page)";
            var errors = await page.Locator("#task-form .fjs-form-field-error").AllTextContentsAsync();
            throw new InvalidOperationException(
                $"'{taskName}' did not return to the inbox within {CompletionTimeout / 1000} s; the page is {page.Url}: {said} {string.Join(" | ", errors)}");
        }
    }

    /// <summary>A form-js field by its label (the label carries a required marker after the text: matched as a part).</summary>
    private static ILocator Field(ILocator form, string label) =>
        form.Locator(".fjs-form-field").Filter(new() { Has = form.Page.Locator("label", new() { HasText = label }) });

    /// <summary>A form-js select: open its list, pick the option by its label.</summary>
    private static async Task SelectAsync(ILocator form, string label, string option)
    {
        var field = Field(form, label);
        await field.Locator(".fjs-input-group").ClickAsync();
        await field.Locator(".fjs-dropdownlist-item").Filter(new() { HasText = option }).First.ClickAsync();
        await Assertions.Expect(field).ToContainTextAsync(option);
    }

    /// <summary>
    /// Reloads the page until the element shows the text: the steps after a completed task (service and send tasks,
    /// the message to the order procedure) run on the app's job executor, a moment after the click.
    /// </summary>
    private static async Task ReloadUntilAsync(IPage page, string url, ILocator element, string text)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            await page.GotoAsync(url);
            if (await element.CountAsync() > 0 && (await element.First.InnerTextAsync()).Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            await page.WaitForTimeoutAsync(250);
        }

        await Assertions.Expect(element.First).ToContainTextAsync(text);
    }
}
