using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Email.Tests.Support;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Keys;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Email.Tests;

/// <summary>
/// The daily digest on the 2026 calendar of China with the job executor on a fake clock: National Day holidays run
/// Oct 1–7 and Saturday Oct 10 is a make-up working day. Sales tasks go to liu.yang, quality tasks to lin.fang, all
/// to the general manager (<see cref="LadderBpmn.Directory"/>).
/// </summary>
public sealed class DigestJobHandlerTests : IDisposable
{
    private readonly SqliteDatabase _db = new();
    private readonly FakeTimeProvider _clock = FakeTimeProvider.At("2026-09-30T12:00:00+08:00");
    private readonly KeyAllocator _keys = new();
    private readonly CalendarCatalog _calendars = CalendarCatalog.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "workflows", "calendars"));
    private readonly JobExecutor _executor;

    public DigestJobHandlerTests()
    {
        var store = new EfWorkflowStore(_db.Factory, new EfKeyGenerator(_db.Factory));
        var mail = new MailOptions { BaseUrl = "https://orders.example.test" };
        _executor = new JobExecutor(
            _db.Factory,
            [new DigestJobHandler(store, new LadderBpmn.Directory(), mail, _calendars), new NoSend()],
            new JobExecutorOptions { OwnerId = "test", WorkerCount = 1, BatchSize = 100 },
            _clock,
            _keys);
    }

    public void Dispose()
    {
        _db.Dispose();
        _keys.Dispose();
    }

    [Fact]
    public async Task EnsureScheduled_CalledTwice_AddsOneJobAtTheNextWorkingDayAfterTheHolidays()
    {
        await EnsureAsync();
        await EnsureAsync();

        var job = Assert.Single(await DigestJobsAsync());
        Assert.Equal(At("2026-10-08T08:30"), job.DueAt);
    }

    [Fact]
    public async Task Digest_HolidayWeekendAndMakeUpDay_FiresOnlyAt0830OnWorkingDays()
    {
        await SeedAsync(Task(1, "sales", "2026-09-29T10:00"));
        await EnsureAsync();

        await RunAtAsync("2026-10-01T08:30");
        Assert.Empty(await OutboxAsync());

        await RunAtAsync("2026-10-08T08:29");
        Assert.Empty(await OutboxAsync());

        await RunAtAsync("2026-10-08T08:30");
        Assert.Equal(2, (await OutboxAsync()).Count);
        Assert.Equal(At("2026-10-09T08:30"), Assert.Single(await DigestJobsAsync()).DueAt);

        await RunAtAsync("2026-10-09T08:30");
        Assert.Equal(At("2026-10-10T08:30"), Assert.Single(await DigestJobsAsync()).DueAt);

        await RunAtAsync("2026-10-10T08:30");
        Assert.Equal(6, (await OutboxAsync()).Count);
        Assert.Equal(At("2026-10-12T08:30"), Assert.Single(await DigestJobsAsync()).DueAt);

        await RunAtAsync("2026-10-11T08:30");
        Assert.Equal(6, (await OutboxAsync()).Count);
    }

    [Fact]
    public async Task Digest_ManagerWithNothingDue_GetsNoEmail()
    {
        await SeedAsync(Task(1, "sales", "2026-09-29T10:00"), Task(2, "quality", "2026-10-12T10:00"));
        await EnsureAsync();

        await RunAtAsync("2026-10-08T08:30");

        var to = (await OutboxAsync()).Select(m => m.ToAddresses).Order().ToList();
        Assert.Equal(["gm@example.test", "liu.yang@example.test"], to);
    }

    [Fact]
    public async Task Digest_NobodyHasAnything_WritesNoEmail()
    {
        await SeedAsync(Task(1, "sales", "2026-10-12T10:00"));
        await EnsureAsync();

        await RunAtAsync("2026-10-08T08:30");

        Assert.Empty(await OutboxAsync());
        Assert.Single(await DigestJobsAsync());
    }

    [Fact]
    public async Task Digest_Content_ListsOverdueAndDueTodayOpenTasksOfTheAreaAndAllAreasToTheGm()
    {
        var done = Task(4, "sales", "2026-09-29T10:00");
        done.State = UserTaskState.Completed;
        await SeedAsync(
            Task(1, "sales", "2026-09-30T16:30"),
            Task(2, "quality", "2026-10-08T15:00"),
            Task(3, "sales", "2026-10-09T09:00"),
            done);
        await EnsureAsync();

        await RunAtAsync("2026-10-08T08:30");

        var mails = await OutboxAsync();
        var sales = Assert.Single(mails, m => m.ToAddresses == "liu.yang@example.test");
        Assert.Contains("步骤一", sales.TextBody, StringComparison.Ordinal);
        Assert.Contains("SO-1", sales.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("2026-09-30 16:30", sales.TextBody, StringComparison.Ordinal);
        Assert.Contains("已超期1个工作小时", sales.TextBody, StringComparison.Ordinal);
        Assert.Contains("张伟", sales.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://orders.example.test/tasks/1", sales.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("步骤三", sales.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("步骤四", sales.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("步骤二", sales.TextBody, StringComparison.Ordinal);
        Assert.Equal("digest", sales.CauseKind);
        Assert.Equal("zh-CN", sales.Language);

        var quality = Assert.Single(mails, m => m.ToAddresses == "lin.fang@example.test");
        Assert.Contains("步骤二", quality.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("步骤一", quality.TextBody, StringComparison.Ordinal);
        Assert.Contains("还剩6个工作小时", quality.TextBody, StringComparison.Ordinal);

        var gm = Assert.Single(mails, m => m.ToAddresses == "gm@example.test");
        Assert.Contains("步骤一", gm.TextBody, StringComparison.Ordinal);
        Assert.Contains("步骤二", gm.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("步骤三", gm.TextBody, StringComparison.Ordinal);
        Assert.Equal(3, mails.Count);
    }

    private static readonly string[] Names = ["", "步骤一", "步骤二", "步骤三", "步骤四"];

    private static DateTimeOffset At(string local) =>
        DateTimeOffset.Parse(local + ":00+08:00", CultureInfo.InvariantCulture);

    /// <summary>A sales task is held by zhang.wei; a quality task waits for its candidate group.</summary>
    private static UserTaskRow Task(long key, string area, string due) => new()
    {
        Key = key,
        InstanceKey = 100 + key,
        ElementInstanceKey = 200 + key,
        ElementId = "Step" + key.ToString(CultureInfo.InvariantCulture),
        Name = Names[key],
        BpmnProcessId = "order-review",
        BusinessKey = "SO-" + key.ToString(CultureInfo.InvariantCulture),
        State = UserTaskState.Created,
        Assignee = area == "sales" ? "zhang.wei" : null,
        CandidateGroups = area,
        DueDate = At(due),
        CreatedAt = At("2026-09-28T09:00"),
    };

    private async Task SeedAsync(params UserTaskRow[] tasks)
    {
        await using var db = _db.Factory.CreateDbContext();
        db.UserTasks.AddRange(tasks);
        await db.SaveChangesAsync();
    }

    private async Task EnsureAsync()
    {
        await using var db = _db.Factory.CreateDbContext();
        await DigestJobHandler.EnsureScheduledAsync(db, _calendars, _clock.GetUtcNow(), CancellationToken.None);
    }

    private async Task RunAtAsync(string local)
    {
        _clock.SetTo(At(local));
        while (await _executor.RunOnceAsync() > 0)
        {
        }
    }

    private async Task<List<JobRow>> DigestJobsAsync()
    {
        await using var db = _db.Factory.CreateDbContext();
        return await db.Jobs.AsNoTracking().Where(j => j.Kind == JobKinds.Digest).ToListAsync();
    }

    private async Task<List<OutboxMessageRow>> OutboxAsync()
    {
        await using var db = _db.Factory.CreateDbContext();
        return await db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    /// <summary>Takes the outbox's sender jobs off the queue: these tests read the outbox rows, not SMTP.</summary>
    private sealed class NoSend : IJobHandler
    {
        public string Kind => JobKinds.Email;

        public Task HandleAsync(JobExecution job, WorkflowDbContext db, CancellationToken cancellationToken) => System.Threading.Tasks.Task.CompletedTask;
    }
}
