using System.Globalization;
using System.Text.RegularExpressions;

namespace WorkflowOrders.Engine.Runtime;

/// <summary>ISO-8601 durations and repeating intervals as BPMN timers write them (PT15M, P1DT2H, P1M, R3/PT10M, R/P1D, R2/2026-01-01T08:00Z/P1D).</summary>
public static partial class IsoDurations
{
    [GeneratedRegex(@"^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex DurationPattern();

    /// <summary>Adds an ISO duration to an instant; years and months are calendar months (so P1M from Jan 31 lands on Feb 28).</summary>
    public static bool TryAdd(DateTimeOffset start, string text, out DateTimeOffset result)
    {
        result = start;
        var m = DurationPattern().Match(text.Trim());
        if (!m.Success || text.Trim() is "P" or "PT" or "-P")
        {
            return false;
        }

        var sign = m.Groups[1].Success ? -1 : 1;
        int Part(int i) => m.Groups[i].Success ? int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
        var seconds = m.Groups[8].Success ? double.Parse(m.Groups[8].Value.Replace(',', '.'), CultureInfo.InvariantCulture) : 0;
        var months = (Part(2) * 12) + Part(3);
        var span = new TimeSpan(Part(4) * 7 + Part(5), Part(6), Part(7), 0) + TimeSpan.FromSeconds(seconds);
        result = start.AddMonths(sign * months) + (sign * span);
        return true;
    }

    /// <summary>A days-time duration (no years/months) as a TimeSpan.</summary>
    public static bool TryParseTimeSpan(string text, out TimeSpan span)
    {
        span = default;
        var m = DurationPattern().Match(text.Trim());
        if (!m.Success || m.Groups[2].Success || m.Groups[3].Success)
        {
            return false;
        }

        var anchor = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        if (!TryAdd(anchor, text, out var end))
        {
            return false;
        }

        span = end - anchor;
        return true;
    }

    /// <summary>Parses R[n]/[start/]duration. Repetitions -1 means unbounded.</summary>
    public static bool TryParseCycle(string text, out int repetitions, out DateTimeOffset? start, out string duration)
    {
        repetitions = 0;
        start = null;
        duration = "";
        var parts = text.Trim().Split('/');
        if (parts.Length is < 2 or > 3 || !parts[0].StartsWith('R'))
        {
            return false;
        }

        var count = parts[0][1..];
        if (count.Length == 0)
        {
            repetitions = -1;
        }
        else if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out repetitions))
        {
            return false;
        }

        if (parts.Length == 3)
        {
            if (!DateTimeOffset.TryParse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s))
            {
                return false;
            }

            start = s;
        }

        duration = parts[^1];
        return TryParseTimeSpan(duration, out var span) && span > TimeSpan.Zero;
    }
}
