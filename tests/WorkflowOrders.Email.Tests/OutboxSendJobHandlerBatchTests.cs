using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Email.Tests.Support;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Keys;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Email.Tests;

/// <summary>
/// On PostgreSQL one sender job delivers a batch: its own message and further due ones whose jobs it locks. The
/// executor leases one job per poll here, so everything else a run sends came through the batch.
/// </summary>
public sealed partial class OutboxSendJobHandlerBatchTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>, IDisposable
{
    private readonly AiosmtpdServer _smtp = new();
    private readonly FakeTimeProvider _clock = FakeTimeProvider.At("2026-03-02T01:00:00Z");
    private readonly KeyAllocator _keys = new();

    public void Dispose()
    {
        _smtp.Dispose();
        _keys.Dispose();
    }

    [Fact]
    public async Task Send_OneJobOnPostgres_DeliversUpToSendBatchSizeMessagesInOneRun()
    {
        _smtp.Start();
        var factory = await DatabaseAsync("mailbatch");
        var ids = await EnqueueAsync(factory, 12);
        var mail = Options(sendBatch: 8, connections: 4);

        Assert.Equal(1, await Executor(factory, mail).RunOnceAsync());

        await using var db = factory.CreateDbContext();
        var sent = await db.OutboxMessages.Where(m => m.Status == OutboxStatus.Sent).Select(m => m.MessageId).ToListAsync();
        Assert.Equal(8, sent.Count);
        Assert.Equal(ids.Take(8).Order(StringComparer.Ordinal), sent.Order(StringComparer.Ordinal));
        Assert.Equal(sent.Order(StringComparer.Ordinal), Received().Order(StringComparer.Ordinal));
        Assert.Equal(4, await db.Jobs.CountAsync());
    }

    [Fact]
    public async Task Send_BatchWhileServerDown_StopsAfterFirstFailureAndDeliversEachOnceAfterServerStarts()
    {
        var factory = await DatabaseAsync("mailbatchdown");
        var ids = await EnqueueAsync(factory, 6);
        // One connection: messages go one after another, so the first failure stops the rest deterministically.
        var mail = Options(sendBatch: 32, connections: 1);
        var executor = Executor(factory, mail);

        await executor.RunOnceAsync();

        await using (var db = factory.CreateDbContext())
        {
            var rows = await db.OutboxMessages.AsNoTracking().ToDictionaryAsync(m => m.MessageId, StringComparer.Ordinal);
            Assert.All(rows.Values, m => Assert.Equal(OutboxStatus.Pending, m.Status));
            Assert.Equal(1, rows[ids[0]].Attempts);
            Assert.False(string.IsNullOrEmpty(rows[ids[0]].LastReply));
            Assert.All(ids.Skip(1), id => Assert.Equal(0, rows[id].Attempts));
            var jobs = await db.Jobs.AsNoTracking().ToDictionaryAsync(j => j.Type, StringComparer.Ordinal);
            Assert.Equal(6, jobs.Count);
            Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(30), jobs[ids[0]].DueAt);
            // Not attempted: still due now and free for the next run.
            Assert.All(ids.Skip(1), id => Assert.Equal(_clock.GetUtcNow(), jobs[id].DueAt));
            Assert.All(jobs.Values, j => Assert.Null(j.LeaseOwner));
        }

        _smtp.Start();
        _clock.Advance(TimeSpan.FromSeconds(30));
        await executor.RunOnceAsync();

        await using var check = factory.CreateDbContext();
        Assert.Equal(6, await check.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Sent));
        Assert.Equal(0, await check.Jobs.CountAsync());
        Assert.Equal(ids.Order(StringComparer.Ordinal), Received().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Send_BatchTransactionRolledBackAfterServerAccepted_RowsStaySentAndRerunSendsNothing()
    {
        _smtp.Start();
        var factory = await DatabaseAsync("mailrecord");
        var ids = await EnqueueAsync(factory, 4);
        var mail = Options(sendBatch: 4, connections: 4);
        using var handler = new OutboxSendJobHandler(new SystemNetMailTransport(mail), mail);
        // The job's transaction fails after every conversation ended, as a crash before the batch's commit would.
        var failOnce = new FailingOnceHandler(handler);
        var executor = new JobExecutor(factory, [failOnce], new JobExecutorOptions { OwnerId = "node", WorkerCount = 1, BatchSize = 1 }, _clock, _keys);

        await executor.RunOnceAsync();

        await using (var db = factory.CreateDbContext())
        {
            var rows = await db.OutboxMessages.AsNoTracking().ToListAsync();
            Assert.All(rows, m => Assert.Equal(OutboxStatus.Sent, m.Status));
            Assert.All(rows, m => Assert.Equal(1, m.Attempts));
            Assert.All(rows, m => Assert.Equal(_clock.GetUtcNow(), m.SentAt));
            Assert.All(rows, m => Assert.StartsWith("250", m.LastReply, StringComparison.Ordinal));
            // Rolled back with the transaction: every job is still there.
            Assert.Equal(4, await db.Jobs.CountAsync());
        }

        Assert.True(failOnce.Failed);
        _clock.Advance(TimeSpan.FromMinutes(1));
        while (await executor.RunOnceAsync() > 0)
        {
        }

        await using var check = factory.CreateDbContext();
        Assert.Equal(0, await check.Jobs.CountAsync());
        Assert.All(await check.OutboxMessages.AsNoTracking().ToListAsync(), m => Assert.Equal(1, m.Attempts));
        Assert.Equal(ids.Order(StringComparer.Ordinal), Received().Order(StringComparer.Ordinal));
    }

    private async Task<WorkflowDbContextFactory> DatabaseAsync(string prefix)
    {
        var factory = new WorkflowDbContextFactory(PersistenceOptions.UsePostgres(await cluster.CreateDatabaseAsync(prefix)));
        await factory.MigrateAsync();
        return factory;
    }

    private MailOptions Options(int sendBatch, int connections) => new()
    {
        Transport = MailTransportKind.Smtp,
        Smtp = new SmtpOptions { Host = "127.0.0.1", Port = _smtp.Port, TimeoutSeconds = 10, MaxConnections = connections },
        SendBatchSize = sendBatch,
    };

    private JobExecutor Executor(WorkflowDbContextFactory factory, MailOptions mail) =>
        new(factory, [new OutboxSendJobHandler(new SystemNetMailTransport(mail), mail)],
            new JobExecutorOptions { OwnerId = "node", WorkerCount = 1, BatchSize = 1 }, _clock, _keys);

    /// <summary>Messages written one transaction each, so their jobs' ids (the batch order) follow the list.</summary>
    private async Task<List<string>> EnqueueAsync(WorkflowDbContextFactory factory, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            await using var db = factory.CreateDbContext();
            var row = Outbox.Enqueue(db, new OutboxDraft
            {
                To = [$"user{i}@example.test"],
                Subject = $"[逾期提醒] 评审订单 · 订单 ORD-{i:D3}",
                HtmlBody = "<p>已逾期</p>",
                TextBody = "已逾期",
                Language = "zh-CN",
                CauseKind = "escalation-0",
            }, _clock.GetUtcNow(), "test.local");
            await db.SaveChangesAsync();
            ids.Add(row.MessageId);
        }

        return ids;
    }

    private List<string> Received() =>
        _smtp.Messages().Select(m => MessageIdHeader().Match(m).Groups[1].Value).ToList();

    [GeneratedRegex(@"^Message-ID:\s*<([^>]+)>", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex MessageIdHeader();

    /// <summary>Runs the sender, then fails its first job, so that the executor rolls the job's transaction back.</summary>
    private sealed class FailingOnceHandler(IJobHandler inner) : IJobHandler
    {
        public bool Failed { get; private set; }

        public string Kind => inner.Kind;

        public async Task HandleAsync(JobExecution job, WorkflowDbContext db, CancellationToken cancellationToken)
        {
            await inner.HandleAsync(job, db, cancellationToken);
            if (!Failed)
            {
                Failed = true;
                throw new InvalidOperationException("the job's transaction fails before its commit");
            }
        }
    }
}
