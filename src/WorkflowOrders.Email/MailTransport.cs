using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Net.Sockets;
using System.Text;
using WorkflowOrders.Persistence.Entities;

namespace WorkflowOrders.Email;

/// <summary>Hands one message to the mail system; throws on failure. Returns the reply to record. Safe to call concurrently.</summary>
public interface IMailTransport
{
    Task<string> SendAsync(OutboxMessageRow message, CancellationToken cancellationToken);
}

/// <summary>
/// System.Net.Mail over SMTP, or into a pickup folder as .eml files (the embedded default). Over SMTP, connections are
/// kept and reused: an <see cref="SmtpClient"/> keeps its connection open between sends (and says QUIT when disposed),
/// so finished clients wait in a pool for the next message instead of a new connect, greeting and EHLO per message.
/// At most <see cref="SmtpOptions.MaxConnections"/> conversations run at once, each on a thread of its own; a client is
/// used by one conversation at a time (SmtpClient is not thread-safe).
/// </summary>
public sealed class SystemNetMailTransport : IMailTransport, IDisposable
{
    /// <summary>
    /// A pooled connection idle longer than this is closed rather than reused: servers drop idle clients (RFC 5321
    /// suggests 5 minutes; some relays much sooner), and a send on a dropped connection would fail.
    /// </summary>
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(30);

    private readonly MailOptions _options;
    private readonly ConcurrentStack<PooledClient> _idle = new();
    private readonly SemaphoreSlim _conversations;
    private bool _disposed;

    public SystemNetMailTransport(MailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _conversations = new SemaphoreSlim(Math.Max(1, options.Smtp.MaxConnections));
    }

    public async Task<string> SendAsync(OutboxMessageRow message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_options.Transport == MailTransportKind.Pickup)
        {
            using var mail = Build(message, _options);
            using var pickup = new SmtpClient();
            Directory.CreateDirectory(_options.PickupDirectory);
            pickup.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            pickup.PickupDirectoryLocation = Path.GetFullPath(_options.PickupDirectory);
            await pickup.SendMailAsync(mail, cancellationToken).ConfigureAwait(false);
            return "written to the pickup folder";
        }

        await _conversations.WaitAsync(cancellationToken).ConfigureAwait(false);
        // SmtpClient.SendMailAsync holds thread-pool threads while it waits for replies (measured on 2 cores: 32
        // concurrent calls ran at 150 messages/s, the same with 64 minimum pool threads at 560/s), so every conversation
        // runs the synchronous Send on a thread of its own. Cancellation stops the wait, not the conversation: that
        // ends within the SMTP timeout, then frees its slot and closes its connection.
        var conversation = Task.Factory.StartNew(() => Converse(message), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await conversation.WaitAsync(cancellationToken).ConfigureAwait(false);

        // System.Net.Mail does not expose the final reply text; reaching here means the server answered 250.
        return "250 accepted by " + _options.Smtp.Host + ":" + _options.Smtp.Port;
    }

    /// <summary>Says QUIT on every kept connection.</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryPop(out var client))
        {
            client.Dispose();
        }

        // The semaphore stays: a conversation still running (cancelled, finishing within the timeout) releases its slot.
    }

    internal static MailMessage Build(OutboxMessageRow message, MailOptions options)
    {
        var mail = new MailMessage
        {
            From = new MailAddress(options.From, options.FromName, Encoding.UTF8),
            Subject = message.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            BodyEncoding = Encoding.UTF8,
            Body = message.TextBody,
            IsBodyHtml = false,
        };
        foreach (var to in Split(message.ToAddresses))
        {
            mail.To.Add(to);
        }

        foreach (var cc in Split(message.CcAddresses))
        {
            mail.CC.Add(cc);
        }

        mail.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(message.HtmlBody, Encoding.UTF8, MediaTypeNames.Text.Html));
        mail.Headers.Add("Message-ID", "<" + message.MessageId + ">");
        mail.Headers.Add("Content-Language", message.Language);
        mail.Headers.Add("Auto-Submitted", "auto-generated");
        return mail;
    }

    /// <summary>One message over a kept connection (or a new one); runs on its own thread and frees the slot it was given.</summary>
    private void Converse(OutboxMessageRow message)
    {
        try
        {
            using var mail = Build(message, _options);
            var client = TakeIdle() ?? new PooledClient(NewClient());
            try
            {
                client.Client.Send(mail);
            }
            catch (Exception ex) when (client.Reused && MayBeDroppedConnection(ex))
            {
                // The server may have closed the kept connection meanwhile: once more on a fresh one. A closed
                // connection fails at its first command, before the message went out; should the failure have come
                // after the server kept the message (rare), it arrives twice with the same Message-ID, as after any retry.
                client.Dispose();
                client = new PooledClient(NewClient());
                SendOrDispose(client, mail);
            }
            catch
            {
                // Whatever state the conversation is in, the connection is not reused.
                client.Dispose();
                throw;
            }

            client.Reused = true;
            client.IdleSince = Stopwatch.GetTimestamp();
            _idle.Push(client);
            while (_disposed && _idle.TryPop(out var late))
            {
                late.Dispose();
            }
        }
        finally
        {
            _conversations.Release();
        }
    }

    private static void SendOrDispose(PooledClient client, MailMessage mail)
    {
        try
        {
            client.Client.Send(mail);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The failures a connection closed by the server while it waited in the pool produces: no SMTP reply (I/O or
    /// socket error, usually wrapped in SmtpException) or 421 "closing the channel".
    /// </summary>
    private static bool MayBeDroppedConnection(Exception ex) =>
        ex is IOException or SocketException
        || (ex is SmtpException smtp && (smtp.StatusCode == SmtpStatusCode.ServiceNotAvailable || smtp.InnerException is IOException or SocketException));

    private PooledClient? TakeIdle()
    {
        while (_idle.TryPop(out var client))
        {
            if (Stopwatch.GetElapsedTime(client.IdleSince) < MaxIdle)
            {
                return client;
            }

            client.Dispose();
        }

        return null;
    }

    private SmtpClient NewClient()
    {
        var client = new SmtpClient
        {
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Host = _options.Smtp.Host,
            Port = _options.Smtp.Port,
            EnableSsl = _options.Smtp.Security == SmtpSecurity.StartTls,
            Timeout = _options.Smtp.TimeoutSeconds * 1000,
        };
        if (!string.IsNullOrEmpty(_options.Smtp.UserName))
        {
            client.Credentials = new NetworkCredential(_options.Smtp.UserName, _options.Smtp.Password);
        }

        return client;
    }

    private static string[] Split(string? addresses) =>
        (addresses ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private sealed class PooledClient(SmtpClient client) : IDisposable
    {
        public SmtpClient Client { get; } = client;

        /// <summary>True once a message went through this connection: a failure may then mean the server dropped it.</summary>
        public bool Reused { get; set; }

        public long IdleSince { get; set; }

        public void Dispose()
        {
            try
            {
                Client.Dispose();
            }
            catch (Exception ex) when (ex is IOException or SocketException or SmtpException or ObjectDisposedException)
            {
                // QUIT on a connection the server already closed: nothing left to release.
            }
        }
    }
}
