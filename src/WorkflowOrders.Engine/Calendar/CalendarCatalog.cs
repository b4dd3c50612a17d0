using WorkflowOrders.Engine.Ports;

namespace WorkflowOrders.Engine.Calendar;

/// <summary>The company's calendars by id (the files of workflows/calendars, or calendars an administrator edited).</summary>
public sealed class CalendarCatalog : ICalendarProvider
{
    private readonly Dictionary<string, IWorkingCalendar> _calendars;

    public CalendarCatalog(IEnumerable<IWorkingCalendar> calendars)
    {
        ArgumentNullException.ThrowIfNull(calendars);
        _calendars = calendars.ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<IWorkingCalendar> All => _calendars.Values;

    public IWorkingCalendar? Find(string calendarId) => _calendars.GetValueOrDefault(calendarId);

    /// <summary>Loads every *.json calendar in a folder; a malformed file throws <see cref="CalendarFileException"/> naming it.</summary>
    public static CalendarCatalog LoadDirectory(string directory) =>
        new(Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(WorkingCalendar.FromFile));
}
