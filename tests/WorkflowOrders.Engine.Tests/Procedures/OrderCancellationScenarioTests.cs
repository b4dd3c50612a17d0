using WorkflowOrders.Engine.Runtime;
using static WorkflowOrders.Engine.Tests.Procedures.OrderFulfilmentScenarioTests;
using static WorkflowOrders.Engine.Tests.Procedures.ProcedureHarness;

namespace WorkflowOrders.Engine.Tests.Procedures;

/// <summary>order-cancellation.bpmn (procedures.md §4): contract terms, handling plan, approval by authority, and the end of the order procedure.</summary>
public sealed class OrderCancellationScenarioTests
{
    private static readonly DateTimeOffset Tuesday10 = Shanghai(2026, 3, 10, 10);

    private static string Cancellation(decimal amount, bool allowedByContract) =>
        $$"""{"orderNo":"ORD-1","amount":{{amount}},"allowedByContract":{{(allowedByContract ? "true" : "false")}},"cancellationReason":"客户项目取消"}""";

    private const string Plan = """{"cancellationReason":"客户项目取消","foreseeableProblems":"已采购物料需退货","costsIncurred":12000,"materialsAndWip":"在制品转库存"}""";

    [Fact]
    public async Task Cancellation_ApprovedByDirectorAndGm_EndsTheOrderProcedureWithItsTasksAndTimersAndClosesTheOrder()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var order = await InProductionAsync(h, Order());
        Assert.NotEmpty(await h.JobsAsync(order.Key));
        var cancellation = await h.StartAsync("order-cancellation", Cancellation(150000, allowedByContract: false), "ORD-1");
        var plan = await h.TaskAsync(cancellation.Key, "Task_Plan");
        Assert.Equal(Shanghai(2026, 3, 11, 10), plan.DueDate);
        await h.CompleteAsync(cancellation.Key, "Task_Plan", Plan);
        await h.CompleteAsync(cancellation.Key, "Approve_Director", """{"decision":"approve"}""");
        Assert.Equal(InstanceStatus.Active, (await h.InstanceAsync(order.Key)).Status);

        await h.CompleteAsync(cancellation.Key, "Approve_Gm", """{"decision":"approve"}""");

        var ended = await h.InstanceAsync(order.Key);
        Assert.Equal(InstanceStatus.Completed, ended.Status);
        Assert.Empty(await h.OpenTaskIdsAsync(order.Key));
        Assert.Contains(await h.Inner.AllTasksAsync(order.Key), t => t.ElementId == "Task_Production" && t.State == UserTaskState.Canceled);
        Assert.Empty(await h.JobsAsync(order.Key));
        Assert.Empty(h.SubscriptionsOf(order.Key));
        var cancel = Assert.Single(h.Recorders["order.cancel"].Calls);
        Assert.Equal(("ORD-1", "客户项目取消"), (cancel.BusinessKey, cancel.Variables["reason"]!.GetValue<string>()));
        Assert.Contains(h.Recorders["notify.email"].Calls, c => c.Headers["template"] == "order-cancelled" && c.Headers["toCustomer"] == "true");
        Assert.Equal(["Task_Execute"], await h.OpenTaskIdsAsync(cancellation.Key));

        // The inspection notice and the progress check would have fallen due in April: nothing fires any more.
        Assert.Equal(0, await h.AdvanceToAsync(Shanghai(2026, 5, 1, 9)));
        Assert.Empty(await h.OpenTaskIdsAsync(order.Key));
    }

    [Fact]
    public async Task Cancellation_AllowedByContract_ExecutedAndRecordedWithoutApproval()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var order = await h.StartAsync("order-fulfilment", Order(), "ORD-1");

        var cancellation = await h.StartAsync("order-cancellation", Cancellation(50000, allowedByContract: true), "ORD-1");

        Assert.Equal(["Task_Execute"], await h.OpenTaskIdsAsync(cancellation.Key));
        Assert.DoesNotContain(await h.Inner.AllTasksAsync(cancellation.Key), t => t.ElementId.StartsWith("Approve_", StringComparison.Ordinal));
        Assert.Equal("true", Assert.Single(h.Recorders["order.cancel"].Calls).Variables["allowedByContract"]!.ToJsonString());
        Assert.Equal(InstanceStatus.Completed, (await h.InstanceAsync(order.Key)).Status);
        Assert.Empty(await h.OpenTaskIdsAsync(order.Key));
        await h.CompleteAsync(cancellation.Key, "Task_Execute", """{"productionStopped":true,"purchasingStopped":true,"customerInformed":true,"archived":true}""");
        Assert.Equal(InstanceStatus.Completed, (await h.InstanceAsync(cancellation.Key)).Status);
    }

    [Theory]
    [InlineData(99999, new[] { "Approve_Manager" })]
    [InlineData(100000, new[] { "Approve_Director", "Approve_Gm" })]
    public async Task Cancellation_ByAmount_ApprovedWithinAuthority(decimal amount, string[] approvers)
    {
        await using var h = await StartAtAsync(Tuesday10);
        var cancellation = await h.StartAsync("order-cancellation", Cancellation(amount, allowedByContract: false), "ORD-1");
        await h.CompleteAsync(cancellation.Key, "Task_Plan", Plan);

        var seen = new List<string>();
        while ((await h.OpenTaskIdsAsync(cancellation.Key)) is [var id] && id.StartsWith("Approve_", StringComparison.Ordinal))
        {
            seen.Add(id);
            await h.CompleteAsync(cancellation.Key, id, """{"decision":"approve"}""");
        }

        Assert.Equal(approvers, seen);
        Assert.Single(h.Recorders["order.cancel"].Calls);
    }

    [Fact]
    public async Task Cancellation_Rejected_OrderContinuesUntouched()
    {
        await using var h = await StartAtAsync(Tuesday10);
        var order = await h.StartAsync("order-fulfilment", Order(), "ORD-1");
        var cancellation = await h.StartAsync("order-cancellation", Cancellation(50000, allowedByContract: false), "ORD-1");
        await h.CompleteAsync(cancellation.Key, "Task_Plan", Plan);

        await h.CompleteAsync(cancellation.Key, "Approve_Manager", """{"decision":"reject","comment":"合同不允许"}""");

        Assert.Equal(InstanceStatus.Completed, (await h.InstanceAsync(cancellation.Key)).Status);
        Assert.Empty(h.Recorders["order.cancel"].Calls);
        Assert.Contains(h.Recorders["notify.email"].Calls, c => c.Headers["template"] == "cancellation-rejected");
        Assert.Equal(InstanceStatus.Active, (await h.InstanceAsync(order.Key)).Status);
        Assert.Equal(5, (await h.OpenTaskIdsAsync(order.Key)).Count);
    }
}
