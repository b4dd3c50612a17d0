using WorkflowOrders.Engine.Calendar;

namespace WorkflowOrders.Engine.Ports;

/// <summary>Finds the working calendar an instance counts its deadlines in.</summary>
public interface ICalendarProvider
{
    /// <summary>The calendar with this id, or null when there is none (deadline functions then warn and give null).</summary>
    IWorkingCalendar? Find(string calendarId);
}
