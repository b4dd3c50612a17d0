namespace WorkflowOrders.Engine.Calendar;

/// <summary>
/// Renders a signed working-time span the way the inbox shows it: positive is time left ("due in …"), negative is
/// time past the deadline ("overdue by …"). Units are whole and rounded down: days and hours from one working day up
/// ("due in 2 working days 4 working hours", hours left out when zero), hours from one hour up, else minutes (at
/// least 1). Culture "zh…" gives Chinese ("还剩3个工作小时", "已超期1个工作日"), anything else English.
/// </summary>
public static class WorkingTimeText
{
    /// <summary>Renders <paramref name="workingTime"/> with the day length of <paramref name="calendar"/>.</summary>
    public static string Format(TimeSpan workingTime, IWorkingCalendar calendar, string culture)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return Format(workingTime, calendar.WorkingDayLength, culture);
    }

    /// <summary>Renders <paramref name="workingTime"/>; <paramref name="workingDayLength"/> turns it into working days.</summary>
    public static string Format(TimeSpan workingTime, TimeSpan workingDayLength, string culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(workingDayLength, TimeSpan.Zero);
        var chinese = CalendarText.IsChinese(culture);
        if (workingTime == TimeSpan.Zero)
        {
            return chinese ? "已到期" : "due now";
        }

        var overdue = workingTime < TimeSpan.Zero;
        var ticks = workingTime == TimeSpan.MinValue ? TimeSpan.MaxValue.Ticks : Math.Abs(workingTime.Ticks);
        var days = ticks / workingDayLength.Ticks;
        var hours = (ticks % workingDayLength.Ticks) / TimeSpan.TicksPerHour;
        var minutes = Math.Max(1, ticks / TimeSpan.TicksPerMinute);

        string amount;
        if (chinese)
        {
            amount = days > 0
                ? hours > 0 ? $"{days}个工作日{hours}个工作小时" : $"{days}个工作日"
                : hours > 0 ? $"{hours}个工作小时" : $"{minutes}分钟工作时间";
            return overdue ? $"已超期{amount}" : $"还剩{amount}";
        }

        amount = days > 0
            ? hours > 0 ? $"{Unit(days, "working day")} {Unit(hours, "working hour")}" : Unit(days, "working day")
            : hours > 0 ? Unit(hours, "working hour") : Unit(minutes, "working minute");
        return overdue ? $"overdue by {amount}" : $"due in {amount}";
    }

    private static string Unit(long count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";
}
