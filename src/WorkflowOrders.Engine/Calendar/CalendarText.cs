namespace WorkflowOrders.Engine.Calendar;

/// <summary>The few words the calendar puts into sentences, in English and Chinese.</summary>
internal static class CalendarText
{
    private static readonly string[] ChineseDayNames = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

    public static bool IsChinese(string culture) => culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    public static string DayName(DayOfWeek day, bool chinese) =>
        chinese ? ChineseDayNames[(int)day] : day.ToString();

    /// <summary>"Monday–Friday" for a run of consecutive days (Sunday–Thursday wraps), else "Monday, Wednesday and Friday".</summary>
    public static string DescribeWorkWeek(IReadOnlyCollection<DayOfWeek> workWeek, bool chinese)
    {
        if (workWeek.Count == 7)
        {
            return chinese ? "每天" : "seven-day";
        }

        var set = workWeek.ToHashSet();
        foreach (var first in set)
        {
            if (set.Contains(Previous(first)))
            {
                continue;
            }

            var length = 1;
            while (length < set.Count && set.Contains((DayOfWeek)(((int)first + length) % 7)))
            {
                length++;
            }

            if (length == set.Count && length > 2)
            {
                var last = (DayOfWeek)(((int)first + length - 1) % 7);
                return chinese
                    ? $"{DayName(first, true)}至{DayName(last, true)}"
                    : $"{DayName(first, false)}–{DayName(last, false)}";
            }

            break;
        }

        var ordered = workWeek.OrderBy(d => ((int)d + 6) % 7).Select(d => DayName(d, chinese)).ToList();
        return chinese ? string.Join("、", ordered) : JoinEnglish(ordered);
    }

    public static string JoinEnglish(IReadOnlyList<string> items) => items.Count switch
    {
        0 => string.Empty,
        1 => items[0],
        _ => $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}",
    };

    private static DayOfWeek Previous(DayOfWeek day) => (DayOfWeek)(((int)day + 6) % 7);
}
