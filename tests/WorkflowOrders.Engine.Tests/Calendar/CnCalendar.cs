using WorkflowOrders.Engine.Calendar;

namespace WorkflowOrders.Engine.Tests.Calendar;

/// <summary>The real workflows/calendars/cn.json as the test project copies it to its output.</summary>
internal static class CnCalendar
{
    private static readonly Lazy<WorkingCalendar> Loaded = new(() => WorkingCalendar.FromFile(FilePath));

    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "workflows", "calendars", "cn.json");

    public static WorkingCalendar Cn => Loaded.Value;

    public static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    /// <summary>A Shanghai wall-clock instant, e.g. At("2026-10-08 10:00").</summary>
    public static DateTimeOffset At(string local) =>
        new(DateTime.ParseExact(local, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), Shanghai);

    public static DateOnly Day(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
