using WorkflowOrders.Engine.Calendar;

namespace WorkflowOrders.Engine.Tests.Calendar;

public class WorkingTimeTextTests
{
    private static readonly TimeSpan Day = TimeSpan.FromHours(9);

    [Theory]
    [InlineData(3 * 60, "due in 3 working hours")]
    [InlineData(60, "due in 1 working hour")]
    [InlineData(-9 * 60, "overdue by 1 working day")]
    [InlineData((2 * 9 * 60) + (4 * 60), "due in 2 working days 4 working hours")]
    [InlineData(-((3 * 9 * 60) + 59), "overdue by 3 working days")] // 59 minutes do not make an hour
    [InlineData((9 * 60) + 60, "due in 1 working day 1 working hour")]
    [InlineData(89, "due in 1 working hour")] // rounded down
    [InlineData(25, "due in 25 working minutes")]
    [InlineData(-1, "overdue by 1 working minute")]
    [InlineData(0, "due now")]
    public void Format_English_RendersLargestWholeUnits(int minutes, string expected) =>
        Assert.Equal(expected, WorkingTimeText.Format(TimeSpan.FromMinutes(minutes), Day, "en"));

    [Theory]
    [InlineData(3 * 60, "还剩3个工作小时")]
    [InlineData(-9 * 60, "已超期1个工作日")]
    [InlineData((2 * 9 * 60) + (4 * 60), "还剩2个工作日4个工作小时")]
    [InlineData(-(5 * 9 * 60), "已超期5个工作日")]
    [InlineData(25, "还剩25分钟工作时间")]
    [InlineData(-90, "已超期1个工作小时")]
    [InlineData(0, "已到期")]
    public void Format_Chinese_RendersLargestWholeUnits(int minutes, string expected) =>
        Assert.Equal(expected, WorkingTimeText.Format(TimeSpan.FromMinutes(minutes), Day, "zh-CN"));

    [Fact]
    public void Format_SubMinuteSpan_ShowsOneMinute() =>
        Assert.Equal("due in 1 working minute", WorkingTimeText.Format(TimeSpan.FromSeconds(20), Day, "en"));

    [Fact]
    public void Format_WithCnCalendar_UsesItsNineHourDay()
    {
        var calendar = CnCalendar.Cn;
        var due = CnCalendar.At("2026-09-30 10:00");
        var now = CnCalendar.At("2026-10-08 10:00");

        var left = calendar.WorkingTimeBetween(now, due);

        Assert.Equal("overdue by 1 working day", WorkingTimeText.Format(left, calendar, "en"));
        Assert.Equal("已超期1个工作日", WorkingTimeText.Format(left, calendar, "zh-CN"));
    }

    [Fact]
    public void Format_UnknownCulture_FallsBackToEnglish() =>
        Assert.Equal("due in 2 working hours", WorkingTimeText.Format(TimeSpan.FromHours(2), Day, "fr-FR"));
}
