using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Orders;
using WorkflowOrders.Web.Features.Orders;

namespace WorkflowOrders.Web.Features.Tracking;

/// <summary>One row of the order tracking board (订单跟踪台账, procedures.md §7).</summary>
public sealed record TrackingRow(
    OrderRow Order,
    IReadOnlyList<UserTaskRow> OpenTasks,
    string Responsible,
    int DelayDays,
    int? CountdownWorkingDays,
    bool OverdueStep,
    bool OpenNonconformance,
    bool PendingChange,
    IReadOnlyList<StageDates> Stages)
{
    public bool HasException => OverdueStep || OpenNonconformance || PendingChange;

    public bool IsComplete => OrderVocabulary.IsFinal(Order.Status) || Order.Status == OrderVocabulary.Shipped;
}

/// <summary>
/// Planned (the stage's latest deadline) and actual (when its last task was completed; null while one is open) date
/// of one stage of the order procedure. Late: finished after the plan, or still open past it.
/// </summary>
public sealed record StageDates(string Key, DateTimeOffset? Planned, DateTimeOffset? Actual)
{
    public bool IsLate(DateTimeOffset now) => Planned is { } planned && (Actual ?? now) > planned;
}

/// <summary>Filters of the board; bound from the query string.</summary>
public sealed class TrackingFilter
{
    public string? Status { get; set; }
    public string? Customer { get; set; }
    public string? Merchandiser { get; set; }

    /// <summary>Only orders with an exception (overdue step, open nonconformance, pending change).</summary>
    public bool ExceptionsOnly { get; set; }

    /// <summary>Closed, declined and cancelled orders are left out unless asked for.</summary>
    public bool IncludeFinished { get; set; }
}

/// <summary>
/// Builds the board from the orders and what their procedures wait for: current stage = the open tasks of every
/// procedure of the order; responsible = their assignees (else candidate roles), else the merchandiser; delay days =
/// calendar days since the most overdue open task's deadline, or since the delivery date when the order is not yet
/// shipped; countdown = working days of the company calendar from today to the delivery date (negative when past).
/// </summary>
public sealed class TrackingBoard(IDbContextFactory<WorkflowDbContext> contexts, ICalendarProvider calendars, TimeProvider time)
{
    /// <summary>The company calendar deadlines are counted in (workflows/calendars/cn.json).</summary>
    public const string CalendarId = "cn";

    /// <summary>The stages of order-fulfilment the board shows as columns: resource key suffix and the task ids that make it up.</summary>
    public static IReadOnlyList<(string Key, string[] Elements)> StageColumns { get; } =
    [
        ("review", ["Review_Sales", "Review_Planning", "Review_Purchasing", "Review_Quality", "Review_Finance", "Review_Technical"]),
        ("approval", ["Approve_Manager", "Approve_Director", "Approve_Gm"]),
        ("production-order", ["Task_ProductionOrder"]),
        ("payment", ["Pay_Deposit", "Pay_LetterOfCredit", "Pay_OpenAccount"]),
        ("plan", ["Task_ProductionPlan", "Task_PlanConfirm"]),
        ("production", ["Task_Production"]),
        ("inspection", ["Task_ArrangeInspection", "Task_FinalInspection"]),
        ("shipping", ["Task_ShippingInstruction", "Task_Ship"]),
        ("close", ["Task_CustomerAcceptance", "Task_Close"]),
    ];

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<IReadOnlyList<TrackingRow>> RowsAsync(TrackingFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = db.Orders.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Status))
        {
            query = query.Where(o => o.Status == filter.Status);
        }
        else if (!filter.IncludeFinished)
        {
            query = query.Where(o => o.Status != OrderVocabulary.Closed && o.Status != OrderVocabulary.Declined && o.Status != OrderVocabulary.Cancelled);
        }

        if (!string.IsNullOrWhiteSpace(filter.Customer))
        {
            var customer = filter.Customer.Trim();
            query = query.Where(o => o.CustomerName.Contains(customer) || o.OrderNo.Contains(customer));
        }

        if (!string.IsNullOrWhiteSpace(filter.Merchandiser))
        {
            query = query.Where(o => o.Merchandiser == filter.Merchandiser.Trim());
        }

        var orders = await query.OrderBy(o => o.DeliveryDate).ThenBy(o => o.OrderNo).Take(1000).ToListAsync(cancellationToken).ConfigureAwait(false);
        var numbers = orders.Select(o => o.OrderNo).ToList();
        var allTasks = await db.UserTasks.AsNoTracking()
            .Where(t => t.State != UserTaskState.Canceled && t.BusinessKey != null && numbers.Contains(t.BusinessKey))
            .OrderBy(t => t.Key).ToListAsync(cancellationToken).ConfigureAwait(false);
        var tasks = allTasks.Where(t => t.State == UserTaskState.Created).ToList();
        var running = await db.ProcessInstances.AsNoTracking()
            .Where(i => i.State == ProcessInstanceState.Active && i.BusinessKey != null && numbers.Contains(i.BusinessKey)
                && (i.BpmnProcessId == "nonconformance" || i.BpmnProcessId == "order-change"))
            .Select(i => new { i.BusinessKey, i.BpmnProcessId }).ToListAsync(cancellationToken).ConfigureAwait(false);

        var now = time.GetUtcNow();
        var calendar = calendars.Find(CalendarId);
        var today = Today(now, calendar);
        var rows = new List<TrackingRow>();
        foreach (var order in orders)
        {
            var open = tasks.Where(t => t.BusinessKey == order.OrderNo).ToList();
            var overdue = open.Where(t => t.DueDate < now).ToList();
            var delay = overdue.Count == 0 ? 0 : overdue.Max(t => (int)Math.Floor((now - t.DueDate!.Value).TotalDays));
            var complete = OrderVocabulary.IsFinal(order.Status) || order.Status == OrderVocabulary.Shipped;
            if (!complete && order.DeliveryDate < today)
            {
                delay = Math.Max(delay, today.DayNumber - order.DeliveryDate.DayNumber);
            }

            var row = new TrackingRow(
                order,
                open,
                Responsible(open, order),
                delay,
                complete ? null : WorkingDaysUntil(calendar, today, order.DeliveryDate),
                overdue.Count > 0,
                running.Any(i => i.BusinessKey == order.OrderNo && i.BpmnProcessId == "nonconformance"),
                running.Any(i => i.BusinessKey == order.OrderNo && i.BpmnProcessId == "order-change"),
                Stages(allTasks.Where(t => t.BusinessKey == order.OrderNo && t.BpmnProcessId == "order-fulfilment").ToList()));
            if (!filter.ExceptionsOnly || row.HasException)
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    private static List<StageDates> Stages(List<UserTaskRow> tasks)
    {
        var stages = new List<StageDates>();
        foreach (var (key, elements) in StageColumns)
        {
            var stage = tasks.Where(t => elements.Contains(t.ElementId)).ToList();
            var planned = stage.Where(t => t.DueDate is not null).Select(t => t.DueDate).DefaultIfEmpty().Max();
            var actual = stage.Count > 0 && stage.All(t => t.State == UserTaskState.Completed) ? stage.Max(t => t.CompletedAt) : null;
            stages.Add(new StageDates(key, planned, actual));
        }

        return stages;
    }

    private static DateOnly Today(DateTimeOffset now, IWorkingCalendar? calendar) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, calendar?.TimeZone ?? TimeZoneInfo.FindSystemTimeZoneById(People.AppUser.DefaultTimeZone)).DateTime);

    /// <summary>
    /// Working days after today up to and including the delivery date (the delivery day counts, today does not);
    /// negative: working days the date lies behind. Without the calendar every day counts.
    /// </summary>
    public static int WorkingDaysUntil(IWorkingCalendar? calendar, DateOnly today, DateOnly delivery)
    {
        var (from, to, sign) = delivery >= today ? (today, delivery, 1) : (delivery, today, -1);
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            if (calendar is null || calendar.IsWorkingDay(day))
            {
                count++;
            }
        }

        return sign * count;
    }

    private static string Responsible(IReadOnlyList<UserTaskRow> open, OrderRow order)
    {
        var people = open.Select(t => t.Assignee ?? string.Join("/", DetailModel.Candidates(t))).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return people.Count > 0 ? string.Join(", ", people) : order.Merchandiser ?? "";
    }
}
