using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;

namespace WorkflowOrders.Email;

/// <summary>
/// Delivers one outbox message (job kind <see cref="JobKinds.Email"/>, type = its Message-ID). A failed attempt is
/// recorded on the row and the job is rescheduled with back-off in the same transaction, so the outcome and the SMTP
/// reply stay visible while the server is down and nothing is lost. A crash after the server accepted the message
/// but before the commit sends it again on the next run — with the same Message-ID.
/// </summary>
public sealed class OutboxSendJobHandler(IMailTransport transport, MailOptions options) : IJobHandler
{
    public string Kind => JobKinds.Email;

    public async Task HandleAsync(JobExecution job, WorkflowDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(db);
        var message = await db.OutboxMessages.SingleOrDefaultAsync(m => m.MessageId == job.Type, cancellationToken).ConfigureAwait(false);
        if (message is null || message.Status != OutboxStatus.Pending)
        {
            return;
        }

        message.Attempts++;
        message.LastAttemptAt = job.Now;
        try
        {
            message.LastReply = await transport.SendAsync(message, cancellationToken).ConfigureAwait(false);
            message.Status = OutboxStatus.Sent;
            message.SentAt = job.Now;
        }
        catch (Exception ex) when (ex is SmtpException or IOException or InvalidOperationException or FormatException)
        {
            message.LastReply = Describe(ex);
            var permanent = ex is FormatException || (ex is SmtpException smtp && (int)smtp.StatusCode >= 500);
            if (permanent || message.Attempts >= options.MaxAttempts)
            {
                message.Status = OutboxStatus.Failed;
            }
            else
            {
                job.RescheduleAt(job.Now + RetryDelay(message.Attempts));
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The wait after <paramref name="failedAttempts"/> failures: base × 2^(n−1), capped.</summary>
    public TimeSpan RetryDelay(int failedAttempts)
    {
        var seconds = options.RetryBaseSeconds * Math.Pow(2, Math.Min(30, Math.Max(0, failedAttempts - 1)));
        return TimeSpan.FromSeconds(Math.Min(seconds, options.RetryMaxSeconds));
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
}
