using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Email.Tests.Support;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Testing;
using Xunit.Abstractions;

namespace WorkflowOrders.Email.Tests;

/// <summary>
/// The outbox sender in a real engine node (WorkflowOrders.Persistence.JobHost with <c>--smtp-port</c>) on PostgreSQL,
/// delivering to a real SMTP server (aiosmtpd, Maildir), killed with SIGKILL mid-run and restarted. The test waits for
/// other processes (polling the database and the Maildir), the one place where the suite spends real time; every
/// wait is bounded.
/// </summary>
public sealed partial class OutboxSendJobHandlerProcessTests(PostgresCluster cluster, ITestOutputHelper output) : IClassFixture<PostgresCluster>, IDisposable
{
    private const int Messages = 1000;
    private const int Workers = 4;
    private const int Batch = 8;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);
    private readonly AiosmtpdServer _smtp = new();

    public void Dispose() => _smtp.Dispose();

    [Fact]
    public async Task Host_KilledWhileSendingThousandEmails_DeliversEachAndResendsOnlyInFlightWithSameMessageId()
    {
        _smtp.Start();
        var connectionString = await cluster.CreateDatabaseAsync("mailcrash");
        var factory = new WorkflowDbContextFactory(PersistenceOptions.UsePostgres(connectionString));
        await factory.MigrateAsync();
        var enqueued = await EnqueueAsync(factory);

        int receivedAtKill;
        HashSet<string> sentByFirst;
        HashSet<string> receivedBeforeRestart;
        using (var first = await JobHostProcess.StartAsync(connectionString, "host-1", Lease, workers: Workers, batch: Batch, smtpPort: _smtp.Port))
        {
            await WaitUntilAsync(() => Task.FromResult(ReceivedCount() >= 300));
            first.Kill();
            receivedAtKill = ReceivedCount();
            // The kernel still sends what the dead process had written to its sockets (the end of a message that
            // Nagle's algorithm held back for the server's ACK), so the server may accept messages for a moment after
            // the kill: read the Maildir once it has stopped growing.
            await WaitUntilSettledAsync();
            receivedBeforeRestart = [.. ReceivedMessageIds()];
            // A statement the dead host had sent may still commit: read the rows once none of its sessions is left.
            await WaitUntilAsync(async () => await OtherSessionsAsync(factory) == 0);
            sentByFirst = await SentAsync(factory);
        }

        // The dead host's leases (2 s) run out, then the second host takes its jobs over.
        using (var second = await JobHostProcess.StartAsync(connectionString, "host-2", Lease, workers: Workers, batch: Batch, smtpPort: _smtp.Port))
        {
            await WaitUntilAsync(async () =>
            {
                await using var db = factory.CreateDbContext();
                return await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Sent) == Messages;
            });
        }

        var arrivals = ReceivedMessageIds().CountBy(id => id).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var duplicates = arrivals.Where(p => p.Value > 1).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        // Accepted by the server from the first host without a SENT record: conversations in flight at the kill (or
        // ended, their record not yet committed).
        var inFlight = receivedBeforeRestart.Except(sentByFirst, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        // The sender holds at most Smtp.MaxConnections messages between the start of their conversation and their
        // record, across all workers of a node (OutboxSendJobHandler); the JobHost uses the default options.
        var bound = new MailOptions().Smtp.MaxConnections;
        output.WriteLine(
            $"received at the kill: {receivedAtKill}, before the restart: {receivedBeforeRestart.Count}; recorded SENT by the first host: {sentByFirst.Count}; " +
            $"accepted but unrecorded at the kill: {inFlight.Count}; total arrivals {arrivals.Values.Sum()} for {arrivals.Count} Message-IDs; duplicates: {duplicates.Count} (bound {bound})");

        Assert.InRange(receivedAtKill, 300, Messages - 1);
        // Every enqueued Message-ID arrived, and nothing arrived under any other Message-ID: a resent message is the same message.
        Assert.Equal(enqueued.Order(StringComparer.Ordinal), arrivals.Keys.Order(StringComparer.Ordinal));
        Assert.All(arrivals.Values, n => Assert.InRange(n, 1, 2));
        // A row is recorded SENT only after the server accepted its message.
        Assert.Subset(receivedBeforeRestart, sentByFirst);
        // No message recorded SENT before the kill was sent again.
        Assert.All(sentByFirst, id => Assert.Equal(1, arrivals[id]));
        // The duplicates are exactly the messages accepted from the first host but not yet recorded.
        Assert.Equal(inFlight.Order(StringComparer.Ordinal), duplicates.Order(StringComparer.Ordinal));
        Assert.InRange(duplicates.Count, 0, bound);
        await using var check = factory.CreateDbContext();
        Assert.Equal(0, await check.Jobs.CountAsync());
    }

    /// <summary>1,000 messages written through Outbox.Enqueue in 4 transactions of 250.</summary>
    private static async Task<List<string>> EnqueueAsync(WorkflowDbContextFactory factory)
    {
        var ids = new List<string>();
        foreach (var chunk in Enumerable.Range(0, Messages).Chunk(250))
        {
            await using var db = factory.CreateDbContext();
            await using var tx = await db.Database.BeginTransactionAsync();
            foreach (var i in chunk)
            {
                var draft = new OutboxDraft
                {
                    To = [$"manager{i % 7}@example.test"],
                    Subject = $"[逾期] 订单评审 ORD-{i:D4}",
                    HtmlBody = $"<p>订单 ORD-{i:D4} 的评审已逾期。</p>",
                    TextBody = $"订单 ORD-{i:D4} 的评审已逾期。",
                    Language = "zh-CN",
                    CauseKind = "escalation-1",
                    InstanceKey = i,
                };
                ids.Add(Outbox.Enqueue(db, draft, TimeProvider.System.GetUtcNow(), "test.local").MessageId);
            }

            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        return ids;
    }

    private static async Task<HashSet<string>> SentAsync(WorkflowDbContextFactory factory)
    {
        await using var db = factory.CreateDbContext();
        var sent = await db.OutboxMessages.Where(m => m.Status == OutboxStatus.Sent).Select(m => m.MessageId).ToListAsync();
        return sent.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Sessions on the test's database, other than this query's, that are running a statement or are inside a
    /// transaction. The test's own pooled connections are idle; the dead host's sessions end once PostgreSQL has
    /// finished what it had received from them.
    /// </summary>
    private static async Task<int> OtherSessionsAsync(WorkflowDbContextFactory factory)
    {
        await using var db = factory.CreateDbContext();
        return await db.Database.SqlQueryRaw<int>(
                "SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'")
            .SingleAsync();
    }

    /// <summary>aiosmtpd's Mailbox writes each message to tmp/ and then renames it into new/: a file there is complete.</summary>
    private int ReceivedCount()
    {
        var dir = Path.Combine(_smtp.MaildirPath, "new");
        return Directory.Exists(dir) ? Directory.EnumerateFiles(dir).Count() : 0;
    }

    private List<string> ReceivedMessageIds() =>
        _smtp.Messages().Select(text => MessageIdHeader().Match(text) is { Success: true } m ? m.Groups[1].Value : "(no Message-ID)").ToList();

    private async Task WaitUntilSettledAsync()
    {
        var last = -1;
        await WaitUntilAsync(async () =>
        {
            var count = ReceivedCount();
            var settled = count == last;
            last = count;
            await Task.Delay(settled ? 0 : 500);
            return settled;
        });
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > Limit)
            {
                throw new TimeoutException($"Condition not reached within {Limit}.");
            }

            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"^Message-ID:\s*<([^>]+)>", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex MessageIdHeader();
}
