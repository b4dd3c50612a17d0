using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Email.Tests.Support;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Keys;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Email.Tests;

/// <summary>The outbox against a real SMTP server (aiosmtpd) and the pickup folder, driven by the job executor on a fake clock.</summary>
public sealed class OutboxSendJobHandlerTests : IDisposable
{
    private readonly SqliteDatabase _db = new();
    private readonly AiosmtpdServer _smtp = new();
    private readonly FakeTimeProvider _clock = FakeTimeProvider.At("2026-03-02T01:00:00Z");
    private readonly KeyAllocator _keys = new();
    private readonly string _pickup = Path.Combine(Path.GetTempPath(), "wo-pickup-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _smtp.Dispose();
        _db.Dispose();
        _keys.Dispose();
        if (Directory.Exists(_pickup))
        {
            Directory.Delete(_pickup, recursive: true);
        }
    }

    [Fact]
    public async Task Send_SmtpServerUp_DeliversWithRecipientsAndMessageIdAndMarksSent()
    {
        _smtp.Start();
        var messageId = await EnqueueAsync(to: ["manager@example.test"], cc: ["deputy@example.test"]);

        await NewExecutor(SmtpOptions()).RunOnceAsync();

        var received = Assert.Single(_smtp.Messages());
        Assert.Contains($"Message-ID: <{messageId}>", received, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-RcptTo: manager@example.test, deputy@example.test", received, StringComparison.Ordinal);
        Assert.Contains("Content-Language: zh-CN", received, StringComparison.Ordinal);
        var row = await FindAsync(messageId);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(_clock.GetUtcNow(), row.SentAt);
        Assert.StartsWith("250", row.LastReply, StringComparison.Ordinal);
        Assert.Empty(await JobsAsync());
    }

    [Fact]
    public async Task Send_SmtpServerDown_WaitsWithErrorAndDeliversAfterServerStarts()
    {
        var messageId = await EnqueueAsync(to: ["sales@example.test"]);
        var executor = NewExecutor(SmtpOptions());

        await executor.RunOnceAsync();
        var waiting = await FindAsync(messageId);
        Assert.Equal(OutboxStatus.Pending, waiting.Status);
        Assert.Equal(1, waiting.Attempts);
        Assert.False(string.IsNullOrEmpty(waiting.LastReply));
        var job = Assert.Single(await JobsAsync());
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(30), job.DueAt);

        _clock.Advance(TimeSpan.FromSeconds(30));
        await executor.RunOnceAsync();
        Assert.Equal(2, (await FindAsync(messageId)).Attempts);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(60), Assert.Single(await JobsAsync()).DueAt);

        _smtp.Start();
        _clock.Advance(TimeSpan.FromSeconds(60));
        await executor.RunOnceAsync();

        var received = Assert.Single(_smtp.Messages());
        Assert.Contains($"<{messageId}>", received, StringComparison.Ordinal);
        var sent = await FindAsync(messageId);
        Assert.Equal(OutboxStatus.Sent, sent.Status);
        Assert.Equal(3, sent.Attempts);
        Assert.Empty(await JobsAsync());
    }

    [Fact]
    public async Task Send_PickupTransport_WritesOneEmlFileWithHtmlAndText()
    {
        var messageId = await EnqueueAsync(to: ["gm@example.test"]);

        await NewExecutor(new MailOptions { Transport = MailTransportKind.Pickup, PickupDirectory = _pickup }).RunOnceAsync();

        var eml = File.ReadAllText(Assert.Single(Directory.GetFiles(_pickup, "*.eml")));
        Assert.Contains($"<{messageId}>", eml, StringComparison.Ordinal);
        Assert.Contains("text/html", eml, StringComparison.Ordinal);
        Assert.Contains("text/plain", eml, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Sent, (await FindAsync(messageId)).Status);
    }

    [Fact]
    public async Task Enqueue_TransactionRolledBack_LeavesNeitherMessageNorJob()
    {
        await using (var db = _db.Factory.CreateDbContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            Outbox.Enqueue(db, Draft(["x@example.test"], []), _clock.GetUtcNow(), "test.local");
            await db.SaveChangesAsync();
            await tx.RollbackAsync();
        }

        await using var check = _db.Factory.CreateDbContext();
        Assert.Equal(0, await check.OutboxMessages.CountAsync());
        Assert.Equal(0, await check.Jobs.CountAsync());
    }

    [Fact]
    public async Task Send_ServerRejectsRecipientPermanently_MarksFailedWithoutRetry()
    {
        var messageId = await EnqueueAsync(to: ["someone@example.test"]);
        var handler = new OutboxSendJobHandler(new RejectingTransport(), new MailOptions());
        var executor = new JobExecutor(_db.Factory, [handler], new JobExecutorOptions { OwnerId = "t", WorkerCount = 1 }, _clock, _keys);

        await executor.RunOnceAsync();

        var row = await FindAsync(messageId);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Contains("550", row.LastReply, StringComparison.Ordinal);
        Assert.Empty(await JobsAsync());
    }

    private MailOptions SmtpOptions() => new()
    {
        Transport = MailTransportKind.Smtp,
        Smtp = new SmtpOptions { Host = "127.0.0.1", Port = _smtp.Port, TimeoutSeconds = 10 },
    };

    private JobExecutor NewExecutor(MailOptions options) =>
        new(_db.Factory, [new OutboxSendJobHandler(new SystemNetMailTransport(options), options)],
            new JobExecutorOptions { OwnerId = "test", WorkerCount = 1 }, _clock, _keys);

    private async Task<string> EnqueueAsync(string[] to, string[]? cc = null)
    {
        await using var db = _db.Factory.CreateDbContext();
        var row = Outbox.Enqueue(db, Draft(to, cc ?? []), _clock.GetUtcNow(), "test.local");
        await db.SaveChangesAsync();
        return row.MessageId;
    }

    private static OutboxDraft Draft(string[] to, string[] cc) => new()
    {
        To = to,
        Cc = cc,
        Subject = "[逾期] 订单评审 ORD-42",
        HtmlBody = "<p>订单 ORD-42 的评审已逾期。</p>",
        TextBody = "订单 ORD-42 的评审已逾期。",
        Language = "zh-CN",
        CauseKind = "test",
        InstanceKey = 7,
    };

    private async Task<OutboxMessageRow> FindAsync(string messageId)
    {
        await using var db = _db.Factory.CreateDbContext();
        return await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.MessageId == messageId);
    }

    private async Task<List<JobRow>> JobsAsync()
    {
        await using var db = _db.Factory.CreateDbContext();
        return await db.Jobs.AsNoTracking().ToListAsync();
    }

    private sealed class RejectingTransport : IMailTransport
    {
        public Task<string> SendAsync(OutboxMessageRow message, CancellationToken cancellationToken) =>
            throw new System.Net.Mail.SmtpException(System.Net.Mail.SmtpStatusCode.MailboxUnavailable, "550 no such user");
    }
}
