using Microsoft.AspNetCore.Mvc.RazorPages;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Ports;

namespace WorkflowOrders.Web.Features.Admin;

/// <summary>
/// The working-time calendars of workflows/calendars: zone, work week, hours, the years with holiday data, and the
/// "no holiday data for &lt;year&gt;" warning for this year and the next. Read-only: editing is a later step.
/// </summary>
public sealed class CalendarsModel(ICalendarProvider calendars, TimeProvider time) : PageModel
{
    public IReadOnlyList<CalendarView> Calendars { get; private set; } = [];

    public void OnGet()
    {
        var culture = System.Globalization.CultureInfo.CurrentUICulture.Name;
        var all = calendars is CalendarCatalog catalog ? catalog.All : [];
        Calendars = [.. all.OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => Describe(c, culture))];
    }

    private CalendarView Describe(IWorkingCalendar calendar, string culture)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), calendar.TimeZone).DateTime);
        var first = new DateOnly(today.Year, 1, 1);
        var last = new DateOnly(today.Year + 1, 12, 31);
        var missing = calendar.YearsWithoutHolidayData(first, last);
        if (calendar is not WorkingCalendar working)
        {
            return new CalendarView(calendar.Id, calendar.Id, calendar.TimeZone.Id, "", "", [], missing, "");
        }

        var definition = working.Definition;
        return new CalendarView(
            calendar.Id,
            definition.Name.For(culture),
            definition.TimeZone.Id,
            string.Join(", ", definition.WorkWeek.Select(d => System.Globalization.CultureInfo.CurrentUICulture.DateTimeFormat.GetAbbreviatedDayName(d))),
            string.Join(", ", definition.WorkingHours.Select(h => h.ToString())),
            definition.CoveredYears,
            missing,
            definition.DescribeMissingHolidayData(missing, culture));
    }

    public sealed record CalendarView(
        string Id,
        string Name,
        string TimeZone,
        string WorkWeek,
        string WorkingHours,
        IReadOnlyList<int> CoveredYears,
        IReadOnlyList<int> MissingYears,
        string Warning);
}
