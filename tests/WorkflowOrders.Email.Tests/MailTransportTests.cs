using System.Text.RegularExpressions;
using WorkflowOrders.Email.Tests.Support;
using WorkflowOrders.Persistence.Entities;

namespace WorkflowOrders.Email.Tests;

/// <summary>SystemNetMailTransport's kept connections, against a real SMTP server (aiosmtpd, whose Maildir records each message's client as X-Peer).</summary>
public sealed partial class MailTransportTests : IDisposable
{
    private readonly AiosmtpdServer _smtp = new();

    public void Dispose() => _smtp.Dispose();

    [Fact]
    public async Task SendAsync_MessagesOneAfterAnother_GoOverOneConnection()
    {
        _smtp.Start();
        using var transport = new SystemNetMailTransport(Options());

        for (var i = 0; i < 3; i++)
        {
            await transport.SendAsync(Message(i), CancellationToken.None);
        }

        var peers = Peers();
        Assert.Equal(3, peers.Count);
        Assert.Single(peers.Distinct(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SendAsync_KeptConnectionClosedByServer_SendsOnceOnFreshConnection()
    {
        _smtp.Start();
        using var transport = new SystemNetMailTransport(Options());
        await transport.SendAsync(Message(1), CancellationToken.None);
        // A restart closes the kept connection from the server's side, as an idle timeout would.
        _smtp.Stop();
        _smtp.Start();

        var reply = await transport.SendAsync(Message(2), CancellationToken.None);

        Assert.StartsWith("250", reply, StringComparison.Ordinal);
        var peers = Peers();
        Assert.Equal(2, peers.Count);
        Assert.Equal(2, peers.Distinct(StringComparer.Ordinal).Count());
        Assert.Single(_smtp.Messages(), m => m.Contains("<transport-2@test.local>", StringComparison.Ordinal));
    }

    private MailOptions Options() => new()
    {
        Transport = MailTransportKind.Smtp,
        Smtp = new SmtpOptions { Host = "127.0.0.1", Port = _smtp.Port, TimeoutSeconds = 10 },
    };

    private static OutboxMessageRow Message(int n) => new()
    {
        MessageId = $"transport-{n}@test.local",
        ToAddresses = "manager@example.test",
        Subject = $"[逾期提醒] 评审订单 · 订单 ORD-{n}",
        HtmlBody = "<p>已逾期</p>",
        TextBody = "已逾期",
        Language = "zh-CN",
        Status = OutboxStatus.Pending,
        CauseKind = "test",
    };

    private List<string> Peers() =>
        _smtp.Messages().Select(m => PeerHeader().Match(m).Groups[1].Value).ToList();

    [GeneratedRegex(@"^X-Peer:\s*(.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex PeerHeader();
}
