namespace WorkflowOrders.Engine.Calendar;

/// <summary>
/// Working-time arithmetic of one company calendar (work week, working hours, zone, holidays and make-up days).
/// All instants are absolute (<see cref="DateTimeOffset"/>); the calendar converts to its own zone internally.
/// Rule (architecture.md §2): N working days = N × the working-day length of working time, counted from the first
/// working instant at or after the start.
/// </summary>
public interface IWorkingCalendar
{
    /// <summary>Stable id of the calendar, e.g. "cn".</summary>
    string Id { get; }

    /// <summary>The zone the working hours are expressed in (e.g. Asia/Shanghai).</summary>
    TimeZoneInfo TimeZone { get; }

    /// <summary>Length of one working day (e.g. 9 h for 08:30–17:30).</summary>
    TimeSpan WorkingDayLength { get; }

    /// <summary>True when the calendar day (in the calendar's zone) is a working day (work week, holidays, make-up days).</summary>
    bool IsWorkingDay(DateOnly day);

    /// <summary>Adds working time (negative goes back); the result is an instant inside working hours.</summary>
    DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan workingTime);

    /// <summary><paramref name="days"/> × <see cref="WorkingDayLength"/> of working time (fractions allowed, negative goes back).</summary>
    DateTimeOffset AddWorkingDays(DateTimeOffset start, decimal days);

    /// <summary><paramref name="hours"/> hours of working time (fractions allowed, negative goes back).</summary>
    DateTimeOffset AddWorkingHours(DateTimeOffset start, decimal hours);

    /// <summary>The day itself when it is a working day, else the nearest earlier working day.</summary>
    DateOnly WorkingDayOnOrBefore(DateOnly day);

    /// <summary>The day itself when it is a working day, else the nearest later working day.</summary>
    DateOnly WorkingDayOnOrAfter(DateOnly day);

    /// <summary>Working time between two instants (negative when <paramref name="end"/> is before <paramref name="start"/>).</summary>
    TimeSpan WorkingTimeBetween(DateTimeOffset start, DateTimeOffset end);

    /// <summary>
    /// Years in [first, last] for which the calendar has no holiday data; for those the plain work week applies.
    /// Callers report the gap (administrator warning, audit entry) — it is never an error.
    /// </summary>
    IReadOnlyList<int> YearsWithoutHolidayData(DateOnly first, DateOnly last);
}
