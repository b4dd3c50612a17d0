using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Email.Tests.Support;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Keys;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Email.Tests;

/// <summary>
/// The ladder on the 2026 calendar of China with the real engine, EF store (SQLite) and job executor on a fake clock.
/// The task is started on Saturday 2026-02-14 (a make-up working day) and due at 16:00; the Spring Festival holidays
/// (Feb 15–23) follow, so level 1 (+4 working hours) falls on Tuesday Feb 24 at 11:00 and level 2 (+1 working day)
/// on Wednesday Feb 25 at 11:00.
/// </summary>
public sealed class EscalationLadderTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-02-14T14:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly DateTimeOffset Due = Start.AddHours(2);
    private static readonly DateTimeOffset Level1 = DateTimeOffset.Parse("2026-02-24T11:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly DateTimeOffset Level2 = DateTimeOffset.Parse("2026-02-25T11:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);

    private readonly SqliteDatabase _db = new();
    private readonly AiosmtpdServer _smtp = new();
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly KeyAllocator _keys = new();
    private readonly CalendarCatalog _calendars = CalendarCatalog.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "workflows", "calendars"));
    private readonly WorkflowRuntime _runtime;
    private readonly JobExecutor _executor;

    public EscalationLadderTests()
    {
        var keys = new EfKeyGenerator(_db.Factory);
        var store = new EfWorkflowStore(_db.Factory, keys);
        var engine = new WorkflowEngine(new EngineServices { Time = _clock, Keys = keys, Calendars = _calendars });
        _runtime = new WorkflowRuntime(engine, store, [new EscalationLadder(new EscalationOptions(), _calendars)]);
        var mail = new MailOptions
        {
            Transport = MailTransportKind.Smtp,
            BaseUrl = "https://orders.example.test",
            Smtp = new SmtpOptions { Host = "127.0.0.1", Port = _smtp.Port, TimeoutSeconds = 10 },
        };
        _executor = new JobExecutor(
            _db.Factory,
            [new TimerJobHandler(_runtime, store), new EscalationJobHandler(store, new LadderBpmn.Directory(), mail, _calendars), new OutboxSendJobHandler(new SystemNetMailTransport(mail), mail)],
            new JobExecutorOptions { OwnerId = "test", WorkerCount = 1, BatchSize = 100 },
            _clock,
            _keys);
    }

    public void Dispose()
    {
        _smtp.Dispose();
        _db.Dispose();
        _keys.Dispose();
    }

    [Fact]
    public async Task Ladder_TaskDueBeforeHolidayBlock_WalksAllLevelsAndEscalatesAfterTheHolidays()
    {
        _smtp.Start();
        var task = await StartAsync();
        Assert.Equal([Due, Level1, Level2], (await LadderJobsAsync()).Select(j => j.DueAt!.Value));

        await RunAtAsync(Due);
        var reminder = Assert.Single(await OutboxAsync());
        Assert.Equal("zhang.wei@example.test", reminder.ToAddresses);
        Assert.Equal("escalation-0", reminder.CauseKind);
        Assert.Equal(task.Key, reminder.TaskKey);

        // Deep in the holiday block, a calendar-day delay would long have escalated; working time has not moved.
        await RunAtAsync(DateTimeOffset.Parse("2026-02-22T12:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single(await OutboxAsync());

        await RunAtAsync(Level1.AddMinutes(-1));
        Assert.Single(await OutboxAsync());
        await RunAtAsync(Level1);
        var manager = (await OutboxAsync())[1];
        Assert.Equal("liu.yang@example.test", manager.ToAddresses);
        Assert.Equal("[逾期升级·部门经理] 评审订单 · 订单 ORD-2026-0042 · 宁波海天 · 已超期4个工作小时", manager.Subject);
        Assert.Contains("当前处理人: 未认领（候选：sales）", manager.TextBody, StringComparison.Ordinal);
        Assert.Contains("2026-02-14 16:00 (Asia/Shanghai)", manager.TextBody, StringComparison.Ordinal);

        await RunAtAsync(Level2);
        var outbox = await OutboxAsync();
        Assert.Equal(3, outbox.Count);
        Assert.Equal("gm@example.test", outbox[2].ToAddresses);
        Assert.All(outbox, m => Assert.Equal(OutboxStatus.Sent, m.Status));
        Assert.Empty(await LadderJobsAsync());
        Assert.Equal(3, await AuditCountAsync("escalation"));

        var gmMail = MimeText.Decode(Assert.Single(_smtp.Messages(), m => m.Contains("gm@example.test", StringComparison.Ordinal)));
        Assert.Contains("Content-Language: zh-CN", gmMail, StringComparison.Ordinal);
        Assert.Contains($"https://orders.example.test/tasks/{task.Key}", gmMail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ladder_TaskCompletedBetweenLevels_StopsAndDeletesTheRemainingLevels()
    {
        var task = await StartAsync();
        await RunAtAsync(Due);
        Assert.Equal(2, (await LadderJobsAsync()).Count);

        await _runtime.CompleteUserTaskAsync(task.Key, null, "zhang.wei");

        Assert.Empty(await LadderJobsAsync());
        await RunAtAsync(Level2.AddDays(3));
        Assert.Equal(["escalation-0"], (await OutboxAsync()).Select(m => m.CauseKind));
    }

    [Fact]
    public async Task Ladder_TaskReassigned_AddressesNextLevelsToNewHolderAndTheirDepartment()
    {
        _smtp.Start();
        var task = await StartAsync();
        await _runtime.AssignUserTaskAsync(task.Key, "alice", "liu.yang");

        await RunAtAsync(Due);
        await RunAtAsync(Level1);

        var outbox = await OutboxAsync();
        Assert.Equal(["alice@example.test", "lin.fang@example.test"], outbox.Select(m => m.ToAddresses));
        Assert.Equal("en", outbox[0].Language);
        Assert.StartsWith("[Overdue reminder] Review the order · order ORD-2026-0042", outbox[0].Subject, StringComparison.Ordinal);
        var received = MimeText.Decode(Assert.Single(_smtp.Messages(), m => m.Contains("alice@example.test", StringComparison.Ordinal)));
        Assert.Contains("Content-Language: en", received, StringComparison.Ordinal);
        Assert.Contains("Held by: Alice", received, StringComparison.Ordinal);
        Assert.Contains($"https://orders.example.test/tasks/{task.Key}", received, StringComparison.Ordinal);
    }

    [Fact]
    public void Schedule_TaskPropertiesOverrideDelays_CountsInWorkingTime()
    {
        var ladder = new EscalationLadder(new EscalationOptions(), _calendars);
        var task = new UserTaskRecord
        {
            Properties = new Dictionary<string, string> { [EscalationLadder.ReminderProperty] = "PT1H", [EscalationLadder.Level1Property] = "PT2H", [EscalationLadder.Level2Property] = "P2D" },
        };

        var levels = ladder.Schedule(task, Due, _calendars.Find("cn"));

        Assert.Equal(Due.AddHours(1), levels[0]);
        Assert.Equal(DateTimeOffset.Parse("2026-02-24T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), levels[1]);
        Assert.Equal(DateTimeOffset.Parse("2026-02-26T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), levels[2]);
    }

    private async Task<UserTaskRecord> StartAsync()
    {
        await _runtime.DeployAsync([new DeploymentResource("ladder.bpmn", LadderBpmn.Xml)], "test");
        var instance = await _runtime.StartInstanceAsync("ladder", new JsonObject { ["orderNo"] = "ORD-2026-0042", ["customer"] = "宁波海天" }, "ORD-2026-0042");
        await using var db = _db.Factory.CreateDbContext();
        var row = await db.UserTasks.AsNoTracking().SingleAsync(t => t.InstanceKey == instance.Key);
        Assert.Equal(Due, row.DueDate);
        await using var uow = await _runtime.Store.BeginAsync();
        return (await uow.FindUserTaskAsync(row.Key))!;
    }

    private async Task RunAtAsync(DateTimeOffset instant)
    {
        _clock.SetTo(instant);
        while (await _executor.RunOnceAsync() > 0)
        {
        }
    }

    private async Task<List<JobRow>> LadderJobsAsync()
    {
        await using var db = _db.Factory.CreateDbContext();
        return await db.Jobs.AsNoTracking().Where(j => j.Kind == JobKinds.Escalation).OrderBy(j => j.DueAt).ToListAsync();
    }

    private async Task<List<OutboxMessageRow>> OutboxAsync()
    {
        await using var db = _db.Factory.CreateDbContext();
        return await db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    private async Task<int> AuditCountAsync(string kind)
    {
        await using var db = _db.Factory.CreateDbContext();
        return await db.AuditEvents.CountAsync(a => a.Kind == kind);
    }
}
