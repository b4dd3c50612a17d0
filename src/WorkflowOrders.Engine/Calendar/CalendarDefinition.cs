using System.Collections.Immutable;

namespace WorkflowOrders.Engine.Calendar;

/// <summary>One span of working hours within a working day, in the calendar's zone; <see cref="To"/> may be 24:00.</summary>
public readonly record struct WorkingInterval(TimeSpan From, TimeSpan To)
{
    public TimeSpan Length => To - From;

    public override string ToString() => $"{Format(From)}–{Format(To)}";

    internal static string Format(TimeSpan time) => $"{(int)time.TotalHours:00}:{time.Minutes:00}";
}

/// <summary>Where a year's holiday data comes from (e.g. the State Council notice), so an administrator can check it.</summary>
public sealed record CalendarSource(string Title, string? Publisher, DateOnly? Published, Uri? Url);

/// <summary>A block of consecutive public holidays (both ends included), e.g. 国庆节 2026-10-01..2026-10-07.</summary>
public sealed record HolidayBlock(LocalizedName Name, DateOnly First, DateOnly Last)
{
    public bool Contains(DateOnly day) => day >= First && day <= Last;
}

/// <summary>The holiday data of one year: holiday blocks, make-up working days (调休) and their source.</summary>
public sealed record CalendarYear(
    int Year,
    CalendarSource Source,
    ImmutableArray<HolidayBlock> Holidays,
    ImmutableArray<DateOnly> MakeUpWorkingDays);

/// <summary>A name in several languages, keyed by culture name ("zh-CN", "en").</summary>
public sealed class LocalizedName
{
    private readonly ImmutableSortedDictionary<string, string> byCulture;

    public LocalizedName(IEnumerable<KeyValuePair<string, string>> byCulture)
    {
        this.byCulture = ImmutableSortedDictionary.CreateRange(StringComparer.OrdinalIgnoreCase, byCulture);
        if (this.byCulture.IsEmpty)
        {
            throw new ArgumentException("A name needs at least one language.", nameof(byCulture));
        }
    }

    public IReadOnlyDictionary<string, string> ByCulture => byCulture;

    /// <summary>
    /// The name for <paramref name="culture"/>: the exact culture, else its language ("zh" for "zh-TW"),
    /// else any entry of that language, else English, else the first entry.
    /// </summary>
    public string For(string culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        if (byCulture.TryGetValue(culture, out var exact))
        {
            return exact;
        }

        var dash = culture.IndexOf('-', StringComparison.Ordinal);
        var language = dash < 0 ? culture : culture[..dash];
        foreach (var (key, value) in byCulture)
        {
            if (key.Equals(language, StringComparison.OrdinalIgnoreCase)
                || key.StartsWith(language + "-", StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return byCulture.TryGetValue("en", out var english) ? english : byCulture.First().Value;
    }

    public override string ToString() => string.Join(" / ", byCulture.Values);
}

/// <summary>
/// A working-time calendar as an administrator writes it (see docs/calendar.md): zone, work week, working hours,
/// and per year the public holidays and make-up working days. Immutable; built by <see cref="CalendarLoader"/>,
/// which has already checked it.
/// </summary>
public sealed class CalendarDefinition
{
    internal CalendarDefinition(
        string id,
        LocalizedName name,
        TimeZoneInfo timeZone,
        ImmutableArray<DayOfWeek> workWeek,
        ImmutableArray<WorkingInterval> workingHours,
        ImmutableArray<CalendarYear> years)
    {
        Id = id;
        Name = name;
        TimeZone = timeZone;
        WorkWeek = workWeek;
        WorkingHours = workingHours;
        Years = years;
        CoveredYears = [.. years.Select(y => y.Year).Order()];
        WorkingDayLength = TimeSpan.FromTicks(workingHours.Sum(i => i.Length.Ticks));
    }

    public string Id { get; }

    public LocalizedName Name { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>The days worked in an ordinary week, Monday first.</summary>
    public ImmutableArray<DayOfWeek> WorkWeek { get; }

    /// <summary>The working hours of every working day, ascending and not overlapping.</summary>
    public ImmutableArray<WorkingInterval> WorkingHours { get; }

    /// <summary>Holiday data per year, ascending by year.</summary>
    public ImmutableArray<CalendarYear> Years { get; }

    /// <summary>The years that have holiday data, ascending (for the administrator page).</summary>
    public ImmutableArray<int> CoveredYears { get; }

    public TimeSpan WorkingDayLength { get; }

    /// <summary>
    /// A plain sentence for the administrator page and the audit log about <paramref name="years"/> lacking holiday data,
    /// e.g. "No holiday data for 2027: the plain Monday–Friday work week is used until an administrator adds it.".
    /// <paramref name="culture"/> "zh…" gives Chinese, anything else English. Empty when <paramref name="years"/> is empty.
    /// </summary>
    public string DescribeMissingHolidayData(IReadOnlyList<int> years, string culture)
    {
        ArgumentNullException.ThrowIfNull(years);
        ArgumentNullException.ThrowIfNull(culture);
        if (years.Count == 0)
        {
            return string.Empty;
        }

        var runs = YearRuns(years);
        if (CalendarText.IsChinese(culture))
        {
            var list = string.Join("、", runs.Select(r => r.First == r.Last ? $"{r.First}年" : $"{r.First}–{r.Last}年"));
            return $"缺少{list}的节假日数据：在管理员补充之前，按{CalendarText.DescribeWorkWeek(WorkWeek, chinese: true)}的普通工作周计算。";
        }

        var english = CalendarText.JoinEnglish(runs.Select(r => r.First == r.Last ? $"{r.First}" : $"{r.First}–{r.Last}").ToList());
        var pronoun = years.Count == 1 ? "it" : "them";
        return $"No holiday data for {english}: the plain {CalendarText.DescribeWorkWeek(WorkWeek, chinese: false)} work week is used until an administrator adds {pronoun}.";
    }

    private static List<(int First, int Last)> YearRuns(IReadOnlyList<int> years)
    {
        var runs = new List<(int First, int Last)>();
        foreach (var year in years.Distinct().Order())
        {
            if (runs.Count > 0 && runs[^1].Last == year - 1)
            {
                runs[^1] = (runs[^1].First, year);
            }
            else
            {
                runs.Add((year, year));
            }
        }

        return runs;
    }
}
