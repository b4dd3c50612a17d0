using System.Globalization;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Orders;
using WorkflowOrders.Testing;
using WorkflowOrders.Web.Features.Reports;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Reports;

/// <summary>
/// The report figures on a fresh SQLite database with seeded orders, tasks and instances; the clock stands at
/// 2026-03-31 10:00 China time and the period is March 2026.
/// </summary>
public sealed class ReportQueriesTests : IDisposable
{
    private static readonly DateOnly From = new(2026, 3, 1);
    private static readonly DateOnly To = new(2026, 3, 31);

    private readonly string _path = Path.Combine(Path.GetTempPath(), "wo-reports-" + Guid.NewGuid().ToString("N") + ".db");
    private readonly WorkflowDbContextFactory _factory;
    private readonly ReportQueries _queries;
    private long _key = 1000;

    public ReportQueriesTests()
    {
        _factory = new WorkflowDbContextFactory(PersistenceOptions.UseSqlite("Data Source=" + _path));
        _factory.MigrateAsync().GetAwaiter().GetResult();
        var calendars = CalendarCatalog.LoadDirectory(Path.Combine(Repository.Root, "workflows", "calendars"));
        _queries = new ReportQueries(_factory, calendars, FakeTimeProvider.At("2026-03-31T10:00:00+08:00"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private Microsoft.EntityFrameworkCore.IDbContextFactory<WorkflowDbContext> Contexts => _factory;

    private static DateTimeOffset At(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);


    private async Task OrderAsync(string orderNo, string status, string delivery, string? shippedAt, string? closedAt = null)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var order = new OrderRow
        {
            OrderNo = orderNo, CustomerName = "华东机械", Currency = "CNY", PaymentTerms = "tt-deposit", OrderType = "standard",
            InspectionMode = "company", Status = status, DeliveryDate = DateOnly.Parse(delivery, CultureInfo.InvariantCulture),
            CreatedAt = At("2026-01-05T09:00:00+08:00"), ClosedAt = closedAt is null ? null : At(closedAt),
        };
        db.Orders.Add(order);
        await db.SaveChangesAsync();
        if (shippedAt is not null)
        {
            db.OrderEvents.Add(new OrderEventRow { OrderId = order.Id, At = At(shippedAt), Kind = "status", Status = OrderVocabulary.Shipped });
            await db.SaveChangesAsync();
        }
    }

    private async Task TaskAsync(string process, string element, string? due, string? completed, UserTaskState? state = null)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var key = ++_key;
        db.UserTasks.Add(new UserTaskRow
        {
            Key = key, InstanceKey = key, ElementInstanceKey = key, ElementId = element, BpmnProcessId = process, BusinessKey = "R-1",
            State = state ?? (completed is null ? UserTaskState.Created : UserTaskState.Completed),
            DueDate = due is null ? null : At(due), CompletedAt = completed is null ? null : At(completed), CreatedAt = At("2026-03-01T09:00:00+08:00"),
        });
        await db.SaveChangesAsync();
    }

    private async Task InstanceAsync(string process, string started, string? ended, string variables = "{}", ProcessInstanceState state = ProcessInstanceState.Completed)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        db.ProcessInstances.Add(new ProcessInstanceRow
        {
            Key = ++_key, BpmnProcessId = process, BusinessKey = "R-1", State = ended is null ? ProcessInstanceState.Active : state,
            StartedAt = At(started), EndedAt = ended is null ? null : At(ended), StateJson = "{\"variables\":" + variables + "}",
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task OnTimeDelivery_ShippedAndClosedOrders_CountsThoseShippedByTheDeliveryDate()
    {
        await OrderAsync("R-1", OrderVocabulary.Shipped, "2026-03-10", "2026-03-10T16:00:00+08:00");
        await OrderAsync("R-2", OrderVocabulary.Closed, "2026-03-10", "2026-03-11T09:00:00+08:00", "2026-03-20T09:00:00+08:00");
        await OrderAsync("R-3", OrderVocabulary.Closed, "2026-03-25", null, "2026-03-24T09:00:00+08:00"); // no shipped entry: the close counts
        await OrderAsync("R-4", OrderVocabulary.Shipped, "2026-02-10", "2026-02-09T09:00:00+08:00"); // shipped before the period
        await OrderAsync("R-5", OrderVocabulary.InProduction, "2026-03-05", null);

        var report = await _queries.ComputeAsync(From, To);

        Assert.Equal((2, 3), (report.OnTimeDelivery.Hits, report.OnTimeDelivery.Total));
        Assert.Equal(66.7m, report.OnTimeDelivery.Percent);
    }

    [Fact]
    public async Task ReviewsInTime_CompletedReviewTasks_CountsThoseDoneByTheirDueDate()
    {
        await TaskAsync("order-fulfilment", "Review_Sales", "2026-03-03T17:30:00+08:00", "2026-03-03T15:00:00+08:00");
        await TaskAsync("order-fulfilment", "Review_Finance", "2026-03-03T17:30:00+08:00", "2026-03-04T09:00:00+08:00");
        await TaskAsync("order-change", "Review_Minor", "2026-03-12T17:30:00+08:00", "2026-03-12T10:00:00+08:00");
        await TaskAsync("order-change", "Review_Planning", "2026-03-12T17:30:00+08:00", "2026-03-12T11:00:00+08:00");
        await TaskAsync("order-fulfilment", "Review_Quality", "2026-03-30T17:30:00+08:00", null); // still open
        await TaskAsync("order-fulfilment", "Task_ProductionOrder", "2026-03-03T17:30:00+08:00", "2026-03-09T09:00:00+08:00"); // not a review

        var report = await _queries.ComputeAsync(From, To);

        Assert.Equal((3, 4), (report.ReviewsInTime.Hits, report.ReviewsInTime.Total));
        Assert.Equal(75.0m, report.ReviewsInTime.Percent);
    }

    [Fact]
    public async Task AverageChangeHandling_FinishedChanges_AveragesWorkingDaysOfTheCalendar()
    {
        // Tue 08:30 → Thu 08:30: 2 working days; Fri 13:00 → Mon 13:00 over the weekend: 1 working day.
        await InstanceAsync("order-change", "2026-03-10T08:30:00+08:00", "2026-03-12T08:30:00+08:00");
        await InstanceAsync("order-change", "2026-03-13T13:00:00+08:00", "2026-03-16T13:00:00+08:00");
        await InstanceAsync("order-change", "2026-03-20T09:00:00+08:00", "2026-03-27T09:00:00+08:00", state: ProcessInstanceState.Terminated);
        await InstanceAsync("order-change", "2026-03-25T09:00:00+08:00", null);

        var report = await _queries.ComputeAsync(From, To);

        Assert.Equal(2, report.ChangesFinished);
        Assert.Equal(1.5m, report.AverageChangeWorkingDays);
    }

    [Fact]
    public async Task PlanAchievement_ProductionTasksDue_GroupsByIsoWeekAndMonth()
    {
        await TaskAsync("order-fulfilment", "Task_Production", "2026-03-10T17:30:00+08:00", "2026-03-10T12:00:00+08:00"); // W11 met
        await TaskAsync("order-fulfilment", "Task_Production", "2026-03-12T17:30:00+08:00", "2026-03-13T12:00:00+08:00"); // W11 late
        await TaskAsync("order-fulfilment", "Task_Production", "2026-03-20T17:30:00+08:00", null); // W12 open past due
        await TaskAsync("order-fulfilment", "Task_Production", "2026-03-31T17:30:00+08:00", null); // not yet due
        await TaskAsync("order-fulfilment", "Task_Production", "2026-03-18T17:30:00+08:00", null, UserTaskState.Canceled);

        var report = await _queries.ComputeAsync(From, To);

        Assert.Equal(
            [("2026-W11", 1, 2), ("2026-W12", 0, 1)],
            report.PlanByWeek.Select(r => (r.Label, r.Hits, r.Total)));
        var month = Assert.Single(report.PlanByMonth);
        Assert.Equal(("2026-03", 1, 3), (month.Label, month.Hits, month.Total));
        Assert.Equal(33.3m, month.Percent);
    }

    [Fact]
    public async Task Nonconformance_ReportsInThePeriod_CountsAndPassRateByProductAndSupplier()
    {
        await InstanceAsync("nonconformance", "2026-03-02T10:00:00+08:00", null, """{"item":"阀体","supplier":"宁波铸造","quantityChecked":200,"quantityFailed":10}""");
        await InstanceAsync("nonconformance", "2026-03-09T10:00:00+08:00", "2026-03-10T10:00:00+08:00", """{"item":"阀体","supplier":"苏州精密","quantityChecked":"100","quantityFailed":"30"}""");
        await InstanceAsync("nonconformance", "2026-03-16T10:00:00+08:00", null, """{"item":"法兰","quantityChecked":50,"quantityFailed":0}""");
        await InstanceAsync("nonconformance", "2026-02-16T10:00:00+08:00", null, """{"item":"法兰","supplier":"宁波铸造","quantityChecked":10,"quantityFailed":10}""");

        var report = await _queries.ComputeAsync(From, To);

        Assert.Equal(
            [("阀体", 2, 300m, 40m, (decimal?)86.7m), ("法兰", 1, 50m, 0m, 100.0m)],
            report.NonconformanceByProduct.Select(g => (g.Label, g.Count, g.Checked, g.Failed, g.PassRate)));
        Assert.Equal(
            [("", 1, (decimal?)100.0m), ("宁波铸造", 1, 95.0m), ("苏州精密", 1, 70.0m)],
            report.NonconformanceBySupplier.Select(g => (g.Label, g.Count, g.PassRate)));
    }

    [Fact]
    public async Task Compute_EmptyDatabase_NoFiguresAndNoGroups()
    {
        var report = await _queries.ComputeAsync(From, To);

        Assert.Null(report.OnTimeDelivery.Percent);
        Assert.Null(report.ReviewsInTime.Percent);
        Assert.Null(report.AverageChangeWorkingDays);
        Assert.Empty(report.PlanByWeek);
        Assert.Empty(report.PlanByMonth);
        Assert.Empty(report.NonconformanceByProduct);
        Assert.Empty(report.NonconformanceBySupplier);
    }
}
