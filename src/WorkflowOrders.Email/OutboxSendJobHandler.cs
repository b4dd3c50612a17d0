using System.Diagnostics;
using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;

namespace WorkflowOrders.Email;

/// <summary>
/// Delivers outbox messages (job kind <see cref="JobKinds.Email"/>, type = the Message-ID). On PostgreSQL one job
/// delivers a batch: its own message and up to <see cref="MailOptions.SendBatchSize"/> − 1 other due ones, whose jobs
/// it locks (<c>FOR UPDATE SKIP LOCKED</c>, so no other node leases them meanwhile), sent over up to
/// <see cref="SmtpOptions.MaxConnections"/> kept connections at once. On PostgreSQL a message the server accepted is
/// recorded <c>SENT</c> at once, in an autocommitted statement on a connection of its own, not in the batch's
/// transaction: a crash after that record sends nothing again (a re-run finds the row sent and only ends the job), so a
/// message goes out twice only when the crash lands between the start of its conversation and its record. Failed
/// attempts, and the removal of the finished jobs, commit in this job's transaction: a failed attempt is recorded on the
/// row and its job rescheduled with back-off, so the outcome and the SMTP reply stay visible while the server is down and
/// nothing is lost. On SQLite (one message per job, one writer) the record commits with the job, right after the
/// conversation.
/// </summary>
public sealed class OutboxSendJobHandler(IMailTransport transport, MailOptions options) : IJobHandler, IDisposable
{
    /// <summary>
    /// Messages between the start of their conversation and their record, on all workers of this node (the host creates
    /// one handler per node): the most a crash of the node can send twice. Held through the record as well, so that a
    /// conversation whose record is still on its way does not free its place for a further one.
    /// </summary>
    private readonly SemaphoreSlim _unrecorded = new(Math.Max(1, options.Smtp.MaxConnections));

    public string Kind => JobKinds.Email;

    public void Dispose() => _unrecorded.Dispose();

    public async Task HandleAsync(JobExecution job, WorkflowDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(db);
        // SQLite has one writer: a transaction holding locks across SMTP conversations would stall every other write,
        // and a record on a second connection would wait for this job's transaction.
        var postgres = db.Database.IsNpgsql();
        var batch = options.SendBatchSize > 1 && postgres;
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

        // Npgsql pools by connection string, so the records borrow idle connections of the pool this context uses.
        var recorder = postgres ? db.Database.GetConnectionString() : null;
        await SendAllAsync(deliveries, recorder, job.Now, cancellationToken).ConfigureAwait(false);

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
    /// Sends the messages, up to <see cref="SmtpOptions.MaxConnections"/> at once on this node, and records each accepted
    /// one through <paramref name="recorder"/> (a PostgreSQL connection string; null: in the job's transaction). The
    /// first is always attempted; after a failure that may pass (server down, timeout, 4xx), or once half the SMTP
    /// timeout has gone by, no further message starts — those stay for their own jobs — so a hung server holds this job
    /// for about one timeout, not one per message.
    /// </summary>
    private async Task SendAllAsync(List<Delivery> deliveries, string? recorder, DateTimeOffset now, CancellationToken cancellationToken)
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
            await _unrecorded.WaitAsync(token).ConfigureAwait(false);
            try
            {
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

                if (delivery.Outcome == Outcome.Sent && recorder is not null)
                {
                    delivery.Recorded = await TryRecordSentAsync(recorder, delivery, now).ConfigureAwait(false);
                }
            }
            finally
            {
                _unrecorded.Release();
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Marks the message sent in a statement of its own, committed before the next message of this slot starts, on a
    /// pooled connection outside the job's transaction (which holds no lock on outbox rows, so it cannot block this).
    /// Not cancellable: the server has the message, and only the record keeps a re-run from sending it again. False when
    /// the database could not be reached; then the job's transaction records it, as far as that still commits.
    /// </summary>
    private static async Task<bool> TryRecordSentAsync(string connectionString, Delivery delivery, DateTimeOffset now)
    {
        try
        {
            var connection = new NpgsqlConnection(connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(CancellationToken.None).ConfigureAwait(false);
                var command = new NpgsqlCommand(
                    """
                    UPDATE outbox_messages
                    SET status = @sent, attempts = attempts + 1, last_attempt_at = @now, last_reply = @reply, sent_at = @now
                    WHERE id = @id AND status <> @sent
                    """,
                    connection);
                await using (command.ConfigureAwait(false))
                {
                    command.Parameters.AddWithValue("sent", OutboxStatus.Sent);
                    command.Parameters.AddWithValue("now", now.ToUniversalTime());
                    command.Parameters.AddWithValue("reply", (object?)delivery.Reply ?? DBNull.Value);
                    command.Parameters.AddWithValue("id", delivery.Message.Id);
                    await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes the attempt's outcome on the row (unless it was recorded already); returns when to try again, or null when
    /// the job is finished.
    /// </summary>
    private DateTimeOffset? Record(Delivery delivery, DateTimeOffset now)
    {
        if (delivery.Outcome == Outcome.NotStarted || delivery.Recorded)
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

        /// <summary>Sent and already committed as such outside the job's transaction.</summary>
        public bool Recorded { get; set; }
    }
}
