using System.Globalization;

namespace WorkflowOrders.Engine.Feel;

internal static partial class FeelBuiltins
{
    private static void RegisterTemporal()
    {
        Add("date", "from|year, month, day", 1, static (ev, a) =>
        {
            if (a.Length == 3)
            {
                if (!Integer(a[0], out var y) || !Integer(a[1], out var m) || !Integer(a[2], out var d)) return Bad(ev, "date", a);
                if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > DateTime.DaysInMonth(y, m)) return Warn(ev, $"date: {y}-{m}-{d} is not a valid date");
                return new FeelDate(new DateOnly(y, m, d));
            }
            if (a.Length != 1) return Bad(ev, "date", a);
            return a[0] switch
            {
                FeelDate => a[0],
                FeelDateTime dt => new FeelDate(DateOnly.FromDateTime(dt.Local)),
                FeelString s => (FeelValue?)FeelTemporal.ParseDate(s.Value) ?? Warn(ev, $"can't parse \"{s.Value}\" as a date"),
                _ => Bad(ev, "date", a),
            };
        });
        Add("time", "from|hour, minute, second, offset", 1, static (ev, a) =>
        {
            if (a.Length >= 3)
            {
                if (!Integer(a[0], out var h) || !Integer(a[1], out var m) || a[2] is not FeelNumber s || h is < 0 or > 23 || m is < 0 or > 59 || s.Value is < 0 or >= 60)
                {
                    return Bad(ev, "time", a);
                }
                var local = new TimeOnly(h, m).Add(TimeSpan.FromTicks((long)(s.Value * TimeSpan.TicksPerSecond)));
                if (a.Length == 4 && a[3] is FeelDaysTimeDuration offset) return new FeelTime(local, offset.Value, null);
                if (a.Length == 4 && a[3] is not FeelNull) return Bad(ev, "time", a);
                return new FeelTime(local, null, null);
            }
            if (a.Length != 1) return Bad(ev, "time", a);
            return a[0] switch
            {
                FeelTime => a[0],
                FeelDateTime dt => new FeelTime(TimeOnly.FromDateTime(dt.Local), dt.Offset, dt.Zone),
                FeelDate => new FeelTime(TimeOnly.MinValue, TimeSpan.Zero, null),
                FeelString s => (FeelValue?)FeelTemporal.ParseTime(s.Value) ?? Warn(ev, $"can't parse \"{s.Value}\" as a time"),
                _ => Bad(ev, "time", a),
            };
        });
        Add("date and time", "from|date, time", 1, static (ev, a) =>
        {
            if (a.Length == 2)
            {
                var day = a[0] switch
                {
                    FeelDate d => d.Value,
                    FeelDateTime dt => DateOnly.FromDateTime(dt.Local),
                    _ => (DateOnly?)null,
                };
                if (day is null || a[1] is not FeelTime t) return Bad(ev, "date and time", a);
                var local = day.Value.ToDateTime(t.Local);
                if (t.Zone is not null && FeelTemporal.FindZone(t.Zone) is { } zone) return FeelTemporal.Zoned(local, t.Zone, zone);
                return new FeelDateTime(local, t.Offset, null);
            }
            return a[0] switch
            {
                FeelDateTime => a[0],
                FeelDate d => new FeelDateTime(d.Value.ToDateTime(TimeOnly.MinValue), null, null),
                FeelString s => (FeelValue?)FeelTemporal.ParseDateTime(s.Value) ?? Warn(ev, $"can't parse \"{s.Value}\" as a date and time"),
                _ => Bad(ev, "date and time", a),
            };
        });
        Add("duration", "from", 1, static (ev, a) => a[0] switch
        {
            FeelDaysTimeDuration or FeelYearsMonthsDuration => a[0],
            FeelString s => FeelTemporal.ParseDuration(s.Value) ?? Warn(ev, $"can't parse \"{s.Value}\" as a duration"),
            _ => Bad(ev, "duration", a),
        });
        Add("years and months duration", "from, to", 2, static (ev, a) =>
        {
            var from = AsLocalDate(a[0]);
            var to = AsLocalDate(a[1]);
            if (from is null || to is null) return Bad(ev, "years and months duration", a);
            return new FeelYearsMonthsDuration(MonthsBetween(from.Value, to.Value));
        });
        Add("now", "", 0, static (ev, _) => Now(ev));
        Add("today", "", 0, static (ev, _) => new FeelDate(DateOnly.FromDateTime(Now(ev).Local)));
        Add("day of week", "date", 1, static (ev, a) =>
            AsLocalDate(a[0]) is { } d ? new FeelString(d.DayOfWeek.ToString()) : Bad(ev, "day of week", a));
        Add("day of year", "date", 1, static (ev, a) =>
            AsLocalDate(a[0]) is { } d ? new FeelNumber(d.DayOfYear) : Bad(ev, "day of year", a));
        Add("month of year", "date", 1, static (ev, a) =>
            AsLocalDate(a[0]) is { } d ? new FeelString(CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(d.Month)) : Bad(ev, "month of year", a));
        Add("week of year", "date", 1, static (ev, a) =>
            AsLocalDate(a[0]) is { } d ? new FeelNumber(ISOWeek.GetWeekOfYear(d.ToDateTime(TimeOnly.MinValue))) : Bad(ev, "week of year", a));
        Add("last day of month", "date", 1, static (ev, a) =>
            AsLocalDate(a[0]) is { } d ? new FeelDate(new DateOnly(d.Year, d.Month, DateTime.DaysInMonth(d.Year, d.Month))) : Bad(ev, "last day of month", a));
    }

    private static DateOnly? AsLocalDate(FeelValue v) => v switch
    {
        FeelDate d => d.Value,
        FeelDateTime dt => DateOnly.FromDateTime(dt.Local),
        _ => null,
    };

    private static int MonthsBetween(DateOnly from, DateOnly to)
    {
        var months = ((to.Year - from.Year) * 12) + to.Month - from.Month;
        // Only whole months count: 01-31 to 02-28 is not yet a month.
        if (months > 0 && to.Day < from.Day) months--;
        if (months < 0 && to.Day > from.Day) months++;
        return months;
    }

    /// <summary>now(): the clock's instant, shown in the calendar's zone when one is bound, else in UTC.</summary>
    private static FeelDateTime Now(FeelEvaluator ev)
    {
        var now = ev.Environment.Time.GetUtcNow();
        if (ev.Environment.Calendar is { } calendar) now = TimeZoneInfo.ConvertTime(now, calendar.TimeZone);
        return new FeelDateTime(now.DateTime, now.Offset, null);
    }

    // ---------- working time (the instance's calendar) ----------

    private static void RegisterWorkingTime()
    {
        Add("addWorkingDays", "start|t, days|n", 2, static (ev, a) => AddWorking(ev, "addWorkingDays", a, days: true));
        Add("addWorkingHours", "start|t, hours|h", 2, static (ev, a) => AddWorking(ev, "addWorkingHours", a, days: false));
        Add("workingDayOnOrBefore", "date|d", 1, static (ev, a) => WorkingDay(ev, "workingDayOnOrBefore", a, before: true));
        Add("workingDayOnOrAfter", "date|d", 1, static (ev, a) => WorkingDay(ev, "workingDayOnOrAfter", a, before: false));
    }

    /// <summary>Our own functions accept the stored string form of a date or date-time too (variables hold strings, §11).</summary>
    private static FeelValue Temporal(FeelValue v) =>
        v is FeelString s ? FeelTemporal.ParseDateTime(s.Value) ?? (FeelValue?)FeelTemporal.ParseDate(s.Value) ?? v : v;

    private static FeelValue AddWorking(FeelEvaluator ev, string name, FeelValue[] a, bool days)
    {
        if (ev.Environment.Calendar is not { } calendar) return Warn(ev, $"{name}: no working calendar is bound to this evaluation");
        var start = Temporal(a[0]);
        if (a[1] is not FeelNumber amount || !start.TryGetDateTimeOffset(out var instant, calendar.TimeZone)) return Bad(ev, name, a);
        var result = days ? calendar.AddWorkingDays(instant, amount.Value) : calendar.AddWorkingHours(instant, amount.Value);
        var shown = TimeZoneInfo.ConvertTime(result, calendar.TimeZone);
        return new FeelDateTime(shown.DateTime, shown.Offset, null);
    }

    private static FeelValue WorkingDay(FeelEvaluator ev, string name, FeelValue[] a, bool before)
    {
        if (ev.Environment.Calendar is not { } calendar) return Warn(ev, $"{name}: no working calendar is bound to this evaluation");
        switch (Temporal(a[0]))
        {
            case FeelDate d:
                return new FeelDate(before ? calendar.WorkingDayOnOrBefore(d.Value) : calendar.WorkingDayOnOrAfter(d.Value));
            case FeelDateTime { Offset: null } local:
            {
                var day = DateOnly.FromDateTime(local.Local);
                var moved = before ? calendar.WorkingDayOnOrBefore(day) : calendar.WorkingDayOnOrAfter(day);
                return local with { Local = moved.ToDateTime(TimeOnly.FromDateTime(local.Local)) };
            }
            case FeelDateTime dt:
            {
                // Working days are days of the calendar's zone: move there, keep the local time of day.
                var there = TimeZoneInfo.ConvertTime(dt.ToInstant(), calendar.TimeZone);
                var day = DateOnly.FromDateTime(there.DateTime);
                var moved = before ? calendar.WorkingDayOnOrBefore(day) : calendar.WorkingDayOnOrAfter(day);
                var instant = FeelTemporal.InZone(moved.ToDateTime(TimeOnly.FromDateTime(there.DateTime)), calendar.TimeZone);
                return new FeelDateTime(instant.DateTime, instant.Offset, null);
            }
            default:
                return Bad(ev, name, a);
        }
    }
}

/// <summary>Properties of temporal values and ranges (<c>d.year</c>, <c>dur.hours</c>, <c>r.start</c> …).</summary>
internal static class FeelProperties
{
    public static FeelValue? Get(FeelValue target, string key) => target switch
    {
        FeelDate d => DateProperty(d.Value, key),
        FeelDateTime dt => DateProperty(DateOnly.FromDateTime(dt.Local), key) ?? TimeProperty(TimeOnly.FromDateTime(dt.Local), dt.Offset, dt.Zone, key),
        FeelTime t => TimeProperty(t.Local, t.Offset, t.Zone, key),
        FeelDaysTimeDuration d => key switch
        {
            "days" => new FeelNumber(d.Value.Days),
            "hours" => new FeelNumber(d.Value.Hours),
            "minutes" => new FeelNumber(d.Value.Minutes),
            "seconds" => new FeelNumber(d.Value.Seconds),
            _ => null,
        },
        FeelYearsMonthsDuration y => key switch
        {
            "years" => new FeelNumber(y.TotalMonths / 12),
            "months" => new FeelNumber(y.TotalMonths % 12),
            _ => null,
        },
        FeelRange r => key switch
        {
            "start" => r.Start ?? FeelNull.Instance,
            "end" => r.End ?? FeelNull.Instance,
            "start included" => FeelBoolean.Of(r.StartIncluded),
            "end included" => FeelBoolean.Of(r.EndIncluded),
            _ => null,
        },
        _ => null,
    };

    private static FeelNumber? DateProperty(DateOnly d, string key) => key switch
    {
        "year" => new FeelNumber(d.Year),
        "month" => new FeelNumber(d.Month),
        "day" => new FeelNumber(d.Day),
        // ISO: Monday is 1, Sunday 7.
        "weekday" => new FeelNumber(d.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)d.DayOfWeek),
        _ => null,
    };

    private static FeelValue? TimeProperty(TimeOnly t, TimeSpan? offset, string? zone, string key) => key switch
    {
        "hour" => new FeelNumber(t.Hour),
        "minute" => new FeelNumber(t.Minute),
        "second" => new FeelNumber(t.Second + ((decimal)(t.Ticks % TimeSpan.TicksPerSecond) / TimeSpan.TicksPerSecond)),
        "time offset" => offset is null ? FeelNull.Instance : new FeelDaysTimeDuration(offset.Value),
        "timezone" => zone is null ? FeelNull.Instance : new FeelString(zone),
        _ => null,
    };
}
