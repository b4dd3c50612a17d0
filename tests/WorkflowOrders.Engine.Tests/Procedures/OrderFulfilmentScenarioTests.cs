using WorkflowOrders.Engine.Runtime;
using static WorkflowOrders.Engine.Tests.Procedures.ProcedureHarness;

namespace WorkflowOrders.Engine.Tests.Procedures;

/// <summary>order-fulfilment.bpmn (procedures.md §2) on the 2026 calendar: review deadlines, routing, approval by authority, the inspection notice.</summary>
public sealed class OrderFulfilmentScenarioTests
{
    private static readonly DateTimeOffset Tuesday10 = Shanghai(2026, 3, 10, 10);

    private static readonly string[] FiveReviews = ["Review_Finance", "Review_Planning", "Review_Purchasing", "Review_Quality", "Review_Sales"];

    internal static string Order(decimal amount = 50000, string type = "standard", string payment = "tt-deposit", string inspection = "company",
        string delivery = "2026-04-20", bool prepayment = false, bool commission = false, string? extra = null) => $$"""
        {"orderNo":"ORD-1","customer":{"name":"华东机械"},"amount":{{amount}},"currency":"CNY","orderType":"{{type}}","paymentTerms":"{{payment}}",
         "inspectionMode":"{{inspection}}","deliveryDate":"{{delivery}}","hasPrepaymentClause":{{(prepayment ? "true" : "false")}},
         "hasCommissionClause":{{(commission ? "true" : "false")}}{{extra}}}
        """;

    internal static async Task PassReviewsAsync(ProcedureHarness h, long key)
    {
        foreach (var id in (await h.OpenTaskIdsAsync(key)).Where(id => id.StartsWith("Review_", StringComparison.Ordinal)))
        {
            await h.CompleteAsync(key, id, """{"outcome":"pass"}""");
        }
    }

    /// <summary>Reviews passed, the manager approved, production order issued, deposit received, plan published and confirmed.</summary>
    internal static async Task<InstanceState> InProductionAsync(ProcedureHarness h, string order, string plannedCompletion = "2026-04-10")
    {
        var instance = await h.StartAsync("order-fulfilment", order, "ORD-1");
        await PassReviewsAsync(h, instance.Key);
        await h.CompleteAsync(instance.Key, "Approve_Manager", """{"decision":"approve"}""");
        await h.CompleteAsync(instance.Key, "Task_ProductionOrder", """{"productionOrderNo":"PO-1"}""");
        await h.CompleteAsync(instance.Key, "Pay_Deposit", """{"paymentConfirmed":true}""");
        await h.CompleteAsync(instance.Key, "Task_ProductionPlan", $$"""{"plannedCompletionDate":"{{plannedCompletion}}"}""");
        await h.CompleteAsync(instance.Key, "Task_PlanConfirm", """{"planObjection":"none"}""");
        return instance;
    }

    [Fact]
    public async Task Reviews_OrderReceivedBeforeNationalDay_DueOneWorkingDayLaterAfterTheHolidayBlock()
    {
        await using var h = await StartAtAsync(Shanghai(2026, 9, 30, 16));

        var instance = await h.StartAsync("order-fulfilment", Order(delivery: "2026-12-20"), "ORD-1");

        var tasks = (await h.Inner.OpenTasksAsync(instance.Key)).ToList();
        Assert.Equal(FiveReviews, tasks.Select(t => t.ElementId).Order(StringComparer.Ordinal));
        Assert.All(tasks, t => Assert.Equal(Shanghai(2026, 10, 8, 16), t.DueDate));
    }

    [Fact]
    public async Task Reviews_OrderReceivedFridayBeforeMakeUpSaturday_DueOnTheSaturday()
    {
        await using var h = await StartAtAsync(Shanghai(2026, 2, 13, 10));

        var instance = await h.StartAsync("order-fulfilment", Order(), "ORD-1");

        Assert.All(await h.Inner.OpenTasksAsync(instance.Key), t => Assert.Equal(Shanghai(2026, 2, 14, 10), t.DueDate));
    }

    [Fact]
    public async Task Reviews_ReceiptInstantGivenByIntake_DeadlineCountsFromReceiptNotFromStart()
    {
        await using var h = await StartAtAsync(Shanghai(2026, 3, 10, 15));

        var instance = await h.StartAsync("order-fulfilment", Order(extra: """, "receivedAt":"2026-03-10T09:00:00+08:00" """), "ORD-1");

        Assert.Equal(Shanghai(2026, 3, 11, 9), (await h.TaskAsync(instance.Key, "Review_Sales")).DueDate);
    }

    [Fact]
    public async Task Reviews_EachDepartment_ReceivesItsReviewInParallelWithTheReviewForm()
    {
        await using var h = await StartAtAsync(Tuesday10);

        var instance = await h.StartAsync("order-fulfilment", Order(type: "non-standard"), "ORD-1");

        var tasks = await h.Inner.OpenTasksAsync(instance.Key);
        Assert.Equal(
            ["finance", "planning", "purchasing", "quality", "sales", "technical"],
            tasks.SelectMany(t => t.CandidateGroups).Order(StringComparer.Ordinal));
        Assert.All(tasks, t => Assert.Equal("order-review", t.FormId));
        Assert.All(tasks, t => Assert.Equal(Shanghai(2026, 3, 11, 10), t.DueDate));
    }

    [Theory]
    [InlineData("standard", false)]
    [InlineData("non-standard", true)]
    public async Task Reviews_OrderType_TechnicalReviewOnlyForNonStandardOrders(string orderType, bool technical)
    {
        await using var h = await StartAtAsync(Tuesday10);

        var instance = await h.StartAsync("order-fulfilment", Order(type: orderType), "ORD-1");

        Assert.Equal(technical, (await h.OpenTaskIdsAsync(instance.Key)).Contains("Review_Technical"));
        await PassReviewsAsync(h, instance.Key);
        Assert.Equal(["Approve_Manager"], await h.OpenTaskIdsAsync(instance.Key));
    }

    [Fact]
    public async Task Reviews_MissingData_SalesClarifiesWithinTwoWorkingDaysBeforeTheReviews()
    {
        await using var h = await StartAtAsync(Tuesday10);

        var instance = await h.StartAsync("order-fulfilment", Order(extra: """, "dataComplete":false"""), "ORD-1");

        var clarify = await h.TaskAsync(instance.Key, "Task_Clarify");
        Assert.Equal(["sales"], clarify.CandidateGroups);
        Assert.Equal(Shanghai(2026, 3, 12, 10), clarify.DueDate);
        await h.CompleteAsync(instance.Key, "Task_Clarify", """{"clarificationNotes":"型号已确认","dataComplete":true}""");
        Assert.Equal(FiveReviews, await h.OpenTaskIdsAsync(instance.Key));
    }

    [Fact]
    public async Task Reviews_IssueThenCustomerAgrees_NegotiationLeadsToANewRoundDueOneWorkingDayAfterIt()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var instance = await h.StartAsync("order-fulfilment", Order(), "ORD-1");
        await h.CompleteAsync(instance.Key, "Review_Planning", """{"outcome":"issue","comment":"交期需推迟一周"}""");
        await PassReviewsAsync(h, instance.Key);
        var negotiate = await h.TaskAsync(instance.Key, "Task_Negotiate");
        Assert.Equal(["sales"], negotiate.CandidateGroups);
        Assert.Equal("交期需推迟一周", Str(await h.InstanceAsync(instance.Key), "reviewPlanningComment"));

        h.Inner.Clock.SetTo(Shanghai(2026, 3, 11, 14));
        await h.CompleteAsync(instance.Key, "Task_Negotiate", """{"negotiationResult":"agreed","deliveryDate":"2026-04-27"}""");

        var round = await h.Inner.OpenTasksAsync(instance.Key);
        Assert.Equal(FiveReviews, round.Select(t => t.ElementId).Order(StringComparer.Ordinal));
        Assert.All(round, t => Assert.Equal(Shanghai(2026, 3, 12, 14), t.DueDate));
        var state = await h.InstanceAsync(instance.Key);
        Assert.Equal("2", Text(state, "reviewRound"));
        Assert.Equal("\"2026-04-27\"", Text(state, "deliveryDate"));
    }

    [Fact]
    public async Task Reviews_CustomerRefusesLaterDate_GmDeclines_OrderDeclinedAndNothingIsLeft()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var instance = await h.StartAsync("order-fulfilment", Order(), "ORD-1");
        await h.CompleteAsync(instance.Key, "Review_Planning", """{"outcome":"issue"}""");
        await PassReviewsAsync(h, instance.Key);
        await h.CompleteAsync(instance.Key, "Task_Negotiate", """{"negotiationResult":"refused","deliveryDate":"2026-04-20"}""");
        Assert.Equal(["gm"], (await h.TaskAsync(instance.Key, "Task_GmDecision")).CandidateGroups);

        await h.CompleteAsync(instance.Key, "Task_GmDecision", """{"gmDecision":"decline"}""", actor: "gm-wang");

        Assert.Equal(InstanceStatus.Completed, (await h.InstanceAsync(instance.Key)).Status);
        Assert.Empty(await h.OpenTaskIdsAsync(instance.Key));
        Assert.Empty(await h.JobsAsync(instance.Key));
        Assert.Empty(h.SubscriptionsOf(instance.Key));
        var status = Assert.Single(h.Recorders["order.set-status"].Calls);
        Assert.Equal(("declined", "ORD-1"), (status.Headers["status"], status.BusinessKey));
        Assert.Contains(h.Recorders["notify.email"].Calls, c => c.Headers["template"] == "order-declined" && c.Headers["toCustomer"] == "true");
    }

    [Fact]
    public async Task Reviews_BlockingIssue_GmDecidesAndMayStillAccept()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var instance = await h.StartAsync("order-fulfilment", Order(), "ORD-1");
        await h.CompleteAsync(instance.Key, "Review_Finance", """{"outcome":"decline","comment":"客户信用不足"}""");
        await PassReviewsAsync(h, instance.Key);

        Assert.Equal(["Task_GmDecision"], await h.OpenTaskIdsAsync(instance.Key));
        await h.CompleteAsync(instance.Key, "Task_GmDecision", """{"gmDecision":"accept"}""");
        Assert.Equal(["Approve_Manager"], await h.OpenTaskIdsAsync(instance.Key));
    }

    [Theory]
    [InlineData(99999.99, false, false, new[] { "Approve_Manager" })]
    [InlineData(100000, false, false, new[] { "Approve_Director", "Approve_Gm" })]
    [InlineData(250000, false, false, new[] { "Approve_Director", "Approve_Gm" })]
    [InlineData(20000, true, false, new[] { "Approve_Manager", "Approve_Gm" })]
    [InlineData(20000, false, true, new[] { "Approve_Manager", "Approve_Gm" })]
    public async Task Approval_ByAmountAndClause_RoutesToTheAuthorityThenTheProductionOrder(decimal amount, bool prepayment, bool commission, string[] approvers)
    {
        await using var h = await StartAtAsync(Tuesday10);
        var instance = await h.StartAsync("order-fulfilment", Order(amount, prepayment: prepayment, commission: commission), "ORD-1");
        await PassReviewsAsync(h, instance.Key);

        var seen = new List<string>();
        while ((await h.OpenTaskIdsAsync(instance.Key)) is [var id] && id.StartsWith("Approve_", StringComparison.Ordinal))
        {
            seen.Add(id);
            await h.CompleteAsync(instance.Key, id, """{"decision":"approve"}""");
        }

        Assert.Equal(approvers, seen);
        var productionOrder = await h.TaskAsync(instance.Key, "Task_ProductionOrder");
        Assert.Equal(Tuesday10.AddHours(4), productionOrder.DueDate);
    }

    [Fact]
    public async Task Approval_ThresholdFromCompanySetting_ReplacesTheDefault()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var instance = await h.StartAsync("order-fulfilment", Order(60000, extra: """, "approvalThreshold":50000"""), "ORD-1");

        await PassReviewsAsync(h, instance.Key);

        Assert.Equal(["director"], (await h.TaskAsync(instance.Key, "Approve_Director")).CandidateGroups);
    }

    [Fact]
    public async Task Approval_GmRejects_OrderDeclined()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var instance = await h.StartAsync("order-fulfilment", Order(300000), "ORD-1");
        await PassReviewsAsync(h, instance.Key);
        await h.CompleteAsync(instance.Key, "Approve_Director", """{"decision":"approve"}""");

        await h.CompleteAsync(instance.Key, "Approve_Gm", """{"decision":"reject","comment":"价格过低"}""");

        var state = await h.InstanceAsync(instance.Key);
        Assert.Equal(InstanceStatus.Completed, state.Status);
        Assert.Equal("价格过低", Str(state, "gmComment"));
        Assert.Equal("declined", Assert.Single(h.Recorders["order.set-status"].Calls).Headers["status"]);
    }

    [Theory]
    [InlineData("lc", "Pay_LetterOfCredit", "finance")]
    [InlineData("open-account", "Pay_OpenAccount", "dept-manager")]
    [InlineData("tt-deposit", "Pay_Deposit", "finance")]
    public async Task PaymentGate_ByPaymentTerms_TheMatchingCheckBeforeProduction(string terms, string task, string group)
    {
        await using var h = await StartAtAsync(Tuesday10);
        var instance = await h.StartAsync("order-fulfilment", Order(payment: terms), "ORD-1");
        await PassReviewsAsync(h, instance.Key);
        await h.CompleteAsync(instance.Key, "Approve_Manager", """{"decision":"approve"}""");
        Assert.Equal(["approved"], h.Recorders["order.set-status"].Calls.Select(c => c.Headers["status"]));

        await h.CompleteAsync(instance.Key, "Task_ProductionOrder", """{"productionOrderNo":"PO-1"}""");

        Assert.Contains(h.Recorders["notify.email"].Calls, c => c.Headers["template"] == "production-order" && c.Headers["toRoles"] == "planning, technical, quality, purchasing");
        Assert.Equal([task], (await h.OpenTaskIdsAsync(instance.Key)).Where(id => id.StartsWith("Pay_", StringComparison.Ordinal)));
        Assert.Equal([group], (await h.TaskAsync(instance.Key, task)).CandidateGroups);
        Assert.Single(h.Recorders["order.set-status"].Calls);
        await h.CompleteAsync(instance.Key, task, """{"paymentConfirmed":true}""");
        Assert.Equal(["approved", "in-production"], h.Recorders["order.set-status"].Calls.Select(c => c.Headers["status"]));
        Assert.Equal(Shanghai(2026, 3, 11, 10), (await h.TaskAsync(instance.Key, "Task_ProductionPlan")).DueDate);
    }

    [Fact]
    public async Task PaymentGate_LetterOfCredit_DueAboutOneMonthBeforeDelivery()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var instance = await h.StartAsync("order-fulfilment", Order(payment: "lc", delivery: "2026-06-15"), "ORD-1");
        await PassReviewsAsync(h, instance.Key);
        await h.CompleteAsync(instance.Key, "Approve_Manager", """{"decision":"approve"}""");
        await h.CompleteAsync(instance.Key, "Task_ProductionOrder", """{"productionOrderNo":"PO-1"}""");

        // 2026-06-15 minus 30 days is Saturday 2026-05-16: the previous working day is Friday 2026-05-15.
        Assert.Equal(Shanghai(2026, 5, 15, 17, 30), (await h.TaskAsync(instance.Key, "Pay_LetterOfCredit")).DueDate);
    }

    [Fact]
    public async Task ProductionPlan_Objection_PlanningRevisesThePlan()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var instance = await h.StartAsync("order-fulfilment", Order(), "ORD-1");
        await PassReviewsAsync(h, instance.Key);
        await h.CompleteAsync(instance.Key, "Approve_Manager", """{"decision":"approve"}""");
        await h.CompleteAsync(instance.Key, "Task_ProductionOrder", """{"productionOrderNo":"PO-1"}""");
        await h.CompleteAsync(instance.Key, "Pay_Deposit", """{"paymentConfirmed":true}""");
        await h.CompleteAsync(instance.Key, "Task_ProductionPlan", """{"plannedCompletionDate":"2026-04-10"}""");
        Assert.Equal(["purchasing", "quality", "technical", "warehouse"], (await h.TaskAsync(instance.Key, "Task_PlanConfirm")).CandidateGroups.Order(StringComparer.Ordinal));

        await h.CompleteAsync(instance.Key, "Task_PlanConfirm", """{"planObjection":"objection","planObjectionComment":"物料到货晚"}""");

        Assert.Contains("Task_ProductionPlan", await h.OpenTaskIdsAsync(instance.Key));
    }

    [Theory]
    [InlineData("company", "2026-04-20", 2026, 4, 13)]
    [InlineData("customer", "2026-04-20", 2026, 4, 13)]
    [InlineData("third-party", "2026-04-20", 2026, 4, 3)]   // Apr 6 is in the Qingming block: Friday Apr 3
    [InlineData("company", "2026-10-08", 2026, 9, 30)]     // Oct 1 is National Day: Wednesday Sep 30
    [InlineData("company", "2026-04-19", 2026, 4, 10)]     // Sunday Apr 12: Friday Apr 10
    public async Task InspectionNotice_ByInspectionMode_SevenOrFourteenDaysBeforeDeliveryOnTheWorkingDayOnOrBefore(string mode, string delivery, int year, int month, int day)
    {
        await using var h = await StartAtAsync(Shanghai(2026, 3, 2, 9));

        var instance = await InProductionAsync(h, Order(inspection: mode, delivery: delivery));

        Assert.Equal(Shanghai(year, month, day, 8, 30), (await h.TimerAsync(instance.Key, "Timer_InspectionNotice")).DueAt);
    }

    [Fact]
    public async Task InspectionNotice_Fires_NotifiesAndAsksTheRightRoleToArrangeIt()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var instance = await InProductionAsync(h, Order(inspection: "customer"));

        await h.AdvanceToAsync(Shanghai(2026, 4, 13, 8, 30));

        var notice = Assert.Single(h.Recorders["notify.email"].Calls, c => c.Headers["template"] == "inspection-notice");
        Assert.Equal("""["sales","planning"]""", notice.Variables["toRoles"]!.ToJsonString());
        var arrange = await h.TaskAsync(instance.Key, "Task_ArrangeInspection");
        Assert.Equal(["sales"], arrange.CandidateGroups);
        // One working day from 08:30 is used up at 17:30 the same day (calendar.md: cut-off at the end of the day).
        Assert.Equal(Shanghai(2026, 4, 13, 17, 30), arrange.DueDate);
    }

    [Fact]
    public async Task ProgressCheck_ThreeDaysBeforePlannedCompletion_AtRiskWarnsAndRaisesAScheduleChange()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var instance = await InProductionAsync(h, Order(), plannedCompletion: "2026-04-10");
        Assert.Equal(Shanghai(2026, 4, 7, 8, 30), (await h.TimerAsync(instance.Key, "Timer_ProgressCheck")).DueAt);
        Assert.Equal(Shanghai(2026, 4, 10, 17, 30), (await h.TaskAsync(instance.Key, "Task_Production")).DueDate);

        await h.AdvanceToAsync(Shanghai(2026, 4, 7, 8, 30));
        Assert.Equal(["merchandiser"], (await h.TaskAsync(instance.Key, "Task_ProgressCheck")).CandidateGroups);
        await h.CompleteAsync(instance.Key, "Task_ProgressCheck", """{"progressStatus":"at-risk","expectedDelayDays":5,"progressComment":"模具返修"}""");

        Assert.Contains(h.Recorders["notify.email"].Calls, c => c.Headers["template"] == "delay-warning");
        var change = h.SingleInstanceOf("order-change");
        Assert.Equal("ORD-1", change.BusinessKey);
        Assert.Equal("\"schedule\"", Text(change, "changeType"));
        Assert.Equal("模具返修", Str(change, "changeReason"));
        Assert.Contains("Task_Production", await h.OpenTaskIdsAsync(instance.Key));
    }

    [Fact]
    public async Task Fulfilment_InspectionPassedShippedAccepted_ClosedWithTheStatusesAndNothingLeftRunning()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var instance = await InProductionAsync(h, Order());
        await h.AdvanceToAsync(Shanghai(2026, 4, 13, 8, 30));
        await h.CompleteAsync(instance.Key, "Task_ArrangeInspection", """{"inspectionDate":"2026-04-16","inspector":"李工"}""");
        h.Inner.Clock.SetTo(Shanghai(2026, 4, 14, 15));
        await h.CompleteAsync(instance.Key, "Task_Production", """{"productionCompleted":true}""");
        var inspection = await h.TaskAsync(instance.Key, "Task_FinalInspection");
        Assert.Equal(Shanghai(2026, 4, 15, 15), inspection.DueDate);

        h.Inner.Clock.SetTo(Shanghai(2026, 4, 15, 11));
        await h.CompleteAsync(instance.Key, "Task_FinalInspection", """{"inspectionResult":"pass","quantityChecked":200,"quantityFailed":0,"passRate":100}""");
        Assert.Equal(Shanghai(2026, 4, 15, 15), (await h.TaskAsync(instance.Key, "Task_ShippingInstruction")).DueDate);
        await h.CompleteAsync(instance.Key, "Task_ShippingInstruction", """{"plannedShipDate":"2026-04-16"}""");
        Assert.Equal(Shanghai(2026, 4, 16, 11), (await h.TaskAsync(instance.Key, "Task_Ship")).DueDate);
        await h.CompleteAsync(instance.Key, "Task_Ship", """{"shippedOn":"2026-04-16","waybillNo":"SF1","quantityShipped":200}""");
        Assert.Contains(h.Recorders["notify.email"].Calls, c => c.Headers["template"] == "order-shipped" && c.Headers["toCustomer"] == "true");
        await h.CompleteAsync(instance.Key, "Task_CustomerAcceptance", """{"acceptance":"accepted"}""");
        await h.CompleteAsync(instance.Key, "Task_Close", """{"documentsArchived":true}""");

        Assert.Equal(["approved", "in-production", "shipped", "closed"], h.Recorders["order.set-status"].Calls.Select(c => c.Headers["status"]));
        Assert.Equal(InstanceStatus.Completed, (await h.InstanceAsync(instance.Key)).Status);
        Assert.Empty(await h.JobsAsync(instance.Key));
        Assert.Empty(h.SubscriptionsOf(instance.Key));
    }
}
