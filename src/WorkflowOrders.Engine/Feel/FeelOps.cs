namespace WorkflowOrders.Engine.Feel;

/// <summary>FEEL operators on values: arithmetic, comparison and equality. A type mismatch gives null plus a warning.</summary>
internal static class FeelOps
{
    private const long TicksPerDay = TimeSpan.TicksPerDay;

    private static FeelNull Mismatch(FeelEvaluator ev, string verb, FeelValue a, FeelValue b)
    {
        ev.Warn($"can't {verb} {a.TypeName} and {b.TypeName}");
        return FeelNull.Instance;
    }

    private static FeelNull TooLarge(FeelEvaluator ev, string verb)
    {
        ev.Warn($"the result of {verb} is too large for a number");
        return FeelNull.Instance;
    }

    public static FeelValue Add(FeelEvaluator ev, FeelValue a, FeelValue b)
    {
        if (a is FeelNumber x && b is FeelNumber y)
        {
            try
            {
                return new FeelNumber(x.Value + y.Value);
            }
            catch (OverflowException)
            {
                return TooLarge(ev, "adding");
            }
        }
        try
        {
            switch (a, b)
            {
                case (FeelString s, FeelString t):
                    return new FeelString(s.Value + t.Value);
                case (FeelDaysTimeDuration d, FeelDaysTimeDuration e):
                    return new FeelDaysTimeDuration(d.Value + e.Value);
                case (FeelYearsMonthsDuration d, FeelYearsMonthsDuration e):
                    return new FeelYearsMonthsDuration(checked(d.TotalMonths + e.TotalMonths));
                case (FeelDaysTimeDuration or FeelYearsMonthsDuration, FeelDate or FeelDateTime or FeelTime):
                    return Add(ev, b, a);
                case (FeelDate d, FeelDaysTimeDuration e):
                    return new FeelDate(DateOnly.FromDateTime(d.Value.ToDateTime(TimeOnly.MinValue) + e.Value));
                case (FeelDate d, FeelYearsMonthsDuration e):
                    return new FeelDate(d.Value.AddMonths(e.TotalMonths));
                case (FeelDateTime d, FeelDaysTimeDuration e):
                    return ShiftExact(d, e.Value);
                case (FeelDateTime d, FeelYearsMonthsDuration e):
                    return ShiftLocal(d, d.Local.AddMonths(e.TotalMonths));
                case (FeelTime t, FeelDaysTimeDuration e):
                    return t with { Local = t.Local.Add(TimeSpan.FromTicks(e.Value.Ticks % TicksPerDay)) };
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            ev.Warn("the result of adding is out of the supported date range");
            return FeelNull.Instance;
        }
        catch (OverflowException)
        {
            ev.Warn("the result of adding is too large");
            return FeelNull.Instance;
        }
        return Mismatch(ev, "add", a, b);
    }

    public static FeelValue Subtract(FeelEvaluator ev, FeelValue a, FeelValue b)
    {
        if (a is FeelNumber x && b is FeelNumber y)
        {
            try
            {
                return new FeelNumber(x.Value - y.Value);
            }
            catch (OverflowException)
            {
                return TooLarge(ev, "subtracting");
            }
        }
        try
        {
            switch (a, b)
            {
                case (FeelDaysTimeDuration d, FeelDaysTimeDuration e):
                    return new FeelDaysTimeDuration(d.Value - e.Value);
                case (FeelYearsMonthsDuration d, FeelYearsMonthsDuration e):
                    return new FeelYearsMonthsDuration(checked(d.TotalMonths - e.TotalMonths));
                case (FeelDate d, FeelDate e):
                    return new FeelDaysTimeDuration(TimeSpan.FromDays(d.Value.DayNumber - e.Value.DayNumber));
                case (FeelDateTime d, FeelDateTime e):
                    if ((d.Offset is null) != (e.Offset is null))
                    {
                        ev.Warn("can't subtract a local date and time and one with an offset");
                        return FeelNull.Instance;
                    }
                    return new FeelDaysTimeDuration(d.Offset is null ? d.Local - e.Local : d.ToInstant() - e.ToInstant());
                case (FeelTime t, FeelTime u):
                    return new FeelDaysTimeDuration(TimeOfDayUtc(t) - TimeOfDayUtc(u));
                case (FeelDate or FeelDateTime or FeelTime, FeelDaysTimeDuration e):
                    return Add(ev, a, new FeelDaysTimeDuration(-e.Value));
                case (FeelDate or FeelDateTime, FeelYearsMonthsDuration e):
                    return Add(ev, a, new FeelYearsMonthsDuration(-e.TotalMonths));
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            ev.Warn("the result of subtracting is out of the supported date range");
            return FeelNull.Instance;
        }
        catch (OverflowException)
        {
            ev.Warn("the result of subtracting is too large");
            return FeelNull.Instance;
        }
        return Mismatch(ev, "subtract", a, b);
    }

    public static FeelValue Multiply(FeelEvaluator ev, FeelValue a, FeelValue b)
    {
        try
        {
            switch (a, b)
            {
                case (FeelNumber x, FeelNumber y):
                    return new FeelNumber(x.Value * y.Value);
                case (FeelDaysTimeDuration d, FeelNumber n):
                    return new FeelDaysTimeDuration(TimeSpan.FromTicks((long)(d.Value.Ticks * n.Value)));
                case (FeelYearsMonthsDuration d, FeelNumber n):
                    return new FeelYearsMonthsDuration((int)decimal.Truncate(d.TotalMonths * n.Value));
                case (FeelNumber, FeelDaysTimeDuration or FeelYearsMonthsDuration):
                    return Multiply(ev, b, a);
            }
        }
        catch (OverflowException)
        {
            ev.Warn("the result of multiplying is too large");
            return FeelNull.Instance;
        }
        return Mismatch(ev, "multiply", a, b);
    }

    public static FeelValue Divide(FeelEvaluator ev, FeelValue a, FeelValue b)
    {
        if (b is FeelNumber { Value: 0 } || b is FeelDaysTimeDuration { Value.Ticks: 0 } || b is FeelYearsMonthsDuration { TotalMonths: 0 })
        {
            if (a is FeelNumber or FeelDaysTimeDuration or FeelYearsMonthsDuration)
            {
                ev.Warn("division by zero");
                return FeelNull.Instance;
            }
        }
        try
        {
            switch (a, b)
            {
                case (FeelNumber x, FeelNumber y):
                    return new FeelNumber(x.Value / y.Value);
                case (FeelDaysTimeDuration d, FeelNumber n):
                    return new FeelDaysTimeDuration(TimeSpan.FromTicks((long)(d.Value.Ticks / n.Value)));
                case (FeelYearsMonthsDuration d, FeelNumber n):
                    return new FeelYearsMonthsDuration((int)decimal.Truncate(d.TotalMonths / n.Value));
                case (FeelDaysTimeDuration d, FeelDaysTimeDuration e):
                    return new FeelNumber((decimal)d.Value.Ticks / e.Value.Ticks);
                case (FeelYearsMonthsDuration d, FeelYearsMonthsDuration e):
                    return new FeelNumber((decimal)d.TotalMonths / e.TotalMonths);
            }
        }
        catch (OverflowException)
        {
            ev.Warn("the result of dividing is too large");
            return FeelNull.Instance;
        }
        return Mismatch(ev, "divide", a, b);
    }

    public static FeelValue Power(FeelEvaluator ev, FeelValue a, FeelValue b)
    {
        if (a is not FeelNumber x || b is not FeelNumber y) return Mismatch(ev, "raise", a, b);
        try
        {
            if (y.Value == decimal.Truncate(y.Value) && Math.Abs(y.Value) <= 10_000)
            {
                var exponent = (int)Math.Abs(y.Value);
                decimal result = 1, factor = x.Value;
                while (exponent > 0)
                {
                    if ((exponent & 1) == 1) result *= factor;
                    exponent >>= 1;
                    if (exponent > 0) factor *= factor;
                }
                if (y.Value < 0)
                {
                    if (result == 0)
                    {
                        ev.Warn("division by zero");
                        return FeelNull.Instance;
                    }
                    result = 1 / result;
                }
                return new FeelNumber(result);
            }
            var d = Math.Pow((double)x.Value, (double)y.Value);
            if (!double.IsFinite(d))
            {
                ev.Warn("the result of ** is not a number");
                return FeelNull.Instance;
            }
            return new FeelNumber((decimal)d);
        }
        catch (OverflowException)
        {
            ev.Warn("the result of ** is too large for a number");
            return FeelNull.Instance;
        }
    }

    public static FeelValue Negate(FeelEvaluator ev, FeelValue a) => a switch
    {
        FeelNumber n => new FeelNumber(-n.Value),
        FeelDaysTimeDuration d => new FeelDaysTimeDuration(-d.Value),
        FeelYearsMonthsDuration d => new FeelYearsMonthsDuration(-d.TotalMonths),
        _ => NegateMismatch(ev, a),
    };

    private static FeelNull NegateMismatch(FeelEvaluator ev, FeelValue a)
    {
        ev.Warn($"can't negate {a.TypeName}");
        return FeelNull.Instance;
    }

    private static FeelDateTime ShiftExact(FeelDateTime d, TimeSpan by)
    {
        if (d.Zone is not null && FeelTemporal.FindZone(d.Zone) is { } zone)
        {
            return FeelTemporal.AtInstant(d.ToInstant() + by, d.Zone, zone);
        }
        return d with { Local = d.Local + by };
    }

    private static FeelDateTime ShiftLocal(FeelDateTime d, DateTime local)
    {
        if (d.Zone is not null && FeelTemporal.FindZone(d.Zone) is { } zone)
        {
            return FeelTemporal.Zoned(local, d.Zone, zone);
        }
        return d with { Local = local };
    }

    private static TimeSpan TimeOfDayUtc(FeelTime t)
    {
        var ticks = t.Local.Ticks - (t.Offset ?? TimeSpan.Zero).Ticks;
        ticks %= TicksPerDay;
        if (ticks < 0) ticks += TicksPerDay;
        return TimeSpan.FromTicks(ticks);
    }

    /// <summary>Order of two values of the same kind; null (no warning) when they are not comparable.</summary>
    public static int? Compare(FeelValue a, FeelValue b) => (a, b) switch
    {
        (FeelNumber x, FeelNumber y) => x.Value.CompareTo(y.Value),
        (FeelString x, FeelString y) => string.CompareOrdinal(x.Value, y.Value),
        (FeelDate x, FeelDate y) => x.Value.CompareTo(y.Value),
        (FeelDateTime x, FeelDateTime y) when (x.Offset is null) == (y.Offset is null) =>
            x.Offset is null ? x.Local.CompareTo(y.Local) : x.ToInstant().CompareTo(y.ToInstant()),
        (FeelTime x, FeelTime y) when (x.Offset is null) == (y.Offset is null) => TimeOfDayUtc(x).CompareTo(TimeOfDayUtc(y)),
        (FeelDaysTimeDuration x, FeelDaysTimeDuration y) => x.Value.CompareTo(y.Value),
        (FeelYearsMonthsDuration x, FeelYearsMonthsDuration y) => x.TotalMonths.CompareTo(y.TotalMonths),
        _ => null,
    };

    /// <summary>FEEL equality: null equals only null; values of different kinds are not comparable (null).</summary>
    public static bool? Equal(FeelValue a, FeelValue b)
    {
        if (a is FeelNull || b is FeelNull) return a is FeelNull && b is FeelNull;
        switch (a, b)
        {
            case (FeelBoolean x, FeelBoolean y):
                return x.Value == y.Value;
            case (FeelList x, FeelList y):
            {
                if (x.Items.Count != y.Items.Count) return false;
                for (var i = 0; i < x.Items.Count; i++)
                {
                    var e = Equal(x.Items[i], y.Items[i]);
                    if (e != true) return e;
                }
                return true;
            }
            case (FeelContext x, FeelContext y):
            {
                if (x.Entries.Count != y.Entries.Count) return false;
                foreach (var entry in x.Entries)
                {
                    if (!y.TryGet(entry.Key, out var other)) return false;
                    var e = Equal(entry.Value, other);
                    if (e != true) return e;
                }
                return true;
            }
            case (FeelRange x, FeelRange y):
                return x.Equals(y);
            case (FeelFunction x, FeelFunction y):
                return ReferenceEquals(x, y);
        }
        var c = Compare(a, b);
        return c is null ? null : c == 0;
    }

    /// <summary>True only when <paramref name="a"/> equals <paramref name="b"/> (no warning on a mismatch).</summary>
    public static bool Same(FeelValue a, FeelValue b) => Equal(a, b) == true;
}
