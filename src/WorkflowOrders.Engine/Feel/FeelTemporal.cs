using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace WorkflowOrders.Engine.Feel;

/// <summary>Parsing and printing of FEEL temporal values (ISO 8601 text, the forms of camunda-rest-v2.md §11).</summary>
internal static class FeelTemporal
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Zones = new(StringComparer.Ordinal);

    public static TimeZoneInfo? FindZone(string id) =>
        Zones.GetOrAdd(id, static key =>
        {
            if (key is "Z" or "UTC" or "Etc/UTC") return TimeZoneInfo.Utc;
            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(key);
            }
            catch (TimeZoneNotFoundException)
            {
                return null;
            }
            catch (InvalidTimeZoneException)
            {
                return null;
            }
        });

    /// <summary>The instant of a local date-time in a zone (a skipped local time moves forward by the gap).</summary>
    public static DateTimeOffset InZone(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    public static FeelDateTime Zoned(DateTime local, string zoneId, TimeZoneInfo zone)
    {
        var instant = InZone(local, zone);
        return new FeelDateTime(instant.DateTime, instant.Offset, zoneId);
    }

    /// <summary>The same instant shown in a zone (keeps the zone id).</summary>
    public static FeelDateTime AtInstant(DateTimeOffset instant, string zoneId, TimeZoneInfo zone)
    {
        var shown = TimeZoneInfo.ConvertTime(instant, zone);
        return new FeelDateTime(shown.DateTime, shown.Offset, zoneId);
    }

    // ---------- parsing ----------

    public static FeelDate? ParseDate(string text)
    {
        var p = 0;
        return TryDate(text, ref p, out var date) && p == text.Length ? new FeelDate(date) : null;
    }

    public static FeelTime? ParseTime(string text)
    {
        var p = 0;
        if (!TryTimeOfDay(text, ref p, out var time)) return null;
        if (!TryZonePart(text, ref p, out var offset, out var zone, allowBracket: false) || p != text.Length) return null;
        if (zone is not null)
        {
            var info = FindZone(zone);
            if (info is null) return null;
            offset = info.BaseUtcOffset;
        }
        return new FeelTime(time, offset, zone);
    }

    public static FeelDateTime? ParseDateTime(string text)
    {
        var p = 0;
        if (!TryDate(text, ref p, out var date) || p >= text.Length || text[p] != 'T') return null;
        p++;
        if (!TryTimeOfDay(text, ref p, out var time)) return null;
        if (!TryZonePart(text, ref p, out var offset, out var zone, allowBracket: true) || p != text.Length) return null;
        var local = date.ToDateTime(time);
        if (zone is null) return new FeelDateTime(local, offset, null);
        var info = FindZone(zone);
        if (info is null) return null;
        if (offset is not null && !info.IsInvalidTime(local) && info.GetUtcOffset(local) != offset.Value)
        {
            // "…+09:00[Asia/Shanghai]": the offset names the instant; show it in the zone.
            return AtInstant(new DateTimeOffset(local, offset.Value), zone, info);
        }
        return Zoned(local, zone, info);
    }

    private static bool TryDate(string s, ref int p, out DateOnly date)
    {
        date = default;
        var start = p;
        if (p < s.Length && s[p] == '-') p++;
        var yearStart = p;
        while (p < s.Length && char.IsAsciiDigit(s[p])) p++;
        if (p - yearStart < 4 || p - yearStart > 9) return false;
        if (!int.TryParse(s.AsSpan(start, p - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var year)) return false;
        if (!Expect(s, ref p, '-') || !TwoDigits(s, ref p, out var month) || !Expect(s, ref p, '-') || !TwoDigits(s, ref p, out var day)) return false;
        if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool TryTimeOfDay(string s, ref int p, out TimeOnly time)
    {
        time = default;
        if (!TwoDigits(s, ref p, out var hour) || !Expect(s, ref p, ':') || !TwoDigits(s, ref p, out var minute)) return false;
        var second = 0;
        long ticks = 0;
        if (p < s.Length && s[p] == ':')
        {
            p++;
            if (!TwoDigits(s, ref p, out second)) return false;
            if (p < s.Length && s[p] == '.')
            {
                p++;
                var digits = 0;
                long scale = TimeSpan.TicksPerSecond;
                while (p < s.Length && char.IsAsciiDigit(s[p]))
                {
                    scale /= 10;
                    ticks += (s[p] - '0') * scale;
                    p++;
                    digits++;
                }
                if (digits == 0) return false;
            }
        }
        if (hour == 24 && minute == 0 && second == 0 && ticks == 0) hour = 0;
        if (hour > 23 || minute > 59 || second > 59) return false;
        time = new TimeOnly(new TimeSpan(hour, minute, second).Ticks + ticks);
        return true;
    }

    private static bool TryZonePart(string s, ref int p, out TimeSpan? offset, out string? zone, bool allowBracket)
    {
        offset = null;
        zone = null;
        if (p == s.Length) return true;
        var c = s[p];
        if (c == 'Z')
        {
            p++;
            offset = TimeSpan.Zero;
        }
        else if (c is '+' or '-')
        {
            var negative = c == '-';
            p++;
            if (!TwoDigits(s, ref p, out var hours)) return false;
            var minutes = 0;
            if (p < s.Length && s[p] == ':')
            {
                p++;
                if (!TwoDigits(s, ref p, out minutes)) return false;
            }
            if (hours > 18 || minutes > 59) return false;
            var span = new TimeSpan(hours, minutes, 0);
            offset = negative ? -span : span;
        }
        else if (c == '@')
        {
            zone = s[(p + 1)..];
            p = s.Length;
            return zone.Length > 0;
        }
        if (allowBracket && p < s.Length && s[p] == '[' && s[^1] == ']' && offset is not null)
        {
            zone = s[(p + 1)..^1];
            p = s.Length;
            return zone.Length > 0;
        }
        return true;
    }

    private static bool Expect(string s, ref int p, char c)
    {
        if (p < s.Length && s[p] == c)
        {
            p++;
            return true;
        }
        return false;
    }

    private static bool TwoDigits(string s, ref int p, out int value)
    {
        value = 0;
        if (p + 1 >= s.Length || !char.IsAsciiDigit(s[p]) || !char.IsAsciiDigit(s[p + 1])) return false;
        value = ((s[p] - '0') * 10) + (s[p + 1] - '0');
        p += 2;
        return true;
    }

    /// <summary>ISO 8601 duration: P[nY][nM][nW][nD][T[nH][nM][n[.f]S]], optionally negative; years/months and days/time may not mix.</summary>
    public static FeelValue? ParseDuration(string text)
    {
        var p = 0;
        var negative = false;
        if (p < text.Length && text[p] == '-')
        {
            negative = true;
            p++;
        }
        if (p >= text.Length || text[p] != 'P') return null;
        p++;
        long years = 0, months = 0, days = 0;
        decimal hours = 0, minutes = 0, seconds = 0;
        bool inTime = false, any = false, yearMonth = false, dayTime = false;
        while (p < text.Length)
        {
            if (text[p] == 'T')
            {
                if (inTime) return null;
                inTime = true;
                p++;
                if (p == text.Length) return null;
                continue;
            }
            var start = p;
            while (p < text.Length && (char.IsAsciiDigit(text[p]) || text[p] == '.')) p++;
            if (p == start || p == text.Length) return null;
            if (!decimal.TryParse(text.AsSpan(start, p - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return null;
            var unit = text[p++];
            var whole = n == decimal.Truncate(n);
            if (n > 1_000_000_000m) return null;
            switch (inTime, unit)
            {
                case (false, 'Y') when whole: years = (long)n; yearMonth = true; break;
                case (false, 'M') when whole: months = (long)n; yearMonth = true; break;
                case (false, 'W') when whole: days += (long)n * 7; dayTime = true; break;
                case (false, 'D') when whole: days += (long)n; dayTime = true; break;
                case (true, 'H'): hours = n; dayTime = true; break;
                case (true, 'M'): minutes = n; dayTime = true; break;
                case (true, 'S'): seconds = n; dayTime = true; break;
                default: return null;
            }
            any = true;
        }
        if (!any || (yearMonth && dayTime)) return null;
        if (yearMonth)
        {
            var total = (years * 12) + months;
            if (total > int.MaxValue) return null;
            return new FeelYearsMonthsDuration((int)(negative ? -total : total));
        }
        var totalSeconds = (days * 86400m) + (hours * 3600m) + (minutes * 60m) + seconds;
        if (totalSeconds > (decimal)TimeSpan.MaxValue.TotalSeconds / 2) return null;
        var span = TimeSpan.FromTicks((long)(totalSeconds * TimeSpan.TicksPerSecond));
        return new FeelDaysTimeDuration(negative ? -span : span);
    }

    // ---------- printing ----------

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>HH:mm, then :ss only when seconds or fractions are not zero (as Java's ISO printers do).</summary>
    private static void AppendClock(StringBuilder sb, TimeSpan timeOfDay, bool alwaysSeconds)
    {
        sb.Append(timeOfDay.Hours.ToString("00", CultureInfo.InvariantCulture)).Append(':')
          .Append(timeOfDay.Minutes.ToString("00", CultureInfo.InvariantCulture));
        var fraction = timeOfDay.Ticks % TimeSpan.TicksPerSecond;
        if (alwaysSeconds || timeOfDay.Seconds != 0 || fraction != 0)
        {
            sb.Append(':').Append(timeOfDay.Seconds.ToString("00", CultureInfo.InvariantCulture));
            if (fraction != 0)
            {
                var digits = fraction.ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0');
                // Java prints fractions in groups of three digits.
                var length = (digits.Length + 2) / 3 * 3;
                sb.Append('.').Append(digits.PadRight(length, '0'));
            }
        }
    }

    private static void AppendOffset(StringBuilder sb, TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
        {
            sb.Append('Z');
            return;
        }
        sb.Append(offset < TimeSpan.Zero ? '-' : '+');
        var abs = offset.Duration();
        sb.Append(abs.Hours.ToString("00", CultureInfo.InvariantCulture)).Append(':').Append(abs.Minutes.ToString("00", CultureInfo.InvariantCulture));
    }

    public static string FormatTime(FeelTime time)
    {
        var sb = new StringBuilder(24);
        var hasZone = time.Offset is not null || time.Zone is not null;
        AppendClock(sb, time.Local.ToTimeSpan(), alwaysSeconds: hasZone);
        if (time.Zone is not null)
        {
            sb.Append('@').Append(time.Zone);
        }
        else if (time.Offset is { } offset)
        {
            AppendOffset(sb, offset);
        }
        return sb.ToString();
    }

    public static string FormatDateTime(FeelDateTime dt)
    {
        var sb = new StringBuilder(48);
        sb.Append(FormatDate(DateOnly.FromDateTime(dt.Local))).Append('T');
        AppendClock(sb, dt.Local.TimeOfDay, alwaysSeconds: false);
        if (dt.Offset is { } offset) AppendOffset(sb, offset);
        if (dt.Zone is not null) sb.Append('[').Append(dt.Zone).Append(']');
        return sb.ToString();
    }

    public static string FormatDuration(TimeSpan span)
    {
        if (span == TimeSpan.Zero) return "P0D";
        var sb = new StringBuilder(24);
        if (span < TimeSpan.Zero)
        {
            sb.Append('-');
            span = span.Duration();
        }
        sb.Append('P');
        if (span.Days > 0) sb.Append(span.Days.ToString(CultureInfo.InvariantCulture)).Append('D');
        if (span.Hours > 0 || span.Minutes > 0 || span.Seconds > 0)
        {
            sb.Append('T');
            if (span.Hours > 0) sb.Append(span.Hours.ToString(CultureInfo.InvariantCulture)).Append('H');
            if (span.Minutes > 0) sb.Append(span.Minutes.ToString(CultureInfo.InvariantCulture)).Append('M');
            if (span.Seconds > 0) sb.Append(span.Seconds.ToString(CultureInfo.InvariantCulture)).Append('S');
        }
        return sb.Length == 1 || (sb.Length == 2 && sb[0] == '-') ? "P0D" : sb.ToString();
    }

    public static string FormatDuration(FeelYearsMonthsDuration duration)
    {
        var total = duration.TotalMonths;
        if (total == 0) return "P0Y";
        var sb = new StringBuilder(12);
        if (total < 0) sb.Append('-');
        var abs = Math.Abs((long)total);
        sb.Append('P');
        if (abs / 12 > 0) sb.Append((abs / 12).ToString(CultureInfo.InvariantCulture)).Append('Y');
        if (abs % 12 > 0) sb.Append((abs % 12).ToString(CultureInfo.InvariantCulture)).Append('M');
        return sb.ToString();
    }

    /// <summary>How a value is written inside a list or context text: strings quoted, others as their string().</summary>
    public static string Literal(FeelValue value) => value switch
    {
        FeelString s => "\"" + s.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        _ => value.ToFeelString(),
    };
}
