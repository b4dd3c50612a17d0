using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Conformance;
using WorkflowOrders.Engine.Handlers;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Orders;
using WorkflowOrders.Persistence.Tests.Engine;
using WorkflowOrders.Persistence.Tests.Support;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Persistence.Tests.Orders;

/// <summary>
/// order.set-status, order.apply-change and order.cancel through the real definitions of workflows/ on the EF store
/// with the job executor and a fake clock (Tuesday 2026-03-10 10:00 in Shanghai).
/// </summary>
public abstract class OrderTaskHandlerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Tuesday10 = new(2026, 3, 10, 10, 0, 0, TimeSpan.FromHours(8));

    private readonly FakeClock _clock = new(Tuesday10);
    private WorkflowHarness? _harness;
    private TestDatabase? _database;

    private WorkflowHarness H => _harness!;

    private TestDatabase Db => _database!;

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        _harness = await EfHarness.CreateAsync(_database, _clock, runtime =>
        [
            new PublishMessageHandler(runtime),
            new SetOrderStatusHandler(_clock),
            new ApplyOrderChangeHandler(runtime, _clock),
            new CancelOrderHandler(_clock),
            new DelegateTaskHandler("notify.email", _ => TaskOutcome.Complete()),
        ]);
        var folder = Path.Combine(AppContext.BaseDirectory, "workflows");
        var resources = Directory.GetFiles(folder, "*.bpmn")
            .Concat(Directory.GetFiles(Path.Combine(folder, "forms"), "*.form"))
            .Select(f => new DeploymentResource(Path.GetFileName(f), File.ReadAllText(f)))
            .ToList();
        await H.Runtime.DeployAsync(resources, "owner");
        await using var db = Db.CreateContext();
        db.Orders.Add(NewOrder());
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private static OrderRow NewOrder()
    {
        var order = new OrderRow
        {
            OrderNo = "ORD-1", CustomerName = "华东机械", Currency = "CNY", TotalAmount = 50000m,
            DeliveryDate = new DateOnly(2026, 4, 20), PaymentTerms = "tt-deposit", OrderType = "standard", InspectionMode = "company",
            Status = OrderVocabulary.InReview, CreatedAt = Tuesday10, CreatedBy = "sales1",
        };
        order.Lines.Add(new OrderLineRow { LineNo = 1, Product = "减速机", Specification = "R-40", Quantity = 100, UnitPrice = 300 });
        order.Lines.Add(new OrderLineRow { LineNo = 2, Product = "电机", Specification = "M-7", Quantity = 50, UnitPrice = 400 });
        return order;
    }

    private const string OrderVariables = """
        {"orderNo":"ORD-1","customer":{"name":"华东机械"},"amount":50000,"currency":"CNY","orderType":"standard","paymentTerms":"tt-deposit",
         "inspectionMode":"company","deliveryDate":"2026-04-20","hasPrepaymentClause":false,"hasCommissionClause":false}
        """;

    private async Task CompleteAsync(long instanceKey, string elementId, string json)
    {
        await H.CompleteTaskAsync(instanceKey, elementId, json);
        await H.RunDueJobsAsync();
    }

    /// <summary>Reviews passed, the manager approved, production order issued, deposit received (→ Status_InProduction).</summary>
    private async Task<InstanceState> OrderInProductionAsync()
    {
        var order = await H.StartAsync("order-fulfilment", OrderVariables, "ORD-1");
        await H.RunDueJobsAsync();
        foreach (var task in (await H.OpenTasksAsync(order.Key)).Where(t => t.ElementId.StartsWith("Review_", StringComparison.Ordinal)))
        {
            await CompleteAsync(order.Key, task.ElementId, """{"outcome":"pass"}""");
        }

        await CompleteAsync(order.Key, "Approve_Manager", """{"decision":"approve"}""");
        await CompleteAsync(order.Key, "Task_ProductionOrder", """{"productionOrderNo":"PO-1"}""");
        await CompleteAsync(order.Key, "Pay_Deposit", """{"paymentConfirmed":true}""");
        return order;
    }

    private async Task<OrderRow> OrderAsync()
    {
        await using var db = Db.CreateContext();
        return await db.Orders.AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.OrderNo == "ORD-1");
    }

    private async Task<List<OrderEventRow>> TimelineAsync()
    {
        await using var db = Db.CreateContext();
        return await db.OrderEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
    }

    [Fact]
    public async Task SetStatus_ManagerApproves_OrderApprovedBeforeTheProductionOrderIsIssued()
    {
        var order = await H.StartAsync("order-fulfilment", OrderVariables, "ORD-1");
        await H.RunDueJobsAsync();
        foreach (var task in (await H.OpenTasksAsync(order.Key)).Where(t => t.ElementId.StartsWith("Review_", StringComparison.Ordinal)))
        {
            await CompleteAsync(order.Key, task.ElementId, """{"outcome":"pass"}""");
        }

        Assert.Equal(OrderVocabulary.InReview, (await OrderAsync()).Status);
        await CompleteAsync(order.Key, "Approve_Manager", """{"decision":"approve"}""");

        Assert.Equal(OrderVocabulary.Approved, (await OrderAsync()).Status);
        var entry = Assert.Single(await TimelineAsync());
        Assert.Equal((OrderEventKinds.Status, "approved", order.Key, "order-fulfilment/Status_Approved"), (entry.Kind, entry.Status, entry.InstanceKey, entry.Actor));
        Assert.Contains("Task_ProductionOrder", (await H.OpenTasksAsync(order.Key)).Select(t => t.ElementId));
    }

    [Fact]
    public async Task SetStatus_DepositReceived_OrderInProductionAfterApproved()
    {
        var instance = await OrderInProductionAsync();

        Assert.Equal(OrderVocabulary.InProduction, (await OrderAsync()).Status);
        var timeline = await TimelineAsync();
        Assert.Equal(
            [(OrderEventKinds.Status, "approved", "order-fulfilment/Status_Approved"), (OrderEventKinds.Status, "in-production", "order-fulfilment/Status_InProduction")],
            timeline.Select(e => (e.Kind, e.Status, e.Actor)));
        Assert.All(timeline, e => Assert.Equal(instance.Key, e.InstanceKey));
        Assert.Contains("Task_ProductionPlan", (await H.OpenTasksAsync(instance.Key)).Select(t => t.ElementId));
    }

    [Fact]
    public async Task SetStatus_SameJobRunTwice_ChangesNothingTwice()
    {
        var handler = new SetOrderStatusHandler(_clock);
        var job = new JobRecord { Key = 777, Type = SetOrderStatusHandler.TaskType, ProcessId = "order-fulfilment", ElementId = "Status_Shipped", Headers = new Dictionary<string, string> { ["status"] = "shipped" } };

        for (var run = 0; run < 2; run++)
        {
            _clock.Advance(TimeSpan.FromHours(1));
            await using var uow = await H.Runtime.Store.BeginAsync();
            var outcome = await handler.HandleAsync(new TaskContext { Job = job, Variables = [], BusinessKey = "ORD-1", UnitOfWork = uow }, CancellationToken.None);
            Assert.IsType<TaskOutcome.Completed>(outcome);
            await uow.CommitAsync();
        }

        Assert.Equal(OrderVocabulary.Shipped, (await OrderAsync()).Status);
        var entry = Assert.Single(await TimelineAsync());
        Assert.Equal(Tuesday10.AddHours(1), entry.At);
    }

    [Fact]
    public async Task SetStatus_UnknownOrder_FailsSoTheJobBecomesAnIncident()
    {
        var handler = new SetOrderStatusHandler(_clock);
        var job = new JobRecord { Key = 778, Type = SetOrderStatusHandler.TaskType, ElementId = "Status_Shipped", Headers = new Dictionary<string, string> { ["status"] = "shipped" } };
        await using var uow = await H.Runtime.Store.BeginAsync();

        var outcome = await handler.HandleAsync(new TaskContext { Job = job, Variables = [], BusinessKey = "ORD-404", UnitOfWork = uow }, CancellationToken.None);

        Assert.Contains("ORD-404", Assert.IsType<TaskOutcome.Failed>(outcome).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyChange_ScheduleChangeApproved_OrderRowUpdatedAndTheOrderProcedureGetsTheNewDate()
    {
        var order = await OrderInProductionAsync();
        var change = await H.StartAsync("order-change", """{"orderNo":"ORD-1","amount":50000,"changeReason":"客户要求推迟"}""", "ORD-1");
        await H.RunDueJobsAsync();
        await CompleteAsync(change.Key, "Task_Classify", """{"changeType":"schedule","changeContent":"交期推迟，第2行数量改为80","newQuantities":"2: 80","amount":50000}""");
        await CompleteAsync(change.Key, "Review_Schedule", """{"changeReviewOutcome":"feasible"}""");
        await CompleteAsync(change.Key, "Task_NegotiateDate", """{"newDeliveryDate":"2026-05-08","customerAgreed":true}""");

        await CompleteAsync(change.Key, "Approve_Manager", """{"decision":"approve"}""");

        var row = await OrderAsync();
        Assert.Equal(new DateOnly(2026, 5, 8), row.DeliveryDate);
        Assert.Equal([100m, 80m], row.Lines.OrderBy(l => l.LineNo).Select(l => l.Quantity));
        Assert.Equal(100 * 300m + 80 * 400m, row.TotalAmount);
        var changed = Assert.Single(await TimelineAsync(), e => e.Kind == OrderEventKinds.Changed);
        var details = JsonNode.Parse(changed.Details!)!;
        Assert.Equal("2026-04-20", details["deliveryDate"]!["from"]!.GetValue<string>());
        Assert.Equal("2026-05-08", (await H.InstanceAsync(order.Key)).Variables["deliveryDate"]!.GetValue<string>());
        Assert.Contains("Task_Reconfirm", (await H.OpenTasksAsync(change.Key)).Select(t => t.ElementId));
    }

    [Fact]
    public async Task ApplyChange_PublishHeader_HandlerItselfDeliversTheDateToTheOrderProcedure()
    {
        var order = await OrderInProductionAsync();
        var handler = new ApplyOrderChangeHandler(H.Runtime, _clock);
        var job = new JobRecord { Key = 779, Type = ApplyOrderChangeHandler.TaskType, ProcessId = "custom", ElementId = "Apply", Headers = new Dictionary<string, string> { ["publishDeliveryDate"] = "true" } };
        await using (var uow = await H.Runtime.Store.BeginAsync())
        {
            var outcome = await handler.HandleAsync(new TaskContext { Job = job, Variables = new JsonObject { ["orderNo"] = "ORD-1", ["newDeliveryDate"] = "2026-06-01" }, UnitOfWork = uow }, CancellationToken.None);
            Assert.IsType<TaskOutcome.Completed>(outcome);
            await uow.CommitAsync();
        }

        Assert.Equal(new DateOnly(2026, 6, 1), (await OrderAsync()).DeliveryDate);
        Assert.Equal("2026-06-01", (await H.InstanceAsync(order.Key)).Variables["deliveryDate"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_AllowedByContract_OrderCancelledAndTheOrderProcedureEnded()
    {
        var order = await OrderInProductionAsync();
        _clock.Advance(TimeSpan.FromHours(2));

        var cancellation = await H.StartAsync("order-cancellation", """{"orderNo":"ORD-1","amount":50000,"allowedByContract":true,"cancellationReason":"客户项目取消"}""", "ORD-1");
        await H.RunDueJobsAsync();

        var row = await OrderAsync();
        Assert.Equal((OrderVocabulary.Cancelled, Tuesday10.AddHours(2), "客户项目取消"), (row.Status, row.CancelledAt, row.CancellationReason));
        Assert.Single(await TimelineAsync(), e => e.Kind == OrderEventKinds.Cancelled);
        Assert.Equal(InstanceStatus.Completed, (await H.InstanceAsync(order.Key)).Status);
        Assert.Contains("Task_Execute", (await H.OpenTasksAsync(cancellation.Key)).Select(t => t.ElementId));
    }

    [Fact]
    public async Task Cancel_AlreadyCancelled_KeepsTheFirstCancellation()
    {
        await using (var db = Db.CreateContext())
        {
            var row = await db.Orders.SingleAsync();
            row.Status = OrderVocabulary.Cancelled;
            row.CancelledAt = Tuesday10;
            await db.SaveChangesAsync();
        }

        _clock.Advance(TimeSpan.FromDays(1));
        var handler = new CancelOrderHandler(_clock);
        var job = new JobRecord { Key = 780, Type = CancelOrderHandler.TaskType, ElementId = "Task_CancelOrder" };
        await using (var uow = await H.Runtime.Store.BeginAsync())
        {
            await handler.HandleAsync(new TaskContext { Job = job, Variables = new JsonObject { ["orderNo"] = "ORD-1", ["reason"] = "again" }, UnitOfWork = uow }, CancellationToken.None);
            await uow.CommitAsync();
        }

        Assert.Equal(Tuesday10, (await OrderAsync()).CancelledAt);
        Assert.Empty(await TimelineAsync());
    }

    [Theory]
    [InlineData("2: 80", 2, 80)]
    [InlineData("1=120；2：60", 2, 60)]
    [InlineData("[110, 70]", 1, 110)]
    public void ParseQuantities_FormText_QuantityPerLine(string text, int line, decimal expected)
    {
        var node = text.StartsWith('[') ? JsonNode.Parse(text) : JsonValue.Create(text);

        Assert.Equal(expected, ApplyOrderChangeHandler.ParseQuantities(node)[line]);
    }

    [Fact]
    public void ParseQuantities_NotAPositiveNumber_Refused() =>
        Assert.Throws<FormatException>(() => ApplyOrderChangeHandler.ParseQuantities(JsonValue.Create("2: -5")));
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresOrderTaskHandlerTests(PostgresCluster cluster) : OrderTaskHandlerTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreatePostgresAsync(cluster);
}

public sealed class SqliteOrderTaskHandlerTests : OrderTaskHandlerTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateSqliteAsync();
}
