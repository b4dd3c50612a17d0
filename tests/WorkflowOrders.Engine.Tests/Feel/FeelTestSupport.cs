using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Feel;
using WorkflowOrders.Engine.Tests.Support;

namespace WorkflowOrders.Engine.Tests.Feel;

/// <summary>Variables from a JSON object text.</summary>
internal sealed class JsonVariables(string json) : IFeelVariables
{
    private readonly JsonObject _values = JsonNode.Parse(json)!.AsObject();

    public bool TryGet(string name, out JsonNode? value) => _values.TryGetPropertyValue(name, out value);
}

/// <summary>Evaluates expressions against fixed test variables, clock (Thu 2026-10-08 10:00 Shanghai) and calendar.</summary>
internal static class Feel
{
    public const string Now = "2026-10-08T10:00:00+08:00";

    public const string Variables = """
        {
          "x": 5, "y": 2.5, "name": "Anna", "flag": true, "nothing": null,
          "xs": [1, 2, 3, 4],
          "order": { "id": "PO-1", "amount": 1200, "deliveryDate": "2026-10-20", "receivedAt": "2026-10-06T10:00:00+08:00",
                     "customer": { "name": "ACME", "groups": ["sales", "qa"] } },
          "items": [ { "name": "bolt", "price": 5 }, { "name": "gear", "price": 20 }, { "name": "shaft", "price": 12 } ],
          "groups": "sales, qa ,,finance"
        }
        """;

    public static FeelEnvironment Environment(bool calendar = true, string? variables = null, long maxSteps = 1_000_000, int maxListSize = 100_000) => new()
    {
        Variables = new JsonVariables(variables ?? Variables),
        Time = FakeTimeProvider.At(Now),
        Calendar = calendar ? new ShanghaiWeekCalendar() : null,
        MaxSteps = maxSteps,
        MaxListSize = maxListSize,
    };

    public static FeelResult Evaluate(string expression, bool calendar = true, string? variables = null) =>
        FeelExpression.Parse(expression).Evaluate(Environment(calendar, variables));

    /// <summary>The JSON text of the result (as stored in a variable).</summary>
    public static string Json(string expression, bool calendar = true, string? variables = null) =>
        Text(Evaluate(expression, calendar, variables).Value);

    public static string Text(FeelValue value) => value.ToJson()?.ToJsonString() ?? "null";

    /// <summary>Normalises expected JSON text so that the comparison ignores spacing.</summary>
    public static string Normal(string json) => JsonNode.Parse(json)?.ToJsonString() ?? "null";

    public static void AssertJson(string expected, string expression, bool calendar = true, string? variables = null)
    {
        var result = Evaluate(expression, calendar, variables);
        Assert.True(Normal(expected) == Text(result.Value),
            $"{expression}\n expected: {expected}\n   actual: {Text(result.Value)}\n warnings: {string.Join(" | ", result.Warnings)}");
    }
}

/// <summary>Mon–Fri 08:30–17:30 in Asia/Shanghai, no holidays: enough calendar for the working-time functions.</summary>
internal sealed class ShanghaiWeekCalendar : IWorkingCalendar
{
    private static readonly TimeSpan DayStart = new(8, 30, 0);
    private static readonly TimeSpan DayEnd = new(17, 30, 0);

    public string Id => "test";

    public TimeZoneInfo TimeZone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public TimeSpan WorkingDayLength => DayEnd - DayStart;

    public bool IsWorkingDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    public DateTimeOffset AddWorkingDays(DateTimeOffset start, decimal days) =>
        AddWorkingTime(start, TimeSpan.FromTicks((long)(WorkingDayLength.Ticks * days)));

    public DateTimeOffset AddWorkingHours(DateTimeOffset start, decimal hours) =>
        AddWorkingTime(start, TimeSpan.FromTicks((long)(TimeSpan.TicksPerHour * hours)));

    public DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan workingTime)
    {
        if (workingTime < TimeSpan.Zero) throw new NotSupportedException("the test calendar only counts forward");
        var local = TimeZoneInfo.ConvertTime(start, TimeZone).DateTime;
        var left = workingTime;
        while (true)
        {
            var day = DateOnly.FromDateTime(local);
            var open = day.ToDateTime(TimeOnly.FromTimeSpan(DayStart));
            var close = day.ToDateTime(TimeOnly.FromTimeSpan(DayEnd));
            if (!IsWorkingDay(day) || local >= close)
            {
                local = day.AddDays(1).ToDateTime(TimeOnly.FromTimeSpan(DayStart));
                continue;
            }
            if (local < open) local = open;
            if (close - local >= left)
            {
                local += left;
                break;
            }
            left -= close - local;
            local = day.AddDays(1).ToDateTime(TimeOnly.FromTimeSpan(DayStart));
        }
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }

    public DateOnly WorkingDayOnOrBefore(DateOnly day)
    {
        while (!IsWorkingDay(day)) day = day.AddDays(-1);
        return day;
    }

    public DateOnly WorkingDayOnOrAfter(DateOnly day)
    {
        while (!IsWorkingDay(day)) day = day.AddDays(1);
        return day;
    }

    public TimeSpan WorkingTimeBetween(DateTimeOffset start, DateTimeOffset end) => throw new NotSupportedException();

    public IReadOnlyList<int> YearsWithoutHolidayData(DateOnly first, DateOnly last) => [];
}
