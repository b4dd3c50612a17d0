using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Testing;
using WorkflowOrders.Web.Features.Work;

namespace WorkflowOrders.Web.Tests.Features.Work;

public sealed class DueCalculatorTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static DueCalculator At(string instant) => new(FakeTimeProvider.At(instant), Calendars());

    private static CalendarCatalog Calendars()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory!.FullName, "WorkflowOrders.sln")))
        {
            directory = directory.Parent;
        }

        return CalendarCatalog.LoadDirectory(Path.Combine(directory.FullName, "workflows", "calendars"));
    }

    [Fact]
    public void Describe_LaterTodayInWorkingHours_IsDueTodayWithWorkingHoursLeft()
    {
        var due = At("2026-10-08T02:00:00Z").Describe(DateTimeOffset.Parse("2026-10-08T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "cn", Shanghai, "en");

        Assert.Equal((DueState.DueToday, "due in 6 working hours"), (due.State, due.Phrase));
    }

    [Fact]
    public void Describe_PastDeadline_IsOverdueInWorkingDaysInChinese()
    {
        // Due Wednesday 2026-10-14 17:30, now Friday 2026-10-16 17:30: two working days late.
        var due = At("2026-10-16T09:30:00Z").Describe(DateTimeOffset.Parse("2026-10-14T09:30:00Z", System.Globalization.CultureInfo.InvariantCulture), "cn", Shanghai, "zh-CN");

        Assert.Equal((DueState.Overdue, "已超期2个工作日"), (due.State, due.Phrase));
    }

    [Fact]
    public void Describe_DeadlineAfterTheHolidays_CountsOnlyWorkingTime()
    {
        // Tuesday 2026-09-29 17:30 → Friday 2026-10-09 17:30: Sep 30, Oct 8, Oct 9 are the working days between (Oct 1–7 holidays).
        var due = At("2026-09-29T09:30:00Z").Describe(DateTimeOffset.Parse("2026-10-09T09:30:00Z", System.Globalization.CultureInfo.InvariantCulture), "cn", Shanghai, "en");

        Assert.Equal((DueState.OnTrack, "due in 3 working days"), (due.State, due.Phrase));
    }

    [Fact]
    public void Describe_NoDeadline_SaysSoAndDoneTasksAreDone()
    {
        var calculator = At("2026-10-08T02:00:00Z");

        Assert.Equal(DueState.None, calculator.Describe(null, "cn", Shanghai, "en").State);
        Assert.Equal(DueState.Done, calculator.Describe(DateTimeOffset.Parse("2026-10-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "cn", Shanghai, "en", done: true).State);
    }

    [Fact]
    public void EndOfToday_InShanghai_IsLocalMidnightInUtc()
    {
        Assert.Equal(DateTimeOffset.Parse("2026-10-08T16:00:00Z", System.Globalization.CultureInfo.InvariantCulture), At("2026-10-08T02:00:00Z").EndOfToday(Shanghai));
    }
}
