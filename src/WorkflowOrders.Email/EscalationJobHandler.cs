using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;

namespace WorkflowOrders.Email;

/// <summary>
/// Fires one level of a task's escalation ladder inside the job's transaction: finds who is told now (level 0 the
/// assignee or the candidates, level 1 the manager of the task's department, level 2 the general manager), writes the
/// emails to the outbox in each recipient's language and an <c>escalation</c> audit event on the instance's timeline.
/// </summary>
public sealed class EscalationJobHandler(EfWorkflowStore store, IMailDirectory directory, MailOptions mail, ICalendarProvider calendars) : IJobHandler
{
    public const string GmRole = "gm";

    public string Kind => JobKinds.Escalation;

    public async Task HandleAsync(JobExecution job, WorkflowDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var payload = JsonSerializer.Deserialize<EscalationPayload>(job.Payload ?? "null")
            ?? throw new InvalidOperationException($"Escalation job {job.Id} has no payload.");
        var uow = store.Join(db, job.Id);
        var task = await uow.FindUserTaskAsync(payload.TaskKey).ConfigureAwait(false);
        if (task is null || task.State != WorkflowOrders.Engine.Runtime.UserTaskState.Created || task.DueDate is not { } due)
        {
            return;
        }

        var instance = await uow.LoadInstanceAsync(task.InstanceKey).ConfigureAwait(false);
        var calendar = calendars.Find(instance?.CalendarId ?? "cn");
        var (recipients, department) = await RecipientsAsync(task, payload.Level, cancellationToken).ConfigureAwait(false);
        var holder = task.Assignee is null ? null : await directory.UserAsync(task.Assignee, cancellationToken).ConfigureAwait(false);
        var variables = instance?.Variables ?? [];
        var context = new EscalationMail(task, payload.Level, due, job.Now, calendar, holder?.DisplayName ?? task.Assignee,
            Text(variables["orderNo"]) ?? task.BusinessKey ?? "", CustomerName(variables["customer"]), mail.BaseUrl);

        foreach (var group in recipients.GroupBy(r => MailText.IsChinese(r.Language) ? "zh-CN" : "en"))
        {
            var (subject, text, html) = context.Render(group.Key);
            Outbox.Enqueue(db, new OutboxDraft
            {
                To = group.Select(r => r.Email).ToList(),
                Subject = subject,
                TextBody = text,
                HtmlBody = html,
                Language = group.Key,
                CauseKind = "escalation-" + payload.Level.ToString(CultureInfo.InvariantCulture),
                InstanceKey = task.InstanceKey,
                TaskKey = task.Key,
            }, job.Now, mail.MessageIdDomain);
        }

        db.AuditEvents.Add(new AuditEventRow
        {
            InstanceKey = task.InstanceKey,
            ElementId = task.ElementId,
            ElementInstanceKey = task.ElementInstanceKey,
            Kind = recipients.Count == 0 ? "escalation-unaddressed" : "escalation",
            Actor = "system",
            At = job.Now,
            Details = new JsonObject
            {
                ["level"] = payload.Level,
                ["taskKey"] = task.Key.ToString(CultureInfo.InvariantCulture),
                ["dueDate"] = due.ToString("O", CultureInfo.InvariantCulture),
                ["department"] = department,
                ["recipients"] = new JsonArray(recipients.Select(r => (JsonNode)JsonValue.Create(r.UserName.Length > 0 ? r.UserName : r.Email)!).ToArray()),
            }.ToJsonString(),
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Who is told at <paramref name="level"/>, and the task's department: the assignee's department, else the
    /// department of its first candidate group's role (<see cref="IMailDirectory.DepartmentOfRoleAsync"/>).
    /// </summary>
    public async Task<(IReadOnlyList<MailRecipient> Recipients, string? Department)> RecipientsAsync(UserTaskRecord task, int level, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var found = new Dictionary<string, MailRecipient>(StringComparer.OrdinalIgnoreCase);
        void Add(MailRecipient? r)
        {
            if (r is not null)
            {
                found.TryAdd(r.Email, r);
            }
        }

        var assignee = task.Assignee is null ? null : await directory.UserAsync(task.Assignee, cancellationToken).ConfigureAwait(false);
        var department = assignee?.DepartmentKey;
        if (department is null && task.CandidateGroups.Count > 0)
        {
            department = await directory.DepartmentOfRoleAsync(task.CandidateGroups[0], cancellationToken).ConfigureAwait(false);
        }

        switch (level)
        {
            case 0 when assignee is not null:
                Add(assignee);
                break;
            case 0:
                foreach (var r in await directory.UsersInRolesAsync(task.CandidateGroups.ToList(), cancellationToken).ConfigureAwait(false))
                {
                    Add(r);
                }

                foreach (var name in task.CandidateUsers)
                {
                    Add(await directory.UserAsync(name, cancellationToken).ConfigureAwait(false));
                }

                break;
            case 1:
                Add(department is null ? null : await directory.ManagerOfDepartmentAsync(department, cancellationToken).ConfigureAwait(false));
                break;
            default:
                foreach (var r in await directory.UsersInRolesAsync([GmRole], cancellationToken).ConfigureAwait(false))
                {
                    Add(r);
                }

                break;
        }

        return (found.Values.ToList(), department);
    }

    private static string? CustomerName(JsonNode? node) =>
        node is JsonObject o ? Text(o["name"]) ?? Text(o["code"]) : Text(node);

    private static string? Text(JsonNode? node) =>
        node is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : null;
}

/// <summary>The text of one escalation email, in either language.</summary>
internal sealed record EscalationMail(
    UserTaskRecord Task, int Level, DateTimeOffset Due, DateTimeOffset Now, IWorkingCalendar? Calendar,
    string? Holder, string OrderNo, string? Customer, string BaseUrl)
{
    public (string Subject, string Text, string Html) Render(string language)
    {
        var zh = MailText.IsChinese(language);
        var taskName = zh ? Task.Name ?? Task.ElementId : Task.Properties.GetValueOrDefault("name.en") ?? Task.Name ?? Task.ElementId;
        var overdueBy = Calendar is null
            ? WorkingTimeText.Format(Due - Now, TimeSpan.FromHours(24), language)
            : WorkingTimeText.Format(Calendar.WorkingTimeBetween(Now, Due), Calendar, language); // negative past the deadline: "overdue by …"
        var zone = Calendar?.TimeZone ?? TimeZoneInfo.Utc;
        var dueText = TimeZoneInfo.ConvertTime(Due, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " (" + zone.Id + ")";
        var tag = (Level, zh) switch
        {
            (0, true) => "逾期提醒",
            (1, true) => "逾期升级·部门经理",
            (_, true) => "逾期升级·总经理",
            (0, false) => "Overdue reminder",
            (1, false) => "Overdue escalation: department manager",
            _ => "Overdue escalation: general manager",
        };
        var holder = Holder ?? (zh ? "未认领（候选：" : "unclaimed (candidates: ") + string.Join(", ", Task.CandidateGroups.Concat(Task.CandidateUsers)) + (zh ? "）" : ")");
        var orderPart = string.IsNullOrEmpty(OrderNo) ? "" : (zh ? " · 订单 " : " · order ") + OrderNo;
        var customerPart = string.IsNullOrEmpty(Customer) ? "" : " · " + Customer;
        var subject = zh
            ? $"[{tag}] {taskName}{orderPart}{customerPart} · {overdueBy}"
            : $"[{tag}] {taskName}{orderPart}{customerPart} · {overdueBy}";
        var lead = zh
            ? $"步骤「{taskName}」已超过期限 {overdueBy}（按工作时间计）。"
            : $"The step \"{taskName}\" is {overdueBy} past its deadline (working time).";
        var link = MailText.Link(BaseUrl, "/tasks/" + Task.Key.ToString(CultureInfo.InvariantCulture));
        var (text, html) = new MailText(lead)
            .Line(zh ? "步骤" : "Step", taskName)
            .Line(zh ? "订单" : "Order", OrderNo)
            .Line(zh ? "客户" : "Customer", Customer)
            .Line(zh ? "期限" : "Due", dueText)
            .Line(zh ? "逾期（工作时间）" : "Overdue (working time)", overdueBy)
            .Line(zh ? "当前处理人" : "Held by", holder)
            .Finish(zh ? "打开任务" : "Open the task", link, zh ? "此邮件由 WorkflowOrders 自动发送（逾期升级）。" : "Sent automatically by WorkflowOrders (overdue escalation).");
        return (subject, text, html);
    }
}
