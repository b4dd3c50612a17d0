using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using WorkflowOrders.Persistence.Entities;

namespace WorkflowOrders.Email;

/// <summary>Hands one message to the mail system; throws on failure. Returns the reply to record.</summary>
public interface IMailTransport
{
    Task<string> SendAsync(OutboxMessageRow message, CancellationToken cancellationToken);
}

/// <summary>System.Net.Mail over SMTP, or into a pickup folder as .eml files (the embedded default).</summary>
public sealed class SystemNetMailTransport(MailOptions options) : IMailTransport
{
    public async Task<string> SendAsync(OutboxMessageRow message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var mail = Build(message, options);
        // SmtpClient is not thread-safe; one per message keeps concurrent workers apart.
        using var client = new SmtpClient();
        if (options.Transport == MailTransportKind.Pickup)
        {
            Directory.CreateDirectory(options.PickupDirectory);
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = Path.GetFullPath(options.PickupDirectory);
            await client.SendMailAsync(mail, cancellationToken).ConfigureAwait(false);
            return "written to the pickup folder";
        }

        client.DeliveryMethod = SmtpDeliveryMethod.Network;
        client.Host = options.Smtp.Host;
        client.Port = options.Smtp.Port;
        client.EnableSsl = options.Smtp.Security == SmtpSecurity.StartTls;
        client.Timeout = options.Smtp.TimeoutSeconds * 1000;
        if (!string.IsNullOrEmpty(options.Smtp.UserName))
        {
            client.Credentials = new NetworkCredential(options.Smtp.UserName, options.Smtp.Password);
        }

        await client.SendMailAsync(mail, cancellationToken).ConfigureAwait(false);
        // System.Net.Mail does not expose the final reply text; reaching here means the server answered 250.
        return "250 accepted by " + options.Smtp.Host + ":" + options.Smtp.Port;
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

    private static string[] Split(string? addresses) =>
        (addresses ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
