using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Orders;
using WorkflowOrders.Web.Features.Tracking;

namespace WorkflowOrders.Web.Features.Reports;

/// <summary>A share: <see cref="Hits"/> of <see cref="Total"/>; <see cref="Percent"/> is null when nothing counts.</summary>
public sealed record Ratio(string Label, int Hits, int Total)
{
    public decimal? Percent => Total == 0 ? null : Math.Round(100m * Hits / Total, 1);
}

/// <summary>Nonconformance figures of one product or supplier: reports, pieces checked and failed, pass rate (%).</summary>
public sealed record NonconformanceGroup(string Label, int Count, decimal Checked, decimal Failed)
{
    public decimal? PassRate => Checked <= 0 ? null : Math.Round(100m * (Checked - Failed) / Checked, 1);
}

/// <summary>Everything the reports page shows for one period.</summary>
public sealed record ReportSet(
    DateOnly From,
    DateOnly To,
    Ratio OnTimeDelivery,
    Ratio ReviewsInTime,
    int ChangesFinished,
    decimal? AverageChangeWorkingDays,
    IReadOnlyList<Ratio> PlanByWeek,
    IReadOnlyList<Ratio> PlanByMonth,
    IReadOnlyList<NonconformanceGroup> NonconformanceByProduct,
    IReadOnlyList<NonconformanceGroup> NonconformanceBySupplier);

/// <summary>
/// The figures of the reports page (procedures.md §7), all for a period of days [From, To] in the company calendar's zone:
/// on-time delivery = shipped or closed orders whose shipping day (their "shipped" timeline entry, else the close) lies in
/// the period and on or before the delivery date ÷ all of them; reviews in time = completed review tasks (Review_*) finished
/// by their due date ÷ all completed in the period; change handling = end − start of finished order-change instances in
/// working days of the calendar; plan achievement = production tasks (Task_Production, due 17:30 on the planned
/// completion date) due in the period and completed by then ÷ all due in it (week = ISO week of the due date);
/// nonconformance = reports started in the period by item (product) and supplier, pass rate = (checked − failed) ÷ checked.
/// </summary>
public sealed class ReportQueries(IDbContextFactory<WorkflowDbContext> contexts, ICalendarProvider calendars, TimeProvider time)
{
    /// <summary>The text a group shows when the report left its product or supplier empty.</summary>
    public const string Unspecified = "";

    public DateOnly Today()
    {
        var zone = Calendar()?.TimeZone ?? TimeZoneInfo.FindSystemTimeZoneById(People.AppUser.DefaultTimeZone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
    }

    private IWorkingCalendar? Calendar() => calendars.Find(TrackingBoard.CalendarId);

    public async Task<ReportSet> ComputeAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var calendar = Calendar();
        var zone = calendar?.TimeZone ?? TimeZoneInfo.FindSystemTimeZoneById(People.AppUser.DefaultTimeZone);
        var start = Instant(from, zone);
        var end = Instant(to.AddDays(1), zone);
        DateOnly Day(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);

        // Delivery: the shipping day of every shipped or closed order.
        var finished = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderVocabulary.Shipped || o.Status == OrderVocabulary.Closed)
            .Select(o => new { o.Id, o.DeliveryDate, o.ClosedAt }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = finished.Select(o => o.Id).ToList();
        var shippedEvents = await db.OrderEvents.AsNoTracking()
            .Where(e => ids.Contains(e.OrderId) && e.Status == OrderVocabulary.Shipped)
            .Select(e => new { e.OrderId, e.At }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var shipped = shippedEvents.GroupBy(e => e.OrderId).ToDictionary(g => g.Key, g => g.Min(e => e.At));
        var deliveries = finished
            .Select(o => (o.DeliveryDate, At: shipped.TryGetValue(o.Id, out var at) ? at : o.ClosedAt))
            .Where(o => o.At is { } at && at >= start && at < end).ToList();
        var onTime = new Ratio("", deliveries.Count(o => Day(o.At!.Value) <= o.DeliveryDate), deliveries.Count);

        // Reviews of orders and changes completed in the period.
        var reviews = await db.UserTasks.AsNoTracking()
            .Where(t => t.State == UserTaskState.Completed && t.ElementId.StartsWith("Review_") && t.DueDate != null && t.CompletedAt >= start && t.CompletedAt < end)
            .Select(t => new { t.CompletedAt, t.DueDate }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var reviewsInTime = new Ratio("", reviews.Count(t => t.CompletedAt <= t.DueDate), reviews.Count);

        // Changes that ended (completed, not terminated) in the period.
        var changes = await db.ProcessInstances.AsNoTracking()
            .Where(i => i.BpmnProcessId == "order-change" && i.State == ProcessInstanceState.Completed && i.EndedAt >= start && i.EndedAt < end)
            .Select(i => new { i.StartedAt, i.EndedAt }).ToListAsync(cancellationToken).ConfigureAwait(false);
        decimal? averageChange = changes.Count == 0 ? null
            : Math.Round(changes.Average(i => WorkingDays(calendar, i.StartedAt, i.EndedAt!.Value)), 2);

        // Plan achievement: production tasks due in the period (only those already due count).
        var now = time.GetUtcNow();
        var dueUntil = now < end ? now : end;
        var production = await db.UserTasks.AsNoTracking()
            .Where(t => t.BpmnProcessId == "order-fulfilment" && t.ElementId == "Task_Production" && t.State != UserTaskState.Canceled && t.DueDate >= start && t.DueDate < dueUntil)
            .Select(t => new { t.DueDate, t.CompletedAt, t.State }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var due = production.Select(t => (Day: Day(t.DueDate!.Value), Met: t.State == UserTaskState.Completed && t.CompletedAt <= t.DueDate)).ToList();
        var byWeek = due.GroupBy(t => WeekLabel(t.Day)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Ratio(g.Key, g.Count(t => t.Met), g.Count())).ToList();
        var byMonth = due.GroupBy(t => t.Day.ToString("yyyy-MM", CultureInfo.InvariantCulture)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Ratio(g.Key, g.Count(t => t.Met), g.Count())).ToList();

        // Nonconformance reports started in the period; the figures are the instance variables.
        var reports = await db.ProcessInstances.AsNoTracking()
            .Where(i => i.BpmnProcessId == "nonconformance" && i.StartedAt >= start && i.StartedAt < end)
            .Select(i => i.StateJson).ToListAsync(cancellationToken).ConfigureAwait(false);
        var facts = reports.Select(ReadNonconformance).ToList();

        return new ReportSet(from, to, onTime, reviewsInTime, changes.Count, averageChange, byWeek, byMonth,
            Group(facts, f => f.Item), Group(facts, f => f.Supplier));
    }

    /// <summary>ISO week of the day as <c>2026-W11</c> (sorts as text).</summary>
    public static string WeekLabel(DateOnly day) =>
        string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)):00}");

    private static decimal WorkingDays(IWorkingCalendar? calendar, DateTimeOffset start, DateTimeOffset end) =>
        calendar is null || calendar.WorkingDayLength <= TimeSpan.Zero
            ? (decimal)(end - start).TotalDays
            : (decimal)(calendar.WorkingTimeBetween(start, end) / calendar.WorkingDayLength);

    private static DateTimeOffset Instant(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static List<NonconformanceGroup> Group(List<NonconformanceFacts> facts, Func<NonconformanceFacts, string> key) =>
        facts.GroupBy(key, StringComparer.Ordinal)
            .Select(g => new NonconformanceGroup(g.Key, g.Count(), g.Sum(f => f.Checked), g.Sum(f => f.Failed)))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Label, StringComparer.Ordinal).ToList();

    private sealed record NonconformanceFacts(string Item, string Supplier, decimal Checked, decimal Failed);

    private static NonconformanceFacts ReadNonconformance(string stateJson)
    {
        var variables = JsonNode.Parse(stateJson)?["variables"] as JsonObject;
        return new NonconformanceFacts(Text(variables, "item"), Text(variables, "supplier"), Number(variables, "quantityChecked"), Number(variables, "quantityFailed"));
    }

    private static string Text(JsonObject? variables, string name) =>
        variables?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text.Trim() : Unspecified;

    private static decimal Number(JsonObject? variables, string name)
    {
        if (variables?[name] is not JsonValue value)
        {
            return 0;
        }

        if (value.TryGetValue<decimal>(out var number))
        {
            return number;
        }

        return value.TryGetValue<string>(out var text) && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
    }
}
