using System.Diagnostics;
using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;

namespace WorkflowOrders.Email;

/// <summary>
/// Delivers outbox messages (job kind <see cref="JobKinds.Email"/>, type = the Message-ID). On PostgreSQL one job
/// delivers a batch: its own message and up to <see cref="MailOptions.SendBatchSize"/> − 1 other due ones, whose jobs
/// it locks (<c>FOR UPDATE SKIP LOCKED</c>, so no other node leases them meanwhile), sent over up to
/// <see cref="SmtpOptions.MaxConnections"/> kept connections at once; every outcome, and the removal of the finished
/// jobs, commits in this job's transaction. A failed attempt is recorded on the row and its job rescheduled with
/// back-off in the same transaction, so the outcome and the SMTP reply stay visible while the server is down and
/// nothing is lost. A crash after the server accepted messages but before the commit sends them again on the next run —
/// with the same Message-IDs; at most one batch per worker.
/// </summary>
public sealed class OutboxSendJobHandler(IMailTransport transport, MailOptions options) : IJobHandler
{
    public string Kind => JobKinds.Email;

    public async Task HandleAsync(JobExecution job, WorkflowDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(db);
        // SQLite has one writer: a transaction holding locks across SMTP conversations would stall every other write.
        var batch = options.SendBatchSize > 1 && db.Database.IsNpgsql();
        if (batch)
        {
            // The row lock keeps other nodes off this job until the commit, even should its lease run out meanwhile
            // (their lease statement skips locked rows). 0 rows: another node took it over already.
            var held = await db.Jobs.Where(j => j.Id == job.Id && j.LeaseOwner == job.OwnerId)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseOwner, j => j.LeaseOwner), cancellationToken).ConfigureAwait(false);
            if (held == 0)
            {
                return;
            }
        }

        var deliveries = new List<Delivery>();
        var own = await db.OutboxMessages.SingleOrDefaultAsync(m => m.MessageId == job.Type, cancellationToken).ConfigureAwait(false);
        if (own is { Status: OutboxStatus.Pending })
        {
            deliveries.Add(new Delivery(null, own));
        }

        if (batch)
        {
            deliveries.AddRange(await ClaimAsync(job, db, cancellationToken).ConfigureAwait(false));
        }

        await SendAllAsync(deliveries, cancellationToken).ConfigureAwait(false);

        var finished = new List<long>();
        foreach (var delivery in deliveries)
        {
            var retryAt = Record(delivery, job.Now);
            if (delivery.JobId is not { } claimedJob)
            {
                if (retryAt is { } at)
                {
                    job.RescheduleAt(at);
                }
            }
            else if (delivery.Outcome is not Outcome.NotStarted)
            {
                if (retryAt is { } at)
                {
                    await db.Jobs.Where(j => j.Id == claimedJob).ExecuteUpdateAsync(
                        s => s.SetProperty(j => j.DueAt, (DateTimeOffset?)at).SetProperty(j => j.LeaseOwner, (string?)null).SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null),
                        cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    finished.Add(claimedJob);
                }
            }
        }

        if (finished.Count > 0)
        {
            await db.Jobs.Where(j => finished.Contains(j.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The wait after <paramref name="failedAttempts"/> failures: base × 2^(n−1), capped.</summary>
    public TimeSpan RetryDelay(int failedAttempts)
    {
        var seconds = options.RetryBaseSeconds * Math.Pow(2, Math.Min(30, Math.Max(0, failedAttempts - 1)));
        return TimeSpan.FromSeconds(Math.Min(seconds, options.RetryMaxSeconds));
    }

    /// <summary>
    /// Locks up to <see cref="MailOptions.SendBatchSize"/> − 1 further email jobs that are due and not leased, oldest
    /// first, skipping rows another transaction holds; returns their pending messages. Jobs whose message is gone or
    /// no longer pending are finished without a send.
    /// </summary>
    private async Task<List<Delivery>> ClaimAsync(JobExecution job, WorkflowDbContext db, CancellationToken cancellationToken)
    {
        var now = job.Now.ToUniversalTime();
        var jobs = await db.Jobs.FromSqlRaw(
                """
                SELECT * FROM jobs
                WHERE kind = {0} AND id <> {1} AND due_at <= {2} AND (lease_until IS NULL OR lease_until < {2})
                ORDER BY due_at, id
                LIMIT {3}
                FOR UPDATE SKIP LOCKED
                """,
                JobKinds.Email, job.Id, now, options.SendBatchSize - 1)
            .AsNoTracking()
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        if (jobs.Count == 0)
        {
            return [];
        }

        var ids = jobs.Select(j => j.Type).ToList();
        var rows = await db.OutboxMessages.Where(m => ids.Contains(m.MessageId)).ToDictionaryAsync(m => m.MessageId, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
        var deliveries = new List<Delivery>(jobs.Count);
        var stale = new List<long>();
        foreach (var claimed in jobs)
        {
            if (rows.TryGetValue(claimed.Type, out var row) && row.Status == OutboxStatus.Pending)
            {
                deliveries.Add(new Delivery(claimed.Id, row));
            }
            else
            {
                stale.Add(claimed.Id);
            }
        }

        if (stale.Count > 0)
        {
            await db.Jobs.Where(j => stale.Contains(j.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        return deliveries;
    }

    /// <summary>
    /// Sends the messages, up to <see cref="SmtpOptions.MaxConnections"/> at once. The first is always attempted; after a
    /// failure that may pass (server down, timeout, 4xx), or once half the SMTP timeout has gone by, no further message
    /// starts — those stay for their own jobs — so a hung server holds this job for about one timeout, not one per message.
    /// </summary>
    private async Task SendAllAsync(List<Delivery> deliveries, CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0)
        {
            return;
        }

        var stopped = 0;
        var budget = TimeSpan.FromSeconds(options.Smtp.TimeoutSeconds) / 2;
        var started = Stopwatch.GetTimestamp();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Smtp.MaxConnections), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, deliveries.Count), parallel, async (index, token) =>
        {
            var delivery = deliveries[index];
            if (index > 0 && (Volatile.Read(ref stopped) != 0 || Stopwatch.GetElapsedTime(started) > budget))
            {
                return;
            }

            try
            {
                delivery.Reply = await transport.SendAsync(delivery.Message, token).ConfigureAwait(false);
                delivery.Outcome = Outcome.Sent;
            }
            catch (Exception ex) when (ex is SmtpException or IOException or InvalidOperationException or FormatException)
            {
                delivery.Reply = Describe(ex);
                var permanent = ex is FormatException || (ex is SmtpException smtp && (int)smtp.StatusCode >= 500);
                delivery.Outcome = permanent ? Outcome.Rejected : Outcome.Failed;
                if (!permanent)
                {
                    Interlocked.Exchange(ref stopped, 1);
                }
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Writes the attempt's outcome on the row; returns when to try again, or null when the job is finished.</summary>
    private DateTimeOffset? Record(Delivery delivery, DateTimeOffset now)
    {
        if (delivery.Outcome == Outcome.NotStarted)
        {
            return null;
        }

        var message = delivery.Message;
        message.Attempts++;
        message.LastAttemptAt = now;
        message.LastReply = delivery.Reply;
        switch (delivery.Outcome)
        {
            case Outcome.Sent:
                message.Status = OutboxStatus.Sent;
                message.SentAt = now;
                return null;
            case Outcome.Failed when message.Attempts < options.MaxAttempts:
                return now + RetryDelay(message.Attempts);
            default:
                message.Status = OutboxStatus.Failed;
                return null;
        }
    }

    private static string Describe(Exception ex)
    {
        var text = ex is SmtpException smtp ? $"{(int)smtp.StatusCode} {smtp.StatusCode}: {ex.Message}" : ex.Message;
        if (ex.InnerException is { } inner)
        {
            text += " (" + inner.Message + ")";
        }

        return text.Length > 2000 ? text[..2000] : text;
    }

    private enum Outcome
    {
        NotStarted,
        Sent,
        Failed,
        Rejected,
    }

    /// <summary>One message of the batch; <see cref="JobId"/> is null for the job's own message.</summary>
    private sealed class Delivery(long? jobId, OutboxMessageRow message)
    {
        public long? JobId { get; } = jobId;
        public OutboxMessageRow Message { get; } = message;
        public Outcome Outcome { get; set; }
        public string? Reply { get; set; }
    }
}
