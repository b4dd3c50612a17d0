namespace WorkflowOrders.Email;

/// <summary>
/// Configuration section <c>WorkflowOrders:Mail</c> (environment: <c>WorkflowOrders__Mail__Transport</c>,
/// <c>WorkflowOrders__Mail__Smtp__Host</c> …). See docs/email.md.
/// </summary>
public sealed class MailOptions
{
    public const string Section = "WorkflowOrders:Mail";

    /// <summary><see cref="MailTransportKind.Pickup"/> (default: .eml files in <see cref="PickupDirectory"/>) or <see cref="MailTransportKind.Smtp"/>.</summary>
    public MailTransportKind Transport { get; set; } = MailTransportKind.Pickup;

    /// <summary>Where the pickup transport writes .eml files; relative paths are under the content root.</summary>
    public string PickupDirectory { get; set; } = "data/mail";

    public string From { get; set; } = "workflow@workfloworders.local";

    public string FromName { get; set; } = "WorkflowOrders";

    /// <summary>The right-hand side of generated Message-IDs.</summary>
    public string MessageIdDomain { get; set; } = "workfloworders.local";

    /// <summary>Absolute base of links in emails, e.g. <c>https://orders.example.com</c>.</summary>
    public string BaseUrl { get; set; } = "http://localhost:8080";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>First retry delay after a failed delivery; doubles per attempt up to <see cref="RetryMaxSeconds"/>.</summary>
    public int RetryBaseSeconds { get; set; } = 30;

    public int RetryMaxSeconds { get; set; } = 1800;

    /// <summary>Delivery attempts before a message is marked failed (100 attempts at the cap ≈ two days).</summary>
    public int MaxAttempts { get; set; } = 100;

    /// <summary>
    /// Messages one sender job delivers in one transaction on PostgreSQL: its own and up to this many − 1 other due
    /// ones (docs/email.md, "Sending"): one transaction for the batch's failures and finished jobs; each accepted message
    /// is recorded on its own at once, so the batch size does not widen what a crash can send twice. 1 sends one message
    /// per job.
    /// </summary>
    public int SendBatchSize { get; set; } = 16;
}

public enum MailTransportKind
{
    Pickup,
    Smtp,
}

public sealed class SmtpOptions
{
    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = 25;

    /// <summary>
    /// <see cref="SmtpSecurity.StartTls"/> upgrades the connection with STARTTLS (System.Net.Mail's <c>EnableSsl</c>).
    /// Implicit TLS (port 465) is not offered by System.Net.Mail; use a STARTTLS port (587).
    /// </summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.None;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>Shorter than the job lease (1 min), so a hung server cannot let a second node take the job meanwhile.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// SMTP conversations this node runs at once; as many connections are kept open for reuse. System.Net.Mail
    /// waits for the server's delayed ACK once per message (it writes the message in several small pieces and cannot
    /// disable Nagle's algorithm), so throughput comes from parallel connections. Also the most messages a crash of the
    /// node can send twice: the sender holds one place per message from the start of its conversation until it is
    /// recorded sent. Keep it (times the nodes) below the relay's limit of connections per client (Postfix:
    /// smtpd_client_connection_count_limit, 50).
    /// </summary>
    public int MaxConnections { get; set; } = 32;
}

public enum SmtpSecurity
{
    None,
    StartTls,
}
