using WorkflowOrders.Engine.Runtime;
using static WorkflowOrders.Engine.Tests.Procedures.OrderFulfilmentScenarioTests;
using static WorkflowOrders.Engine.Tests.Procedures.ProcedureHarness;

namespace WorkflowOrders.Engine.Tests.Procedures;

/// <summary>nonconformance.bpmn (procedures.md §5): the routing table, same-day proposal, disposition, and its links to the order procedures.</summary>
public sealed class NonconformanceScenarioTests
{
    private static readonly DateTimeOffset Tuesday10 = Shanghai(2026, 3, 10, 10);

    private static string Report(decimal passRate, string category, bool deliveryAtRisk = false) =>
        $$"""{"source":"in-process","item":"轴承座","quantityChecked":200,"quantityFailed":10,"passRate":{{passRate}},"defectDescription":"尺寸超差","category":"{{category}}","deliveryAtRisk":{{(deliveryAtRisk ? "true" : "false")}}}""";

    private static async Task<InstanceState> ReportedAsync(ProcedureHarness h, decimal passRate, string category)
    {
        var nc = await h.StartAsync("nonconformance", """{"orderNo":"ORD-1"}""", "ORD-1");
        await h.CompleteAsync(nc.Key, "Task_Report", Report(passRate, category));
        return nc;
    }

    [Theory]
    [InlineData(94.99, "reworkable", "Handle_Serious", "dept-manager")]
    [InlineData(99, "serious", "Handle_Serious", "dept-manager")]
    [InlineData(99, "design", "Assess_QualityManager", "dept-manager")]
    [InlineData(99, "other-plant", "Handle_OtherPlant", "dept-manager")]
    [InlineData(99, "purchased", "Handle_Purchased", "purchasing")]
    [InlineData(95, "reworkable", "Handle_Rework", "planning")]
    public async Task Routing_ByPassRateAndClassification_ReachesTheResponsibleRole(decimal passRate, string category, string task, string group)
    {
        await using var h = await StartAtAsync(Tuesday10);

        var nc = await ReportedAsync(h, passRate, category);

        Assert.Equal([task], await h.OpenTaskIdsAsync(nc.Key));
        Assert.Equal([group], (await h.TaskAsync(nc.Key, task)).CandidateGroups);
    }

    [Fact]
    public async Task Report_FirstReactionIn20WorkingMinutes_ProposalTheSameWorkingDay()
    {
        await using var h = await StartAtAsync(Shanghai(2026, 3, 10, 17, 20));
        var nc = await h.StartAsync("nonconformance", """{"orderNo":"ORD-1"}""", "ORD-1");
        Assert.Equal(Shanghai(2026, 3, 11, 8, 40), (await h.TaskAsync(nc.Key, "Task_Report")).DueDate);

        await h.CompleteAsync(nc.Key, "Task_Report", Report(99, "other-plant"));
        Assert.Equal(Shanghai(2026, 3, 11, 8, 50), (await h.TaskAsync(nc.Key, "Handle_OtherPlant")).DueDate);
        await h.CompleteAsync(nc.Key, "Handle_OtherPlant", """{"handlingNotes":"二车间协调"}""");

        Assert.Equal(Shanghai(2026, 3, 10, 17, 30), (await h.TaskAsync(nc.Key, "Task_Proposal")).DueDate);
    }

    [Fact]
    public async Task Routing_DesignIssueUnresolved_GoesToTheGm()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var nc = await ReportedAsync(h, 99, "design");
        Assert.Equal(Shanghai(2026, 3, 10, 10, 30), (await h.TaskAsync(nc.Key, "Assess_QualityManager")).DueDate);

        await h.CompleteAsync(nc.Key, "Assess_QualityManager", """{"ncResolved":"unresolved","handlingNotes":"需总经理决定"}""");

        Assert.Equal(["gm"], (await h.TaskAsync(nc.Key, "Task_GmRuling")).CandidateGroups);
        await h.CompleteAsync(nc.Key, "Task_GmRuling", """{"handlingNotes":"改设计"}""");
        Assert.Equal(["Task_Proposal"], await h.OpenTaskIdsAsync(nc.Key));
    }

    [Fact]
    public async Task Disposition_ConcessionRejectedByManager_BackToDispositionThenRework()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var nc = await ReportedAsync(h, 99, "reworkable");
        await h.CompleteAsync(nc.Key, "Handle_Rework", """{"handlingNotes":"返工"}""");
        await h.CompleteAsync(nc.Key, "Task_Proposal", """{"rectificationProposal":"调整夹具"}""");

        await h.CompleteAsync(nc.Key, "Task_Disposition", """{"disposition":"concession","priceReduction":500}""");
        Assert.Equal(["dept-manager"], (await h.TaskAsync(nc.Key, "Approve_Concession")).CandidateGroups);
        await h.CompleteAsync(nc.Key, "Approve_Concession", """{"decision":"reject"}""");
        Assert.Equal(["Task_Disposition"], await h.OpenTaskIdsAsync(nc.Key));

        await h.CompleteAsync(nc.Key, "Task_Disposition", """{"disposition":"rework"}""");
        Assert.Equal(["planning"], (await h.TaskAsync(nc.Key, "Task_Execute")).CandidateGroups);
        await h.CompleteAsync(nc.Key, "Task_Execute", """{"executionNotes":"已返工"}""");
        await h.CompleteAsync(nc.Key, "Task_Verify", """{"verificationResult":"passed"}""");
        Assert.Equal(InstanceStatus.Completed, (await h.InstanceAsync(nc.Key)).Status);
    }

    [Fact]
    public async Task Disposition_DeliveryDateAtRisk_RaisesAScheduleChangeForTheOrder()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var nc = await ReportedAsync(h, 99, "purchased");
        await h.CompleteAsync(nc.Key, "Handle_Purchased", """{"handlingNotes":"供应商补货"}""");
        await h.CompleteAsync(nc.Key, "Task_Proposal", """{"rectificationProposal":"更换供应商批次"}""");

        await h.CompleteAsync(nc.Key, "Task_Disposition", """{"disposition":"return-replace","deliveryAtRisk":true}""");

        var change = h.SingleInstanceOf("order-change");
        Assert.Equal("ORD-1", change.BusinessKey);
        Assert.Equal("schedule", Str(change, "changeType"));
        Assert.Equal("nonconformance", Str(change, "source"));
        Assert.Single(await h.Inner.OpenTasksAsync(change.Key), t => t.ElementId == "Task_Classify");
        Assert.Equal(["purchasing"], (await h.TaskAsync(nc.Key, "Task_Execute")).CandidateGroups);
    }

    [Fact]
    public async Task FinalInspectionFailed_StartsNonconformance_ItsCloseBringsTheOrderBackToInspection()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var order = await InProductionAsync(h, Order());
        await h.AdvanceToAsync(Shanghai(2026, 4, 13, 8, 30));
        await h.CompleteAsync(order.Key, "Task_ArrangeInspection", """{"inspectionDate":"2026-04-16","inspector":"李工"}""");
        await h.CompleteAsync(order.Key, "Task_Production", """{"productionCompleted":true}""");

        await h.CompleteAsync(order.Key, "Task_FinalInspection", """{"inspectionResult":"fail","quantityChecked":200,"quantityFailed":16,"passRate":92,"defectDescription":"外观划伤"}""");

        var nc = h.SingleInstanceOf("nonconformance");
        Assert.Equal("ORD-1", nc.BusinessKey);
        Assert.Equal("final-inspection", Str(nc, "source"));
        Assert.Equal("92", Text(nc, "passRate"));
        Assert.Equal(Str(await h.InstanceAsync(order.Key), "ncRef"), Str(nc, "ncRef"));
        Assert.DoesNotContain("Task_FinalInspection", await h.OpenTaskIdsAsync(order.Key));
        await h.CompleteAsync(nc.Key, "Task_Report", """{"item":"外壳","quantityChecked":200,"quantityFailed":16,"passRate":92,"defectDescription":"外观划伤","category":"reworkable"}""");
        Assert.Equal(["Handle_Serious"], await h.OpenTaskIdsAsync(nc.Key));
        await h.CompleteAsync(nc.Key, "Handle_Serious", """{"handlingNotes":"全检"}""");
        await h.CompleteAsync(nc.Key, "Task_Proposal", """{"rectificationProposal":"加保护膜"}""");
        await h.CompleteAsync(nc.Key, "Task_Disposition", """{"disposition":"rework"}""");
        await h.CompleteAsync(nc.Key, "Task_Execute", """{"executionNotes":"返工完成"}""");

        await h.CompleteAsync(nc.Key, "Task_Verify", """{"verificationResult":"passed"}""");

        Assert.Equal(InstanceStatus.Completed, (await h.InstanceAsync(nc.Key)).Status);
        Assert.Contains("Task_FinalInspection", await h.OpenTaskIdsAsync(order.Key));
    }

    [Fact]
    public async Task NonconformanceNotFromTheOrderProcedure_Closed_DoesNotReleaseAWaitingInspection()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var order = await InProductionAsync(h, Order());
        await h.AdvanceToAsync(Shanghai(2026, 4, 13, 8, 30));
        await h.CompleteAsync(order.Key, "Task_ArrangeInspection", """{"inspectionDate":"2026-04-16","inspector":"李工"}""");
        await h.CompleteAsync(order.Key, "Task_Production", """{"productionCompleted":true}""");
        await h.CompleteAsync(order.Key, "Task_FinalInspection", """{"inspectionResult":"fail","quantityChecked":200,"quantityFailed":16,"passRate":92}""");
        var other = await ReportedAsync(h, 99, "purchased");
        await h.CompleteAsync(other.Key, "Handle_Purchased", """{"handlingNotes":"来料"}""");
        await h.CompleteAsync(other.Key, "Task_Proposal", """{"rectificationProposal":"退货"}""");
        await h.CompleteAsync(other.Key, "Task_Disposition", """{"disposition":"scrap"}""");
        await h.CompleteAsync(other.Key, "Task_Execute", """{"executionNotes":"已报废"}""");

        await h.CompleteAsync(other.Key, "Task_Verify", """{"verificationResult":"passed"}""");

        Assert.Equal(InstanceStatus.Completed, (await h.InstanceAsync(other.Key)).Status);
        Assert.DoesNotContain("Task_FinalInspection", await h.OpenTaskIdsAsync(order.Key));
        Assert.Single(h.SubscriptionsOf(order.Key), s => s.MessageName == "nonconformance-closed");
    }
}
