using WorkflowOrders.Engine.Calendar;
using static WorkflowOrders.Engine.Tests.Calendar.CnCalendar;

namespace WorkflowOrders.Engine.Tests.Calendar;

/// <summary>A calendar with two intervals a day (08:30–12:00, 13:00–17:30) and no holiday data.</summary>
public class WorkingCalendarLunchBreakTests
{
    private static readonly WorkingCalendar Split = new(CalendarLoader.Parse(
        """
        {
          "id": "split",
          "name": { "en": "With lunch break" },
          "timeZone": "Asia/Shanghai",
          "workWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
          "workingHours": [{ "from": "08:30", "to": "12:00" }, { "from": "13:00", "to": "17:30" }]
        }
        """,
        "split.json"));

    [Fact]
    public void WorkingDayLength_TwoIntervals_IsTheirSum() =>
        Assert.Equal(TimeSpan.FromHours(8), Split.WorkingDayLength);

    [Theory]
    [InlineData("2026-03-10 11:30", 0.5, "2026-03-10 12:00")] // ends with the morning: stays at 12:00
    [InlineData("2026-03-10 11:30", 1, "2026-03-10 13:30")]
    [InlineData("2026-03-10 12:30", 0, "2026-03-10 13:00")] // lunch: next working instant
    [InlineData("2026-03-10 12:30", 1, "2026-03-10 14:00")]
    [InlineData("2026-03-10 13:30", -0.5, "2026-03-10 13:00")] // lands on the start of the afternoon: stays at 13:00
    [InlineData("2026-03-10 13:30", -1, "2026-03-10 11:30")]
    [InlineData("2026-03-10 12:30", -1, "2026-03-10 11:00")]
    [InlineData("2026-03-10 10:00", 8, "2026-03-11 10:00")] // one working day
    public void AddWorkingHours_AroundLunch_SkipsTheBreak(string start, double hours, string expected) =>
        Assert.Equal(At(expected), Split.AddWorkingHours(At(start), (decimal)hours));

    [Fact]
    public void WorkingTimeBetween_AcrossLunch_LeavesTheBreakOut() =>
        Assert.Equal(TimeSpan.FromHours(3), Split.WorkingTimeBetween(At("2026-03-10 10:30"), At("2026-03-10 14:30")));

    [Fact]
    public void YearsWithoutHolidayData_NoYearsInFile_ListsEveryYear() =>
        Assert.Equal([2026, 2027], Split.YearsWithoutHolidayData(Day("2026-12-31"), Day("2027-01-01")));

    [Fact]
    public void DescribeMissingHolidayData_SundayToThursdayWeek_NamesTheWrappedRun()
    {
        var definition = CalendarLoader.Parse(
            """
            {
              "id": "gulf", "name": { "en": "Sunday to Thursday" }, "timeZone": "Asia/Dubai",
              "workWeek": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday"],
              "workingHours": [{ "from": "08:00", "to": "16:00" }]
            }
            """,
            "gulf.json");

        Assert.Equal(
            "No holiday data for 2026: the plain Sunday–Thursday work week is used until an administrator adds it.",
            definition.DescribeMissingHolidayData([2026], "en"));
        Assert.Equal(
            "缺少2026年的节假日数据：在管理员补充之前，按周日至周四的普通工作周计算。",
            definition.DescribeMissingHolidayData([2026], "zh-CN"));
    }
}
