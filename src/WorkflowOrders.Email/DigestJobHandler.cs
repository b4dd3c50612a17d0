using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;

namespace WorkflowOrders.Email;

/// <summary>
/// The daily digest (docs/email.md): one recurring job that runs at 08:30 on the working days of the <c>cn</c>
/// calendar and tells each department manager the open tasks of their area that are overdue or due today; the
/// general manager gets every area. Nobody is written to when their list is empty.
/// </summary>
public sealed class DigestJobHandler(EfWorkflowStore store, IMailDirectory directory, MailOptions mail, ICalendarProvider calendars) : IJobHandler
{
    public const string CalendarId = "cn";
    public const string JobType = "daily";
    public static readonly TimeOnly RunTime = new(8, 30);

    private readonly EscalationJobHandler _ladder = new(store, directory, mail, calendars);

    public string Kind => JobKinds.Digest;

    /// <summary>The first 08:30 of a working day (calendar zone) strictly after <paramref name="after"/>.</summary>
    public static DateTimeOffset NextRun(IWorkingCalendar calendar, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var local = TimeZoneInfo.ConvertTime(after, calendar.TimeZone);
        var day = DateOnly.FromDateTime(local.DateTime);
        for (var i = 0; i < 400; i++, day = day.AddDays(1))
        {
            if (!calendar.IsWorkingDay(day))
            {
                continue;
            }

            var wall = day.ToDateTime(RunTime);
            var at = new DateTimeOffset(wall, calendar.TimeZone.GetUtcOffset(wall));
            if (at > after)
            {
                return at;
            }
        }

        throw new InvalidOperationException($"Calendar '{calendar.Id}' has no working day within 400 days.");
    }

    /// <summary>
    /// Adds the digest job when none exists. Run at start-up on every node; two nodes starting in the same instant
    /// could both insert, which costs one duplicate digest a day until one row is deleted (see docs/email.md).
    /// </summary>
    public static async Task EnsureScheduledAsync(WorkflowDbContext db, ICalendarProvider calendars, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(calendars);
        if (calendars.Find(CalendarId) is not { } calendar
            || await db.Jobs.AnyAsync(j => j.Kind == JobKinds.Digest, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        // A fixed id below the identity range: nodes starting together cannot both add it (the primary key refuses the second).
        db.Jobs.Add(new JobRow { Id = ReservedJobId, Kind = JobKinds.Digest, Type = JobType, DueAt = NextRun(calendar, now), CreatedAt = now, MaxAttempts = 3 });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await db.Jobs.AsNoTracking().AnyAsync(j => j.Id == ReservedJobId, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }

            // Another node scheduled it first.
        }
    }

    /// <summary>The digest's one job row.</summary>
    public const long ReservedJobId = -1;

    public async Task HandleAsync(JobExecution job, WorkflowDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(db);
        var calendar = calendars.Find(CalendarId)
            ?? throw new InvalidOperationException($"The digest needs the '{CalendarId}' calendar.");
        job.RescheduleAt(NextRun(calendar, job.Now));

        var local = TimeZoneInfo.ConvertTime(job.Now, calendar.TimeZone);
        var today = DateOnly.FromDateTime(local.DateTime);
        if (!calendar.IsWorkingDay(today) || TimeOnly.FromDateTime(local.DateTime) < RunTime)
        {
            // A job leased early or on a day the calendar has since made a holiday only moves on.
            return;
        }

        var tomorrow = today.AddDays(1).ToDateTime(TimeOnly.MinValue);
        var endOfToday = new DateTimeOffset(tomorrow, calendar.TimeZone.GetUtcOffset(tomorrow));
        // DateTimeOffset comparisons are not translated on SQLite: the open tasks with a deadline are filtered here.
        var open = await db.UserTasks.AsNoTracking()
            .Where(t => t.State == WorkflowOrders.Persistence.Entities.UserTaskState.Created && t.DueDate != null)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var due = open.Where(t => t.DueDate < endOfToday).OrderBy(t => t.DueDate).ThenBy(t => t.Key).ToList();

        var uow = store.Join(db, job.Id);
        var lines = new List<DigestLine>();
        var byManager = new Dictionary<string, (MailRecipient Manager, List<DigestLine> Lines)>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in due)
        {
            var task = EfWorkflowStoreRows.ToRecord(row);
            var (managers, department) = await _ladder.RecipientsAsync(task, 1, cancellationToken).ConfigureAwait(false);
            var instance = await uow.LoadInstanceAsync(task.InstanceKey).ConfigureAwait(false);
            var holder = task.Assignee is null ? null : await directory.UserAsync(task.Assignee, cancellationToken).ConfigureAwait(false);
            var variables = instance?.Variables ?? [];
            var line = new DigestLine(task, Text(variables["orderNo"]) ?? task.BusinessKey ?? "", row.DueDate!.Value, holder?.DisplayName ?? task.Assignee, department);
            lines.Add(line);
            foreach (var manager in managers)
            {
                if (!byManager.TryGetValue(manager.Email, out var entry))
                {
                    entry = (manager, []);
                    byManager[manager.Email] = entry;
                }

                entry.Lines.Add(line);
            }
        }

        var outgoing = byManager.Values.ToList();
        if (lines.Count > 0)
        {
            foreach (var gm in await directory.UsersInRolesAsync([EscalationJobHandler.GmRole], cancellationToken).ConfigureAwait(false))
            {
                if (!byManager.ContainsKey(gm.Email))
                {
                    outgoing.Add((gm, lines));
                }
            }
        }

        foreach (var (recipient, list) in outgoing)
        {
            var language = MailText.IsChinese(recipient.Language) ? "zh-CN" : "en";
            var (subject, text, html) = new DigestMail(list, today, job.Now, calendar, mail.BaseUrl).Render(language);
            Outbox.Enqueue(db, new OutboxDraft
            {
                To = [recipient.Email],
                Subject = subject,
                TextBody = text,
                HtmlBody = html,
                Language = language,
                CauseKind = "digest",
            }, job.Now, mail.MessageIdDomain);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : null;
}

/// <summary>One task in a digest.</summary>
internal sealed record DigestLine(UserTaskRecord Task, string OrderNo, DateTimeOffset Due, string? Holder, string? Department);

/// <summary>The text of one digest email: a table of the tasks, in either language.</summary>
internal sealed record DigestMail(IReadOnlyList<DigestLine> Lines, DateOnly Day, DateTimeOffset Now, IWorkingCalendar Calendar, string BaseUrl)
{
    public (string Subject, string Text, string Html) Render(string language)
    {
        var zh = MailText.IsChinese(language);
        var dayText = Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var overdue = Lines.Count(l => l.Due <= Now);
        var subject = zh
            ? MailText.Invariant($"[每日待办] {dayText} · 逾期 {overdue} 项 · 今日到期 {Lines.Count - overdue} 项")
            : MailText.Invariant($"[Daily digest] {dayText} · {overdue} overdue · {Lines.Count - overdue} due today");
        string[] headers = zh
            ? ["步骤", "订单", "期限", "逾期/剩余（工作时间）", "当前处理人", "链接"]
            : ["Task", "Order", "Due", "Overdue by / due in (working time)", "Held by", "Link"];
        var text = new StringBuilder();
        var html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\"><p>");
        var lead = zh ? "您负责范围内逾期或今日到期的待办任务：" : "The open tasks of your area that are overdue or due today:";
        text.Append(lead).Append("\n\n");
        html.Append(WebUtility.HtmlEncode(lead)).Append("</p><table border=\"1\" cellpadding=\"4\" cellspacing=\"0\"><tr>");
        foreach (var h in headers)
        {
            html.Append("<th align=\"left\">").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var line in Lines)
        {
            var task = line.Task;
            var name = zh ? task.Name ?? task.ElementId : task.Properties.GetValueOrDefault("name.en") ?? task.Name ?? task.ElementId;
            var dueText = TimeZoneInfo.ConvertTime(line.Due, Calendar.TimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            // Signed the way the inbox shows it: "overdue by …" past the deadline, "due in …" for the rest of today.
            var overdueBy = WorkingTimeText.Format(Calendar.WorkingTimeBetween(Now, line.Due), Calendar, language);
            var holder = line.Holder ?? (zh ? "未认领" : "unclaimed");
            var link = MailText.Link(BaseUrl, "/tasks/" + task.Key.ToString(CultureInfo.InvariantCulture));
            string[] cells = [name, line.OrderNo, dueText, overdueBy, holder];
            text.Append("- ").Append(string.Join(" | ", cells)).Append(" | ").Append(link).Append('\n');
            html.Append("<tr>");
            foreach (var c in cells)
            {
                html.Append("<td>").Append(WebUtility.HtmlEncode(c)).Append("</td>");
            }

            html.Append("<td><a href=\"").Append(WebUtility.HtmlEncode(link)).Append("\">")
                .Append(zh ? "打开" : "Open").Append("</a></td></tr>");
        }

        var footer = zh ? "此邮件由 WorkflowOrders 每个工作日 08:30 自动发送。" : "Sent automatically by WorkflowOrders at 08:30 on working days.";
        text.Append("\n-- \n").Append(footer).Append('\n');
        html.Append("</table><hr><p style=\"color:#888\">").Append(WebUtility.HtmlEncode(footer)).Append("</p></body></html>");
        return (subject, text.ToString(), html.ToString());
    }
}
