using WorkflowOrders.Engine.Runtime;
using static WorkflowOrders.Engine.Tests.Procedures.OrderFulfilmentScenarioTests;
using static WorkflowOrders.Engine.Tests.Procedures.ProcedureHarness;

namespace WorkflowOrders.Engine.Tests.Procedures;

/// <summary>order-change.bpmn (procedures.md §3): classification, review paths, approval, applying the change, a moved inspection notice.</summary>
public sealed class OrderChangeScenarioTests
{
    private static readonly DateTimeOffset Tuesday10 = Shanghai(2026, 3, 10, 10);

    private const string Request = """{"orderNo":"ORD-1","amount":50000,"changeReason":"客户要求推迟"}""";

    [Fact]
    public async Task Change_Requested_OrderDeskClassifiesWithin30WorkingMinutes()
    {
        await using var h = await StartAtAsync(Shanghai(2026, 3, 10, 17, 15));

        var change = await h.StartAsync("order-change", Request, "ORD-1");

        var classify = await h.TaskAsync(change.Key, "Task_Classify");
        Assert.Equal(["sales"], classify.CandidateGroups);
        Assert.Equal("change-request", classify.FormId);
        Assert.Equal(Shanghai(2026, 3, 11, 8, 45), classify.DueDate);
    }

    [Theory]
    [InlineData("minor", new[] { "Review_Minor" })]
    [InlineData("schedule", new[] { "Review_Schedule" })]
    [InlineData("structural", new[] { "Review_Finance", "Review_Planning", "Review_Purchasing", "Review_Quality", "Review_Technical" })]
    public async Task Change_Classification_TakesTheMatchingReviewPath(string changeType, string[] reviews)
    {
        await using var h = await StartAtAsync(Tuesday10);
        var change = await h.StartAsync("order-change", Request, "ORD-1");

        await h.CompleteAsync(change.Key, "Task_Classify", $$"""{"changeType":"{{changeType}}","changeContent":"…","amount":50000}""");

        Assert.Equal(reviews, await h.OpenTaskIdsAsync(change.Key));
        Assert.All(await h.Inner.OpenTasksAsync(change.Key), t => Assert.Equal(Shanghai(2026, 3, 11, 10), t.DueDate));
    }

    [Fact]
    public async Task Change_Structural_FullReReviewThenContractSupplementThenDirectorAndGmAboveThreshold()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var change = await h.StartAsync("order-change", Request, "ORD-1");
        await h.CompleteAsync(change.Key, "Task_Classify", """{"changeType":"structural","changeContent":"更换主要部件","amount":180000}""");
        foreach (var id in await h.OpenTaskIdsAsync(change.Key))
        {
            await h.CompleteAsync(change.Key, id, """{"changeReviewOutcome":"feasible"}""");
        }

        await h.CompleteAsync(change.Key, "Task_ContractSupplement", """{"supplementNo":"SUP-1","newAmount":180000}""");
        await h.CompleteAsync(change.Key, "Approve_Director", """{"decision":"approve"}""");
        await h.CompleteAsync(change.Key, "Approve_Gm", """{"decision":"approve"}""");

        Assert.Equal(["Task_Reconfirm"], await h.OpenTaskIdsAsync(change.Key));
        Assert.Equal("structural", Assert.Single(h.Recorders["order.apply-change"].Calls).Variables["changeType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Change_ScheduleApproved_AppliedAndTheRunningOrderMovesItsInspectionNotice()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var order = await InProductionAsync(h, Order(delivery: "2026-04-20"));
        Assert.Equal(Shanghai(2026, 4, 13, 8, 30), (await h.TimerAsync(order.Key, "Timer_InspectionNotice")).DueAt);
        var change = await h.StartAsync("order-change", Request, "ORD-1");
        await h.CompleteAsync(change.Key, "Task_Classify", """{"changeType":"schedule","changeContent":"交期推迟","amount":50000}""");
        await h.CompleteAsync(change.Key, "Review_Schedule", """{"changeReviewOutcome":"feasible"}""");
        await h.CompleteAsync(change.Key, "Task_NegotiateDate", """{"newDeliveryDate":"2026-05-08","customerAgreed":true}""");

        await h.CompleteAsync(change.Key, "Approve_Manager", """{"decision":"approve"}""");

        Assert.Contains(h.Recorders["notify.email"].Calls, c => c.Headers["template"] == "change-notice");
        var applied = Assert.Single(h.Recorders["order.apply-change"].Calls);
        Assert.Equal(("ORD-1", "2026-05-08"), (applied.BusinessKey, applied.Variables["newDeliveryDate"]!.GetValue<string>()));
        Assert.Equal("2026-05-08", Str(await h.InstanceAsync(order.Key), "deliveryDate"));
        // May 8 minus 7 days is May 1, inside the Labour Day block (May 1–5): the notice goes out Thursday April 30.
        Assert.Equal(Shanghai(2026, 4, 30, 8, 30), (await h.TimerAsync(order.Key, "Timer_InspectionNotice")).DueAt);
        Assert.Equal(Shanghai(2026, 3, 12, 10), (await h.TaskAsync(change.Key, "Task_Reconfirm")).DueDate);

        await h.AdvanceToAsync(Shanghai(2026, 4, 13, 9));
        Assert.DoesNotContain("Task_ArrangeInspection", await h.OpenTaskIdsAsync(order.Key));
        await h.AdvanceToAsync(Shanghai(2026, 4, 30, 8, 30));
        Assert.Contains("Task_ArrangeInspection", await h.OpenTaskIdsAsync(order.Key));
    }

    [Fact]
    public async Task Change_SecondDateChange_TheOrderFollowsAgain()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var order = await InProductionAsync(h, Order(delivery: "2026-04-20"));

        await h.Runtime.PublishMessageAsync("order-delivery-date-changed", "ORD-1", new() { ["deliveryDate"] = "2026-05-08" }, TimeSpan.Zero);
        await h.Runtime.PublishMessageAsync("order-delivery-date-changed", "ORD-1", new() { ["deliveryDate"] = "2026-06-01" }, TimeSpan.Zero);

        Assert.Equal(Shanghai(2026, 5, 25, 8, 30), (await h.TimerAsync(order.Key, "Timer_InspectionNotice")).DueAt);
    }

    [Fact]
    public async Task Change_Rejected_NothingIsAppliedAndTheRequesterIsTold()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var change = await h.StartAsync("order-change", Request, "ORD-1");
        await h.CompleteAsync(change.Key, "Task_Classify", """{"changeType":"minor","changeContent":"包装标签","amount":50000}""");
        await h.CompleteAsync(change.Key, "Review_Minor", """{"changeReviewOutcome":"issue"}""");

        await h.CompleteAsync(change.Key, "Approve_Manager", """{"decision":"reject"}""");

        Assert.Equal(InstanceStatus.Completed, (await h.InstanceAsync(change.Key)).Status);
        Assert.Empty(h.Recorders["order.apply-change"].Calls);
        Assert.Contains(h.Recorders["notify.email"].Calls, c => c.Headers["template"] == "change-rejected");
    }
}
