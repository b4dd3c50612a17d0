using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Ports;

namespace WorkflowOrders.Web.Features.Work;

/// <summary>Where a deadline stands, the same words and colours everywhere (ui.md): overdue red, due today amber, on track neutral, done green.</summary>
public enum DueState
{
    None,
    OnTrack,
    DueToday,
    Overdue,
    Done,
}

/// <summary>A deadline as shown: state, the working-time phrase ("due in 3 working hours") and the instant itself.</summary>
public sealed record DueInfo(DueState State, string? Phrase, DateTimeOffset? DueDate)
{
    public static DueInfo NoDeadline { get; } = new(DueState.None, null, null);

    /// <summary>Bootstrap/Tabler colour of the state (never shown alone: <see cref="Icon"/> and a word go with it).</summary>
    public string Colour => State switch
    {
        DueState.Overdue => "danger",
        DueState.DueToday => "warning",
        DueState.Done => "success",
        _ => "secondary",
    };

    public string Icon => State switch
    {
        DueState.Overdue => "ti-alert-triangle",
        DueState.DueToday => "ti-clock-exclamation",
        DueState.Done => "ti-circle-check",
        DueState.OnTrack => "ti-clock",
        _ => "ti-minus",
    };

    /// <summary>Resource key of the state's word.</summary>
    public string Word => $"Due.{State}";
}

/// <summary>
/// Computes <see cref="DueInfo"/>: the working time between now and the deadline in the instance's calendar, phrased
/// by <see cref="WorkingTimeText"/> in the user's language; "today" is the user's calendar day in their zone.
/// </summary>
public sealed class DueCalculator(TimeProvider time, ICalendarProvider calendars)
{
    /// <summary>Calendar used when an instance names none that exists (the company default).</summary>
    public const string DefaultCalendar = "cn";

    public DateTimeOffset Now => time.GetUtcNow();

    public DueInfo Describe(DateTimeOffset? due, string? calendarId, TimeZoneInfo userZone, string culture, bool done = false)
    {
        ArgumentNullException.ThrowIfNull(userZone);
        if (due is null)
        {
            return done ? new DueInfo(DueState.Done, null, null) : DueInfo.NoDeadline;
        }

        if (done)
        {
            return new DueInfo(DueState.Done, null, due);
        }

        var now = Now;
        var calendar = calendars.Find(calendarId ?? DefaultCalendar) ?? calendars.Find(DefaultCalendar);
        var span = calendar is null ? due.Value - now : calendar.WorkingTimeBetween(now, due.Value);
        if (due.Value > now && span == TimeSpan.Zero)
        {
            // Before the deadline but outside working hours until it: a minute keeps the phrase "due in …", not "due now".
            span = TimeSpan.FromMinutes(1);
        }

        var phrase = calendar is null
            ? WorkingTimeText.Format(span, TimeSpan.FromDays(1), culture)
            : WorkingTimeText.Format(span, calendar, culture);
        var state = due.Value <= now
            ? DueState.Overdue
            : SameDay(due.Value, now, userZone) ? DueState.DueToday : DueState.OnTrack;
        return new DueInfo(state, phrase, due);
    }

    /// <summary>The end of the user's calendar day (the "due today" filter's upper bound).</summary>
    public DateTimeOffset EndOfToday(TimeZoneInfo userZone)
    {
        ArgumentNullException.ThrowIfNull(userZone);
        var local = TimeZoneInfo.ConvertTime(Now, userZone);
        var midnight = new DateTimeOffset(local.Date.AddDays(1), userZone.GetUtcOffset(local.Date.AddDays(1)));
        return midnight.ToUniversalTime();
    }

    private static bool SameDay(DateTimeOffset a, DateTimeOffset b, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(a, zone).Date == TimeZoneInfo.ConvertTime(b, zone).Date;
}
