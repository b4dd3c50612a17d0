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
/// At most <see cref="SmtpOptions.MaxConnections"/> conversations run at once; a client is used by one sender at a time
/// (SmtpClient is not thread-safe).
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
        using var mail = Build(message, _options);
        if (_options.Transport == MailTransportKind.Pickup)
        {
            using var pickup = new SmtpClient();
            Directory.CreateDirectory(_options.PickupDirectory);
            pickup.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            pickup.PickupDirectoryLocation = Path.GetFullPath(_options.PickupDirectory);
            await pickup.SendMailAsync(mail, cancellationToken).ConfigureAwait(false);
            return "written to the pickup folder";
        }

        await _conversations.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var client = TakeIdle() ?? new PooledClient(NewClient());
            try
            {
                await client.Client.SendMailAsync(mail, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (client.Reused && MayBeDroppedConnection(ex) && !cancellationToken.IsCancellationRequested)
            {
                // The server may have closed the kept connection meanwhile: once more on a fresh one. A closed
                // connection fails at its first command, before the message went out; should the failure have come
                // after the server kept the message (rare), it arrives twice with the same Message-ID, as after any retry.
                client.Dispose();
                client = new PooledClient(NewClient());
                await SendOrDisposeAsync(client, mail, cancellationToken).ConfigureAwait(false);
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
        }
        finally
        {
            _conversations.Release();
        }

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

        _conversations.Dispose();
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

    private static async Task SendOrDisposeAsync(PooledClient client, MailMessage mail, CancellationToken cancellationToken)
    {
        try
        {
            await client.Client.SendMailAsync(mail, cancellationToken).ConfigureAwait(false);
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
