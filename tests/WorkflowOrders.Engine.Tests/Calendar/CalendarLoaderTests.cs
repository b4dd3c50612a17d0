using WorkflowOrders.Engine.Calendar;

namespace WorkflowOrders.Engine.Tests.Calendar;

public class CalendarLoaderTests
{
    private const string ValidHours = """[{ "from": "08:30", "to": "17:30" }]""";
    private const string ValidWeek = """["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]""";
    private const string ValidHolidays = """[{ "name": { "en": "National Day" }, "from": "2026-10-01", "to": "2026-10-07" }]""";
    private const string ValidMakeUp = """["2026-10-10"]""";
    private const string ValidSource = """{ "title": "Notice" }""";

    private static string Calendar(
        string zone = "\"Asia/Shanghai\"",
        string week = ValidWeek,
        string hours = ValidHours,
        string? years = null,
        string holidays = ValidHolidays,
        string makeUp = ValidMakeUp,
        string source = ValidSource,
        string extra = "")
    {
        years ??= $$"""[{ "year": 2026, "source": {{source}}, "holidays": {{holidays}}, "makeUpWorkingDays": {{makeUp}} }]""";
        return $$"""
            {
              "id": "test",
              "name": { "en": "Test" },
              "timeZone": {{zone}},
              "workWeek": {{week}},
              "workingHours": {{hours}},
              "years": {{years}}{{extra}}
            }
            """;
    }

    [Fact]
    public void LoadFile_CnJson_ReadsZoneWeekAndHours()
    {
        var definition = CalendarLoader.LoadFile(CnCalendar.FilePath);

        Assert.Equal("cn", definition.Id);
        Assert.Equal("中国工作日历", definition.Name.For("zh-CN"));
        Assert.Equal("China working calendar", definition.Name.For("en"));
        Assert.Equal("Asia/Shanghai", definition.TimeZone.Id);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], definition.WorkWeek.ToArray());
        Assert.Equal([new WorkingInterval(new TimeSpan(8, 30, 0), new TimeSpan(17, 30, 0))], definition.WorkingHours.ToArray());
        Assert.Equal(TimeSpan.FromHours(9), definition.WorkingDayLength);
        Assert.Equal([2026], definition.CoveredYears.ToArray());
    }

    [Fact]
    public void LoadFile_CnJson_Holds2026HolidaysOfTheStateCouncilNotice()
    {
        var year = Assert.Single(CalendarLoader.LoadFile(CnCalendar.FilePath).Years);

        Assert.Equal(2026, year.Year);
        Assert.Equal("国务院办公厅关于2026年部分节假日安排的通知", year.Source.Title);
        Assert.Equal(new DateOnly(2025, 11, 4), year.Source.Published);
        var holidays = year.Holidays.Select(h => $"{h.Name.For("zh-CN")} {h.Name.For("en")} {h.First:yyyy-MM-dd}..{h.Last:yyyy-MM-dd}");
        Assert.Equal(
            [
                "元旦 New Year's Day 2026-01-01..2026-01-03",
                "春节 Spring Festival 2026-02-15..2026-02-23",
                "清明节 Qingming Festival 2026-04-04..2026-04-06",
                "劳动节 Labour Day 2026-05-01..2026-05-05",
                "端午节 Dragon Boat Festival 2026-06-19..2026-06-21",
                "中秋节 Mid-Autumn Festival 2026-09-25..2026-09-27",
                "国庆节 National Day 2026-10-01..2026-10-07",
            ],
            holidays);
        Assert.Equal(
            ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
            year.MakeUpWorkingDays.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static TheoryData<string> ShippedCalendarFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "workflows", "calendars"), "*.json").Order())
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedCalendarFiles))]
    public void LoadFile_EveryShippedCalendar_LoadsWithHolidayDataSource(string fileName)
    {
        var definition = CalendarLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "workflows", "calendars", fileName));

        Assert.NotEmpty(definition.Id);
        Assert.All(definition.Years, year => Assert.NotEmpty(year.Source.Title));
    }

    [Fact]
    public void Parse_LunchBreakAndCommentsAndNoYears_Accepted()
    {
        var json = Calendar(
            hours: """[{ "from": "13:00", "to": "17:30" }, /* lunch 12:00–13:00 */ { "from": "08:30", "to": "12:00" }]""",
            years: "[]");

        var definition = CalendarLoader.Parse(json, "test.json");

        Assert.Equal(
            [new WorkingInterval(new TimeSpan(8, 30, 0), new TimeSpan(12, 0, 0)), new WorkingInterval(new TimeSpan(13, 0, 0), new TimeSpan(17, 30, 0))],
            definition.WorkingHours.ToArray());
        Assert.Equal(TimeSpan.FromHours(8), definition.WorkingDayLength);
        Assert.Empty(definition.CoveredYears.ToArray());
    }

    public static TheoryData<string, string> MalformedFiles => new()
    {
        { """{ "id": "test", """, "not valid JSON at line 1" },
        { "[1, 2]", "expected one JSON object" },
        { Calendar(zone: "\"Asia/Shanghia\""), "timeZone: \"Asia/Shanghia\" is not a time zone known to this server" },
        { Calendar(zone: "null"), "timeZone: is missing" },
        { Calendar(week: """["Monday", "Mon"]"""), "workWeek[1]: expected a day name in English" },
        { Calendar(week: """["Monday", "Monday"]"""), "workWeek[1]: Monday is listed twice" },
        { Calendar(week: "[]"), "workWeek: lists no day" },
        { Calendar(hours: """[{ "from": "8:30", "to": "17:30" }]"""), "workingHours[0].from: \"8:30\" is not a time of day in the form HH:mm" },
        { Calendar(hours: """[{ "from": "17:30", "to": "08:30" }]"""), "workingHours[0]: 17:30–08:30 ends before it starts" },
        { Calendar(hours: """[{ "from": "08:30", "to": "12:30" }, { "from": "12:00", "to": "17:30" }]"""), "workingHours: 08:30–12:30 and 12:00–17:30 overlap" },
        { Calendar(hours: "[]"), "workingHours: lists no interval" },
        { Calendar(holidays: """[{ "name": { "en": "X" }, "from": "2026-02-30" }]"""), "years[0].holidays[0].from: \"2026-02-30\" is not a date in the form yyyy-MM-dd" },
        { Calendar(holidays: """[{ "name": { "en": "X" }, "from": "2025-10-01" }]"""), "years[0].holidays[0].from: 2025-10-01 does not belong to the year 2026" },
        { Calendar(holidays: """[{ "name": { "en": "X" }, "from": "2026-10-07", "to": "2026-10-01" }]"""), "years[0].holidays[0]: ends (2026-10-01) before it starts (2026-10-07)" },
        { Calendar(holidays: """[{ "from": "2026-10-01" }]"""), "years[0].holidays[0].name: is missing" },
        {
            Calendar(holidays: """[{ "name": { "en": "A" }, "from": "2026-10-01", "to": "2026-10-07" }, { "name": { "en": "B" }, "from": "2026-10-05" }]"""),
            "holiday B 2026-10-05..2026-10-05 (year 2026) overlaps holiday A 2026-10-01..2026-10-07 (year 2026)"
        },
        { Calendar(makeUp: """["2026-03-04"]"""), "2026-03-04 is a Wednesday, already a working day of the work week" },
        { Calendar(makeUp: """["2026-10-03"]"""), "2026-10-03 lies within holiday National Day 2026-10-01..2026-10-07" },
        { Calendar(makeUp: """["2026-10-10", "2026-10-10"]"""), "years[0].makeUpWorkingDays[1]: 2026-10-10 is listed twice" },
        { Calendar(source: "null"), "years[0].source: is missing" },
        { Calendar(source: """{ "title": "Notice", "url": "gov.cn" }"""), "years[0].source.url: \"gov.cn\" is not an http(s) address" },
        { Calendar(years: """[{ "year": "2026", "source": { "title": "N" } }]"""), "years[0].year: expected a year such as 2026, found \"2026\"" },
        { Calendar(years: """[{ "year": 2026, "source": { "title": "N" } }, { "year": 2026, "source": { "title": "N" } }]"""), "years: 2026 is listed 2 times" },
        { Calendar(extra: """, "makeupWorkingDays": []"""), "makeupWorkingDays: unknown property" },
        { Calendar(years: """[{ "year": 2026, "source": { "title": "N" }, "makeupWorkingDays": [] }]"""), "years[0].makeupWorkingDays: unknown property; did you mean \"makeUpWorkingDays\"?" },
        { Calendar(extra: """, "timeZone": "UTC" """), "not valid JSON: Duplicate property 'timeZone'" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Parse_MalformedFile_ThrowsOneMessageNamingTheProblem(string json, string expected)
    {
        var error = Assert.Throws<CalendarFileException>(() => CalendarLoader.Parse(json, "test.json"));

        Assert.StartsWith("Calendar file 'test.json' is invalid: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Single(error.Problems);
    }

    [Fact]
    public void Parse_SeveralProblems_ListsEachInOneMessage()
    {
        var json = Calendar(zone: "\"Mars/Olympus\"", hours: """[{ "from": "08:30", "to": "25:00" }]""");

        var error = Assert.Throws<CalendarFileException>(() => CalendarLoader.Parse(json, "test.json"));

        Assert.Equal(2, error.Problems.Count);
        Assert.StartsWith("Calendar file 'test.json' has 2 problems: (1) timeZone: \"Mars/Olympus\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("(2) workingHours[0].to: \"25:00\" is not a time of day", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_MissingFile_ThrowsCalendarFileExceptionNamingTheFile()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "workflows", "calendars", "no-such-calendar.json");

        var error = Assert.Throws<CalendarFileException>(() => CalendarLoader.LoadFile(path));

        Assert.StartsWith("Calendar file 'no-such-calendar.json' is invalid: the file cannot be read", error.Message, StringComparison.Ordinal);
    }
}
