namespace WorkflowOrders.Persistence.Entities;

/// <summary>
/// One working-time calendar as an administrator last saved it: the same JSON as workflows/calendars/*.json
/// (docs/calendar.md), checked by <c>CalendarLoader</c> before it is written.
/// </summary>
public sealed class CalendarRow
{
    /// <summary>The calendar's id, equal to the "id" inside <see cref="Json"/>.</summary>
    public required string Id { get; set; }
    public required string Json { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The administrator's user name, or "seed" for a copy taken from workflows/calendars at start-up.</summary>
    public required string UpdatedBy { get; set; }
}
