using WorkflowOrders.Engine.Calendar;
using static WorkflowOrders.Engine.Tests.Calendar.CnCalendar;

namespace WorkflowOrders.Engine.Tests.Calendar;

// Weekdays checked with `date -d 2026-10-08 +%A` (GNU date) for every date used here.
public class WorkingCalendarTests
{
    [Fact]
    public void WorkingCalendar_CnJson_HasIdZoneAndNineHourDay()
    {
        Assert.Equal("cn", Cn.Id);
        Assert.Equal("Asia/Shanghai", Cn.TimeZone.Id);
        Assert.Equal(TimeSpan.FromHours(9), Cn.WorkingDayLength);
    }

    [Theory]
    [InlineData("2026-03-09", true)] // Monday
    [InlineData("2026-03-10", true)]
    [InlineData("2026-03-11", true)]
    [InlineData("2026-03-12", true)]
    [InlineData("2026-03-13", true)] // Friday
    [InlineData("2026-03-14", false)] // Saturday
    [InlineData("2026-03-15", false)] // Sunday
    public void IsWorkingDay_OrdinaryWeek_MondayToFridayOnly(string date, bool working) =>
        Assert.Equal(working, Cn.IsWorkingDay(Day(date)));

    public static TheoryData<string> HolidayDates()
    {
        var data = new TheoryData<string>();
        (string First, string Last)[] blocks =
        [
            ("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"), ("2026-04-04", "2026-04-06"), ("2026-05-01", "2026-05-05"),
            ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"), ("2026-10-01", "2026-10-07"),
        ];
        foreach (var (first, last) in blocks)
        {
            for (var day = Day(first); day <= Day(last); day = day.AddDays(1))
            {
                data.Add(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HolidayDates))]
    public void IsWorkingDay_Every2026HolidayDate_False(string date) =>
        Assert.False(Cn.IsWorkingDay(Day(date)));

    [Theory]
    [InlineData("2026-01-04", DayOfWeek.Sunday)]
    [InlineData("2026-02-14", DayOfWeek.Saturday)]
    [InlineData("2026-02-28", DayOfWeek.Saturday)]
    [InlineData("2026-05-09", DayOfWeek.Saturday)]
    [InlineData("2026-09-20", DayOfWeek.Sunday)]
    [InlineData("2026-10-10", DayOfWeek.Saturday)]
    public void IsWorkingDay_MakeUpWeekendDay_True(string date, DayOfWeek weekday)
    {
        Assert.Equal(weekday, Day(date).DayOfWeek);
        Assert.True(Cn.IsWorkingDay(Day(date)));
    }

    [Theory]
    [InlineData("2025-12-31 10:00", "2026-01-04 10:00")] // 元旦 Thu–Sat, Sunday 01-04 is worked
    [InlineData("2026-02-14 10:00", "2026-02-24 10:00")] // 春节 Sun 02-15 – Mon 02-23, from the make-up Saturday
    [InlineData("2026-04-03 10:00", "2026-04-07 10:00")] // 清明节 Sat–Mon
    [InlineData("2026-04-30 10:00", "2026-05-06 10:00")] // 劳动节 Fri–Tue
    [InlineData("2026-06-18 10:00", "2026-06-22 10:00")] // 端午节 Fri–Sun
    [InlineData("2026-09-24 10:00", "2026-09-28 10:00")] // 中秋节 Fri–Sun
    [InlineData("2026-09-30 10:00", "2026-10-08 10:00")] // 国庆节 Thu–Wed
    public void AddWorkingDays_StartedJustBeforeHolidayBlock_LandsAfterIt(string start, string expected) =>
        Assert.Equal(At(expected), Cn.AddWorkingDays(At(start), 1));

    [Theory]
    [InlineData("2025-12-31 10:00", "2026-01-04 10:00")]
    [InlineData("2026-02-13 10:00", "2026-02-14 10:00")]
    [InlineData("2026-02-27 10:00", "2026-02-28 10:00")]
    [InlineData("2026-05-08 10:00", "2026-05-09 10:00")]
    [InlineData("2026-09-18 10:00", "2026-09-20 10:00")] // Saturday 09-19 stays off
    [InlineData("2026-10-09 10:00", "2026-10-10 10:00")]
    public void AddWorkingDays_FromWorkingDayBeforeMakeUpDay_LandsOnMakeUpDay(string start, string expected) =>
        Assert.Equal(At(expected), Cn.AddWorkingDays(At(start), 1));

    [Theory]
    [InlineData("2026-02-28 10:00", 1, "2026-03-02 10:00")] // Sunday 03-01 is off
    [InlineData("2026-10-10 10:00", 1, "2026-10-12 10:00")] // Sunday 10-11 is off
    [InlineData("2026-01-04 07:00", 0.5, "2026-01-04 13:00")] // before hours on the make-up Sunday
    [InlineData("2026-09-19 12:00", 1, "2026-09-20 17:30")] // from the Saturday before the make-up Sunday
    public void AddWorkingDays_OnOrAroundMakeUpDay_CountsItAsWorking(string start, double days, string expected) =>
        Assert.Equal(At(expected), Cn.AddWorkingDays(At(start), (decimal)days));

    [Theory]
    [InlineData("2026-03-10 10:00", 1, "2026-03-11 10:00")] // Tuesday → Wednesday
    [InlineData("2026-03-10 10:00", 5, "2026-03-17 10:00")]
    [InlineData("2026-03-13 10:00", 1, "2026-03-16 10:00")] // Friday → Monday over the weekend
    [InlineData("2026-03-13 19:00", 1, "2026-03-16 17:30")] // Friday evening: Monday's whole day, cut off at 17:30
    [InlineData("2026-03-14 12:00", 1, "2026-03-16 17:30")] // Saturday
    [InlineData("2026-03-15 23:59", 2, "2026-03-17 17:30")] // Sunday night
    [InlineData("2026-03-10 07:00", 1, "2026-03-10 17:30")] // before hours: that day's whole working day
    [InlineData("2026-03-10 08:30", 1, "2026-03-10 17:30")]
    [InlineData("2026-03-10 17:30", 1, "2026-03-11 17:30")] // 17:30 itself is after hours
    [InlineData("2026-03-10 22:00", 1, "2026-03-11 17:30")]
    [InlineData("2026-03-10 10:00", 0.5, "2026-03-10 14:30")]
    [InlineData("2026-03-10 10:00", 1.5, "2026-03-11 14:30")]
    [InlineData("2026-03-10 16:00", 0.25, "2026-03-11 09:15")] // 2 h 15: 1 h 30 today, 45 min tomorrow
    [InlineData("2026-03-10 10:00", 0, "2026-03-10 10:00")]
    [InlineData("2026-03-10 18:00", 0, "2026-03-11 08:30")] // zero: the first working instant at or after the start
    [InlineData("2026-03-14 10:00", 0, "2026-03-16 08:30")]
    public void AddWorkingDays_ForwardFromStart_LandsOnExpectedInstant(string start, double days, string expected) =>
        Assert.Equal(At(expected), Cn.AddWorkingDays(At(start), (decimal)days));

    [Theory]
    [InlineData("2026-03-10 16:30", 1, "2026-03-10 17:30")] // ends exactly with the day: stays at 17:30
    [InlineData("2026-03-10 17:00", 1, "2026-03-11 09:00")]
    [InlineData("2026-03-13 17:00", 1, "2026-03-16 09:00")] // Friday → Monday
    [InlineData("2026-03-10 20:00", 1, "2026-03-11 09:30")]
    [InlineData("2026-03-10 06:00", 1, "2026-03-10 09:30")]
    [InlineData("2026-03-15 10:00", 3, "2026-03-16 11:30")] // Sunday
    [InlineData("2026-03-10 10:00", 2.5, "2026-03-10 12:30")]
    [InlineData("2026-03-10 10:00", 0.25, "2026-03-10 10:15")]
    [InlineData("2026-03-10 10:00", 9, "2026-03-11 10:00")] // one working day
    [InlineData("2026-03-10 10:00", 40, "2026-03-16 14:00")] // 4 days 4 h, over the weekend
    [InlineData("2026-09-30 16:00", 4, "2026-10-08 11:00")] // over National Day
    public void AddWorkingHours_ForwardFromStart_LandsOnExpectedInstant(string start, double hours, string expected) =>
        Assert.Equal(At(expected), Cn.AddWorkingHours(At(start), (decimal)hours));

    [Theory]
    [InlineData("2026-03-11 10:00", -1, "2026-03-10 10:00")]
    [InlineData("2026-03-16 17:30", -1, "2026-03-16 08:30")] // lands exactly on the start of the day: stays at 08:30
    [InlineData("2026-03-16 07:00", -1, "2026-03-13 08:30")] // Monday before hours: from Friday 17:30
    [InlineData("2026-03-14 12:00", -1, "2026-03-13 08:30")] // Saturday
    [InlineData("2026-03-10 10:00", -0.5, "2026-03-09 14:30")]
    [InlineData("2026-10-08 10:00", -1, "2026-09-30 10:00")] // back over National Day
    [InlineData("2026-01-05 10:00", -1, "2026-01-04 10:00")] // back onto the make-up Sunday
    [InlineData("2026-02-24 10:00", -1, "2026-02-14 10:00")] // back over the Spring Festival onto its make-up Saturday
    [InlineData("2026-03-18 18:00", -3, "2026-03-16 08:30")]
    public void AddWorkingDays_Negative_GoesBackFromLastWorkingInstant(string start, double days, string expected) =>
        Assert.Equal(At(expected), Cn.AddWorkingDays(At(start), (decimal)days));

    [Theory]
    [InlineData("2026-03-10 09:30", -1, "2026-03-10 08:30")]
    [InlineData("2026-03-10 09:00", -1, "2026-03-09 17:00")]
    [InlineData("2026-03-16 08:30", -1, "2026-03-13 16:30")] // Monday start → Friday
    [InlineData("2026-03-10 20:00", -0.5, "2026-03-10 17:00")]
    public void AddWorkingHours_Negative_GoesBackFromLastWorkingInstant(string start, double hours, string expected) =>
        Assert.Equal(At(expected), Cn.AddWorkingHours(At(start), (decimal)hours));

    [Fact]
    public void AddWorkingTime_PositiveThenSameNegative_ReturnsToEveryWorkingStartOf2026()
    {
        TimeSpan[] amounts = [TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromHours(4.5), TimeSpan.FromHours(9), TimeSpan.FromHours(31), TimeSpan.FromHours(9 * 12)];
        TimeSpan[] times = [new(8, 30, 0), new(10, 15, 0), new(17, 29, 0)];
        var checkedStarts = 0;
        for (var day = new DateOnly(2026, 1, 1); day.Year == 2026; day = day.AddDays(1))
        {
            if (!Cn.IsWorkingDay(day))
            {
                continue;
            }

            foreach (var time in times)
            {
                var start = new DateTimeOffset(day.ToDateTime(TimeOnly.FromTimeSpan(time)), Shanghai);
                foreach (var amount in amounts)
                {
                    var end = Cn.AddWorkingTime(start, amount);
                    Assert.Equal(start, Cn.AddWorkingTime(end, -amount));
                    Assert.Equal(amount, Cn.WorkingTimeBetween(start, end));
                }

                checkedStarts++;
            }
        }

        Assert.Equal(248 * times.Length, checkedStarts);
    }

    [Theory]
    [InlineData("2026-03-10 10:00", "2026-03-11 10:00", 9)]
    [InlineData("2026-03-11 10:00", "2026-03-10 10:00", -9)]
    [InlineData("2026-03-10 10:00", "2026-03-10 12:30", 2.5)]
    [InlineData("2026-03-10 07:00", "2026-03-10 20:00", 9)]
    [InlineData("2026-03-13 19:00", "2026-03-16 17:30", 9)]
    [InlineData("2026-03-14 08:00", "2026-03-15 18:00", 0)] // weekend
    [InlineData("2026-01-01 10:00", "2026-01-01 12:00", 0)] // holiday
    [InlineData("2026-09-30 10:00", "2026-10-08 10:00", 9)] // over National Day
    [InlineData("2026-10-08 10:00", "2026-09-30 10:00", -9)]
    [InlineData("2026-02-13 17:30", "2026-02-24 08:30", 9)] // only the make-up Saturday 02-14 in between
    [InlineData("2026-01-01 00:00", "2027-01-01 00:00", 248 * 9)] // 261 weekdays − 19 weekday holidays + 6 make-up days
    public void WorkingTimeBetween_TwoInstants_CountsOnlyWorkingTime(string start, string end, double hours) =>
        Assert.Equal(TimeSpan.FromHours(hours), Cn.WorkingTimeBetween(At(start), At(end)));

    [Fact]
    public void WorkingTimeBetween_NowOneWorkingDayPastDeadline_IsMinusOneWorkingDay()
    {
        var due = Cn.AddWorkingDays(At("2026-09-29 15:00"), 1);
        var now = At("2026-10-08 15:00"); // National Day lies between

        Assert.Equal(At("2026-09-30 15:00"), due);
        Assert.Equal(-Cn.WorkingDayLength, Cn.WorkingTimeBetween(now, due));
    }

    [Theory]
    [InlineData("2026-03-10", "2026-03-10", "2026-03-10")]
    [InlineData("2026-03-14", "2026-03-13", "2026-03-16")] // Saturday
    [InlineData("2026-10-01", "2026-09-30", "2026-10-08")] // National Day
    [InlineData("2026-01-01", "2025-12-31", "2026-01-04")] // 元旦, then the make-up Sunday
    [InlineData("2026-02-14", "2026-02-14", "2026-02-14")] // make-up Saturday
    [InlineData("2026-02-20", "2026-02-14", "2026-02-24")] // inside the Spring Festival
    public void WorkingDayOnOrBeforeAndAfter_Day_GiveNearestWorkingDays(string day, string before, string after)
    {
        Assert.Equal(Day(before), Cn.WorkingDayOnOrBefore(Day(day)));
        Assert.Equal(Day(after), Cn.WorkingDayOnOrAfter(Day(day)));
    }

    [Fact]
    public void AddWorkingHours_UtcInput_ComputesInShanghaiAndReturnsPlusEight()
    {
        var start = new DateTimeOffset(2026, 3, 10, 1, 0, 0, TimeSpan.Zero); // 09:00 in Shanghai

        var due = Cn.AddWorkingHours(start, 1);

        Assert.Equal(TimeSpan.FromHours(8), due.Offset);
        Assert.Equal(new DateTime(2026, 3, 10, 10, 0, 0), due.DateTime);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 2, 0, 0, TimeSpan.Zero), due);
    }

    [Fact]
    public void AddWorkingHours_InputInOtherZone_SameAsUtcInput()
    {
        var newYork = new DateTimeOffset(2026, 3, 9, 21, 0, 0, TimeSpan.FromHours(-4)); // 2026-03-10T01:00Z

        Assert.Equal(At("2026-03-10 10:00"), Cn.AddWorkingHours(newYork, 1));
    }

    [Fact]
    public void AddWorkingHours_UtcMorningIsShanghaiEvening_ContinuesNextShanghaiDay()
    {
        var start = new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero); // 18:00 in Shanghai

        var due = Cn.AddWorkingHours(start, 1);

        Assert.Equal(At("2026-03-11 09:30"), due);
        Assert.Equal(TimeSpan.FromHours(8), due.Offset);
    }

    [Fact]
    public void DateOf_UtcEveningBeforeShanghaiMidnight_IsNextShanghaiDay() =>
        Assert.Equal(new DateOnly(2026, 3, 10), Cn.DateOf(new DateTimeOffset(2026, 3, 9, 17, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void AddWorkingTime_AcrossShanghaiDaylightSavingYears_AgreesWithTimeZoneInfo()
    {
        // Shanghai kept daylight saving time 1986–1991; the calendar must convert like TimeZoneInfo before and after.
        for (var instant = new DateTimeOffset(1986, 1, 1, 3, 17, 0, TimeSpan.Zero); instant.Year < 2031; instant = instant.AddHours(97))
        {
            var local = TimeZoneInfo.ConvertTime(instant, Cn.TimeZone);
            Assert.Equal(DateOnly.FromDateTime(local.DateTime), Cn.DateOf(instant));

            var due = Cn.AddWorkingHours(instant, 1);
            Assert.Equal(Cn.TimeZone.GetUtcOffset(due), due.Offset);
        }
    }

    [Theory]
    [InlineData("2027-10-01")] // Friday; 2027 has no holiday data yet
    [InlineData("2030-01-01")] // Tuesday
    public void IsWorkingDay_WeekdayOfYearWithoutData_PlainWorkWeek(string date) =>
        Assert.True(Cn.IsWorkingDay(Day(date)));

    [Fact]
    public void AddWorkingDays_YearWithoutData_SkipsOnlyTheWeekend()
    {
        Assert.Equal(At("2030-01-07 10:00"), Cn.AddWorkingDays(At("2030-01-04 10:00"), 1)); // Friday → Monday
        Assert.Equal(At("2027-10-04 17:30"), Cn.AddWorkingDays(At("2027-09-30 17:30"), 2)); // Thursday → Monday
    }

    [Theory]
    [InlineData("2026-01-01", "2026-12-31", new int[0])]
    [InlineData("2026-06-01", "2028-01-01", new[] { 2027, 2028 })]
    [InlineData("2025-12-01", "2026-02-01", new[] { 2025 })]
    [InlineData("2030-05-01", "2030-05-02", new[] { 2030 })]
    [InlineData("2028-01-01", "2026-06-01", new[] { 2027, 2028 })] // ends given the other way round
    public void YearsWithoutHolidayData_Span_ListsYearsWithoutEntry(string first, string last, int[] expected) =>
        Assert.Equal(expected, Cn.YearsWithoutHolidayData(Day(first), Day(last)));

    [Fact]
    public void DescribeYearsWithoutHolidayData_2027_PlainSentenceInEnglishAndChinese()
    {
        Assert.Equal(
            "No holiday data for 2027: the plain Monday–Friday work week is used until an administrator adds it.",
            Cn.DescribeYearsWithoutHolidayData(Day("2026-12-01"), Day("2027-02-01"), "en"));
        Assert.Equal(
            "缺少2027年的节假日数据：在管理员补充之前，按周一至周五的普通工作周计算。",
            Cn.DescribeYearsWithoutHolidayData(Day("2026-12-01"), Day("2027-02-01"), "zh-CN"));
    }

    [Fact]
    public void DescribeMissingHolidayData_SeveralYears_JoinsRuns()
    {
        Assert.Equal(
            "No holiday data for 2025 and 2027–2029: the plain Monday–Friday work week is used until an administrator adds them.",
            Cn.Definition.DescribeMissingHolidayData([2028, 2025, 2027, 2029], "en"));
        Assert.Equal(
            "缺少2025年、2027–2029年的节假日数据：在管理员补充之前，按周一至周五的普通工作周计算。",
            Cn.Definition.DescribeMissingHolidayData([2028, 2025, 2027, 2029], "zh-CN"));
        Assert.Equal("", Cn.Definition.DescribeMissingHolidayData([], "en"));
    }

    [Fact]
    public void AddWorkingDays_Century_JumpsWeeksAndStaysExact()
    {
        // 2030–2130 has no data: 5,218 weeks of five working days.
        var start = At("2030-01-07 10:00");
        var end = Cn.AddWorkingDays(start, 5218 * 5);

        Assert.Equal(At("2130-01-09 10:00"), end);
        Assert.Equal(start, Cn.AddWorkingDays(end, -5218 * 5));
        Assert.Equal(TimeSpan.FromHours(5218 * 5 * 9), Cn.WorkingTimeBetween(start, end));
    }

    [Fact]
    public void AddWorkingDays_SpanAcrossDataYears_RoundTrips()
    {
        var start = At("2020-06-15 11:00");
        var end = Cn.AddWorkingDays(start, 3000);

        Assert.Equal(start, Cn.AddWorkingDays(end, -3000));
        Assert.Equal(TimeSpan.FromHours(3000 * 9), Cn.WorkingTimeBetween(start, end));
    }

    [Fact]
    public void AddWorkingDays_BeyondYear9999_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Cn.AddWorkingDays(At("2026-03-10 10:00"), 2_900_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cn.AddWorkingDays(At("2026-03-10 10:00"), -600_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cn.AddWorkingDays(At("2026-03-10 10:00"), decimal.MaxValue));
    }
}
