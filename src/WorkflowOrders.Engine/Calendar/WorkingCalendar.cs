namespace WorkflowOrders.Engine.Calendar;

/// <summary>
/// Working-time arithmetic over a <see cref="CalendarDefinition"/>. Thread-safe and allocation-free per call (except
/// <see cref="YearsWithoutHolidayData"/>'s list): the holiday data is flattened once into a per-day table with a running
/// count of working days, so a span of any length costs a few table look-ups plus a short walk of at most a week or two.
/// </summary>
/// <remarks>
/// Working intervals are half-open, [08:30, 17:30): 17:30 is not itself a working instant. Adding working time lands
/// on the earliest instant that completes it, so a span that ends exactly with a working day ends at 17:30 of that
/// day (the end-of-day cut-off) rather than at 08:30 of the next. Going back mirrors this: it lands on the latest such
/// instant, so 08:30 stays 08:30. Local times are wall-clock times of the calendar's zone.
/// </remarks>
public sealed class WorkingCalendar : IWorkingCalendar
{
    private const sbyte PlainDay = 0;
    private const sbyte Holiday = 1;
    private const sbyte MakeUpDay = 2;

    private static readonly int LastDayNumber = DateOnly.MaxValue.DayNumber;

    private readonly long dayLength;
    private readonly long[] intervalFrom;
    private readonly long[] intervalTo;
    /// <summary>Working time of the day before each interval starts.</summary>
    private readonly long[] workedBeforeInterval;
    /// <summary>Indexed by (int)DayOfWeek.</summary>
    private readonly bool[] workWeek = new bool[7];
    private readonly int workDaysPerWeek;

    /// <summary>Day number of the first day of <see cref="dayKind"/>; the table spans the years with holiday data.</summary>
    private readonly int tableFirstDay;
    private readonly sbyte[] dayKind;
    /// <summary>workingDaysBefore[i] = number of working days in [tableFirstDay, tableFirstDay + i).</summary>
    private readonly int[] workingDaysBefore;
    private readonly HashSet<int> coveredYears;

    /// <summary>From this UTC instant on the zone keeps one offset (Asia/Shanghai: since its last DST rule of 1991).</summary>
    private readonly long fixedOffsetSinceUtcTicks;
    private readonly TimeSpan fixedOffset;

    public WorkingCalendar(CalendarDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;

        var hours = definition.WorkingHours;
        intervalFrom = new long[hours.Length];
        intervalTo = new long[hours.Length];
        workedBeforeInterval = new long[hours.Length];
        long worked = 0;
        for (var i = 0; i < hours.Length; i++)
        {
            intervalFrom[i] = hours[i].From.Ticks;
            intervalTo[i] = hours[i].To.Ticks;
            workedBeforeInterval[i] = worked;
            worked += hours[i].Length.Ticks;
        }

        dayLength = worked;
        if (dayLength <= 0 || definition.WorkWeek.IsEmpty)
        {
            throw new ArgumentException("A calendar needs at least one working day in the week and working hours of positive length.", nameof(definition));
        }

        foreach (var day in definition.WorkWeek)
        {
            workWeek[(int)day] = true;
        }

        workDaysPerWeek = definition.WorkWeek.Length;
        coveredYears = [.. definition.CoveredYears];
        (fixedOffsetSinceUtcTicks, fixedOffset) = FixedOffsetPeriod(definition.TimeZone);

        if (definition.Years.IsEmpty)
        {
            dayKind = [];
            workingDaysBefore = [0];
            return;
        }

        var allDays = definition.Years.SelectMany(y => y.Holidays.SelectMany(h => new[] { h.First, h.Last }).Concat(y.MakeUpWorkingDays)).ToList();
        var first = new DateOnly(definition.Years[0].Year, 1, 1);
        var last = new DateOnly(definition.Years[^1].Year, 12, 31);
        if (allDays.Count > 0)
        {
            first = allDays.Min() < first ? allDays.Min() : first;
            last = allDays.Max() > last ? allDays.Max() : last;
        }

        tableFirstDay = first.DayNumber;
        dayKind = new sbyte[last.DayNumber - first.DayNumber + 1];
        foreach (var year in definition.Years)
        {
            foreach (var block in year.Holidays)
            {
                for (var d = block.First.DayNumber; d <= block.Last.DayNumber; d++)
                {
                    dayKind[d - tableFirstDay] = Holiday;
                }
            }

            foreach (var day in year.MakeUpWorkingDays)
            {
                dayKind[day.DayNumber - tableFirstDay] = MakeUpDay;
            }
        }

        workingDaysBefore = new int[dayKind.Length + 1];
        for (var i = 0; i < dayKind.Length; i++)
        {
            workingDaysBefore[i + 1] = workingDaysBefore[i] + (IsWorkingDayNumber(tableFirstDay + i) ? 1 : 0);
        }
    }

    /// <summary>Builds the calendar from a calendar file (see <see cref="CalendarLoader.LoadFile"/>).</summary>
    public static WorkingCalendar FromFile(string path) => new(CalendarLoader.LoadFile(path));

    public CalendarDefinition Definition { get; }

    public string Id => Definition.Id;

    public TimeZoneInfo TimeZone => Definition.TimeZone;

    public TimeSpan WorkingDayLength => TimeSpan.FromTicks(dayLength);

    public bool IsWorkingDay(DateOnly day) => IsWorkingDayNumber(day.DayNumber);

    /// <summary>The calendar date of <paramref name="instant"/> in the calendar's zone.</summary>
    public DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDayNumber(ToLocal(instant).Day);

    /// <inheritdoc />
    /// <remarks>Zero gives the first working instant at or after <paramref name="start"/>.</remarks>
    public DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan workingTime)
    {
        var amount = workingTime.Ticks;
        if (amount == long.MinValue)
        {
            throw new ArgumentOutOfRangeException(nameof(workingTime), workingTime, "The working time is too large.");
        }

        var (day, time) = ToLocal(start);
        return amount switch
        {
            > 0 => Forward(day, time, amount),
            < 0 => Backward(day, time, -amount),
            _ => NextWorkingInstant(day, time),
        };
    }

    public DateTimeOffset AddWorkingDays(DateTimeOffset start, decimal days) =>
        AddWorkingTime(start, ToWorkingTime(days, dayLength, nameof(days)));

    public DateTimeOffset AddWorkingHours(DateTimeOffset start, decimal hours) =>
        AddWorkingTime(start, ToWorkingTime(hours, TimeSpan.TicksPerHour, nameof(hours)));

    public DateOnly WorkingDayOnOrBefore(DateOnly day) =>
        IsWorkingDay(day) ? day : DateOnly.FromDayNumber(NthWorkingDayBefore(day.DayNumber, 1));

    public DateOnly WorkingDayOnOrAfter(DateOnly day) =>
        IsWorkingDay(day) ? day : DateOnly.FromDayNumber(NthWorkingDayAfter(day.DayNumber, 1));

    public TimeSpan WorkingTimeBetween(DateTimeOffset start, DateTimeOffset end)
    {
        if (end < start)
        {
            return -WorkingTimeBetween(end, start);
        }

        var (startDay, startTime) = ToLocal(start);
        var (endDay, endTime) = ToLocal(end);
        if (startDay == endDay)
        {
            // Max guards a wall clock turned back (end of daylight saving time) within one day.
            return IsWorkingDayNumber(startDay) ? TimeSpan.FromTicks(Math.Max(0, WorkedBefore(endTime) - WorkedBefore(startTime))) : TimeSpan.Zero;
        }

        var total = IsWorkingDayNumber(startDay) ? dayLength - WorkedBefore(startTime) : 0;
        total += CountWorkingDays(startDay + 1, endDay) * dayLength;
        total += IsWorkingDayNumber(endDay) ? WorkedBefore(endTime) : 0;
        return TimeSpan.FromTicks(total);
    }

    public IReadOnlyList<int> YearsWithoutHolidayData(DateOnly first, DateOnly last)
    {
        if (last < first)
        {
            (first, last) = (last, first);
        }

        List<int>? missing = null;
        for (var year = first.Year; year <= last.Year; year++)
        {
            if (!coveredYears.Contains(year))
            {
                (missing ??= []).Add(year);
            }
        }

        return missing is null ? [] : missing;
    }

    /// <summary>
    /// The administrator sentence for the years in [<paramref name="first"/>, <paramref name="last"/>] without holiday
    /// data, or empty when every year has data (see <see cref="CalendarDefinition.DescribeMissingHolidayData"/>).
    /// </summary>
    public string DescribeYearsWithoutHolidayData(DateOnly first, DateOnly last, string culture) =>
        Definition.DescribeMissingHolidayData(YearsWithoutHolidayData(first, last), culture);

    private bool IsWorkingDayNumber(int dayNumber)
    {
        var index = dayNumber - tableFirstDay;
        if ((uint)index < (uint)dayKind.Length)
        {
            var kind = dayKind[index];
            if (kind != PlainDay)
            {
                return kind == MakeUpDay;
            }
        }

        // Day number 0 (0001-01-01) was a Monday.
        return workWeek[(dayNumber + 1) % 7];
    }

    private DateTimeOffset Forward(int day, long time, long amount)
    {
        if (IsWorkingDayNumber(day))
        {
            var worked = WorkedBefore(time);
            var left = dayLength - worked;
            if (amount <= left)
            {
                return ToInstant(day, TimeReachingForward(worked + amount));
            }

            amount -= left;
        }

        var days = ((amount - 1) / dayLength) + 1;
        var lastDayPart = amount - ((days - 1) * dayLength);
        return ToInstant(NthWorkingDayAfter(day, days), TimeReachingForward(lastDayPart));
    }

    private DateTimeOffset Backward(int day, long time, long amount)
    {
        if (IsWorkingDayNumber(day))
        {
            var worked = WorkedBefore(time);
            if (amount <= worked)
            {
                return ToInstant(day, TimeReachingBackward(worked - amount));
            }

            amount -= worked;
        }

        var days = ((amount - 1) / dayLength) + 1;
        var lastDayPart = amount - ((days - 1) * dayLength);
        return ToInstant(NthWorkingDayBefore(day, days), TimeReachingBackward(dayLength - lastDayPart));
    }

    private DateTimeOffset NextWorkingInstant(int day, long time)
    {
        if (IsWorkingDayNumber(day))
        {
            var worked = WorkedBefore(time);
            if (worked < dayLength)
            {
                return ToInstant(day, TimeReachingBackward(worked));
            }
        }

        return ToInstant(NthWorkingDayAfter(day, 1), intervalFrom[0]);
    }

    /// <summary>Working time of a working day before <paramref name="time"/> (ticks since midnight).</summary>
    private long WorkedBefore(long time)
    {
        long worked = 0;
        for (var i = 0; i < intervalFrom.Length; i++)
        {
            if (time <= intervalFrom[i])
            {
                break;
            }

            worked += Math.Min(time, intervalTo[i]) - intervalFrom[i];
        }

        return worked;
    }

    /// <summary>The earliest time of day by which <paramref name="worked"/> (0 &lt; worked ≤ day length) is done.</summary>
    private long TimeReachingForward(long worked)
    {
        for (var i = 0; i < intervalFrom.Length; i++)
        {
            var end = workedBeforeInterval[i] + (intervalTo[i] - intervalFrom[i]);
            if (worked <= end)
            {
                return intervalFrom[i] + (worked - workedBeforeInterval[i]);
            }
        }

        return intervalTo[^1];
    }

    /// <summary>The latest time of day before which exactly <paramref name="worked"/> (0 ≤ worked &lt; day length) is done.</summary>
    private long TimeReachingBackward(long worked)
    {
        for (var i = 0; i < intervalFrom.Length; i++)
        {
            var end = workedBeforeInterval[i] + (intervalTo[i] - intervalFrom[i]);
            if (worked < end)
            {
                return intervalFrom[i] + (worked - workedBeforeInterval[i]);
            }
        }

        return intervalTo[^1];
    }

    /// <summary>Working days in [<paramref name="from"/>, <paramref name="to"/>) as day numbers; O(1).</summary>
    private long CountWorkingDays(int from, int to)
    {
        if (to <= from)
        {
            return 0;
        }

        long count = 0;
        var tableEnd = tableFirstDay + dayKind.Length;
        if (from < tableFirstDay)
        {
            var stop = Math.Min(to, tableFirstDay);
            count += CountPlainWorkingDays(from, stop);
            from = stop;
        }

        if (from < to && from < tableEnd)
        {
            var stop = Math.Min(to, tableEnd);
            count += workingDaysBefore[stop - tableFirstDay] - workingDaysBefore[from - tableFirstDay];
            from = stop;
        }

        if (from < to)
        {
            count += CountPlainWorkingDays(from, to);
        }

        return count;
    }

    private long CountPlainWorkingDays(int from, int to)
    {
        var days = to - from;
        var weeks = days / 7;
        long count = (long)weeks * workDaysPerWeek;
        for (var d = from + (weeks * 7); d < to; d++)
        {
            if (workWeek[(d + 1) % 7])
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The day number of the <paramref name="n"/>-th working day after <paramref name="day"/> (n ≥ 1).</summary>
    private int NthWorkingDayAfter(int day, long n)
    {
        // A week holds at most 7 working days, so jumping (n-1)/7 weeks never passes the n-th one; each jump
        // removes most of n, so a span of centuries takes a handful of jumps and a walk of at most a week or two.
        var current = (long)day;
        while (n > 7)
        {
            var target = current + ((n - 1) / 7 * 7);
            if (target > LastDayNumber)
            {
                throw OutOfRange();
            }

            n -= CountWorkingDays((int)current + 1, (int)target + 1);
            current = target;
        }

        while (true)
        {
            if (++current > LastDayNumber)
            {
                throw OutOfRange();
            }

            if (IsWorkingDayNumber((int)current) && --n == 0)
            {
                return (int)current;
            }
        }
    }

    /// <summary>The day number of the <paramref name="n"/>-th working day before <paramref name="day"/> (n ≥ 1).</summary>
    private int NthWorkingDayBefore(int day, long n)
    {
        var current = (long)day;
        while (n > 7)
        {
            var target = current - ((n - 1) / 7 * 7);
            if (target < 0)
            {
                throw OutOfRange();
            }

            n -= CountWorkingDays((int)target, (int)current);
            current = target;
        }

        while (true)
        {
            if (--current < 0)
            {
                throw OutOfRange();
            }

            if (IsWorkingDayNumber((int)current) && --n == 0)
            {
                return (int)current;
            }
        }
    }

    private (int Day, long Time) ToLocal(DateTimeOffset instant)
    {
        var utcTicks = instant.UtcTicks;
        var ticks = utcTicks >= fixedOffsetSinceUtcTicks
            ? utcTicks + fixedOffset.Ticks
            : TimeZoneInfo.ConvertTimeFromUtc(instant.UtcDateTime, Definition.TimeZone).Ticks;
        return ((int)(ticks / TimeSpan.TicksPerDay), ticks % TimeSpan.TicksPerDay);
    }

    private DateTimeOffset ToInstant(int day, long time)
    {
        var local = new DateTime((day * TimeSpan.TicksPerDay) + time, DateTimeKind.Unspecified);
        return local.Ticks - fixedOffset.Ticks >= fixedOffsetSinceUtcTicks
            ? new DateTimeOffset(local, fixedOffset)
            : new DateTimeOffset(local, Definition.TimeZone.GetUtcOffset(local));
    }

    /// <summary>
    /// The instant after which <paramref name="zone"/> has no more rules and so one offset; the zone look-ups dominate
    /// the cost of a call otherwise. A zone with daylight saving time in force today never gets there (long.MaxValue).
    /// </summary>
    private static (long SinceUtcTicks, TimeSpan Offset) FixedOffsetPeriod(TimeZoneInfo zone)
    {
        var rules = zone.GetAdjustmentRules();
        if (rules.Length == 0)
        {
            return (DateTime.MinValue.Ticks, zone.BaseUtcOffset);
        }

        var lastRuleEnd = rules.Max(r => r.DateEnd);
        if (lastRuleEnd >= DateTime.MaxValue.Date.AddYears(-1))
        {
            return (long.MaxValue, TimeSpan.Zero);
        }

        // Two days past the rule's last (local) date leaves any offset of that date behind.
        var since = DateTime.SpecifyKind(lastRuleEnd.Date.AddDays(2), DateTimeKind.Utc);
        return (since.Ticks, zone.GetUtcOffset(since));
    }

    private static TimeSpan ToWorkingTime(decimal amount, long ticksPerUnit, string parameter)
    {
        // Beyond this a span would leave the calendar's range (years 1–9999) anyway.
        const decimal limit = 3_000_000m * TimeSpan.TicksPerDay;
        if (Math.Abs(amount) > limit / ticksPerUnit)
        {
            throw new ArgumentOutOfRangeException(parameter, amount, "The working time reaches beyond the years 1–9999.");
        }

        return TimeSpan.FromTicks((long)decimal.Round(amount * ticksPerUnit, MidpointRounding.AwayFromZero));
    }

    private static ArgumentOutOfRangeException OutOfRange() =>
        new("workingTime", "The working time reaches beyond the years 1–9999 the calendar can represent.");
}
