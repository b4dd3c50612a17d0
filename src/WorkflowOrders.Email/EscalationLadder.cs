using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Entities;

namespace WorkflowOrders.Email;

/// <summary>What an escalation job keeps: the task and the level (0 reminder, 1 department manager, 2 general manager).</summary>
public sealed record EscalationPayload(long TaskKey, int Level);

/// <summary>
/// Schedules the escalation ladder of a user task with a due date as three jobs (kind <c>escalation</c>) in the
/// transaction that creates the task, and deletes them in the transaction that ends it — so a crash can neither skip
/// nor repeat a level, and no level fires after the task ended. Recipients are resolved when a level fires, so a
/// reassigned task addresses its next level to the new holder. See docs/email.md.
/// </summary>
public sealed class EscalationLadder(EscalationOptions options, ICalendarProvider calendars) : IUserTaskObserver
{
    public const string ReminderProperty = "escalation.reminderDelay";
    public const string Level1Property = "escalation.level1Delay";
    public const string Level2Property = "escalation.level2Delay";

    public ValueTask OnCreatedAsync(UserTaskRecord task, InstanceState? instance, IWorkflowUnitOfWork unitOfWork)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!options.Enabled || task.DueDate is not { } due)
        {
            return ValueTask.CompletedTask;
        }

        var calendar = calendars.Find(instance?.CalendarId ?? "cn");
        var db = EfWorkflowStore.ContextOf(unitOfWork);
        var levels = Schedule(task, due, calendar);
        for (var level = 0; level < levels.Count; level++)
        {
            db.Jobs.Add(new JobRow
            {
                Kind = JobKinds.Escalation,
                Type = "level-" + level.ToString(System.Globalization.CultureInfo.InvariantCulture),
                InstanceKey = task.InstanceKey,
                ElementInstanceKey = task.ElementInstanceKey,
                Payload = JsonSerializer.Serialize(new EscalationPayload(task.Key, level)),
                DueAt = levels[level],
                CreatedAt = task.CreatedAt,
            });
        }

        return ValueTask.CompletedTask;
    }

    // The next level reads the assignee when it fires; nothing to move.
    public ValueTask OnAssignedAsync(UserTaskRecord task, string? previousAssignee, IWorkflowUnitOfWork unitOfWork) => ValueTask.CompletedTask;

    public async ValueTask OnEndedAsync(UserTaskRecord task, IWorkflowUnitOfWork unitOfWork)
    {
        ArgumentNullException.ThrowIfNull(task);
        var db = EfWorkflowStore.ContextOf(unitOfWork);
        // Levels added in this same unit of work are not in the database yet.
        foreach (var entry in db.ChangeTracker.Entries<JobRow>().Where(e => e.State == EntityState.Added && e.Entity.Kind == JobKinds.Escalation && e.Entity.ElementInstanceKey == task.ElementInstanceKey).ToList())
        {
            entry.State = EntityState.Detached;
        }

        await db.Jobs
            .Where(j => j.InstanceKey == task.InstanceKey && j.Kind == JobKinds.Escalation && j.ElementInstanceKey == task.ElementInstanceKey)
            .ExecuteDeleteAsync()
            .ConfigureAwait(false);
    }

    /// <summary>The instants of levels 0, 1 and 2 in working time of <paramref name="calendar"/> (24-hour days without one).</summary>
    public IReadOnlyList<DateTimeOffset> Schedule(UserTaskRecord task, DateTimeOffset due, IWorkingCalendar? calendar)
    {
        ArgumentNullException.ThrowIfNull(task);
        var reminder = Delay(task, ReminderProperty, options.ReminderDelay);
        var level1 = Delay(task, Level1Property, options.Level1Delay);
        var level2 = Delay(task, Level2Property, options.Level2Delay);
        var at0 = Add(due, reminder, calendar);
        var at1 = Add(due, level1, calendar);
        var at2 = Add(at1, level2, calendar);
        return [at0, at1, at2];
    }

    private static WorkingDuration Delay(UserTaskRecord task, string property, string fallback) =>
        task.Properties.TryGetValue(property, out var text) && WorkingDuration.TryParse(text, out var own) ? own
        : WorkingDuration.TryParse(fallback, out var company) ? company
        : throw new InvalidOperationException($"The escalation delay '{fallback}' is not an ISO-8601 duration (e.g. PT4H, P1D).");

    private static DateTimeOffset Add(DateTimeOffset start, WorkingDuration delay, IWorkingCalendar? calendar)
    {
        if (calendar is null)
        {
            return start + TimeSpan.FromDays((double)delay.Days) + delay.Time;
        }

        var total = TimeSpan.FromTicks((long)(calendar.WorkingDayLength.Ticks * delay.Days)) + delay.Time;
        return total == TimeSpan.Zero ? start : calendar.AddWorkingTime(start, total);
    }
}
