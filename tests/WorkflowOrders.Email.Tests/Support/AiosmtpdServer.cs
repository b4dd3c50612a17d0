using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace WorkflowOrders.Email.Tests.Support;

/// <summary>
/// A real SMTP server: Debian's python3-aiosmtpd storing every message in a Maildir
/// (<c>/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c aiosmtpd.handlers.Mailbox DIR</c>;
/// scripts/install-test-deps.sh installs it). Stop and start it again on the same port to test outages.
/// </summary>
public sealed class AiosmtpdServer : IDisposable
{
    private Process? _process;

    public AiosmtpdServer()
    {
        Port = FreePort();
        MaildirPath = Path.Combine(Path.GetTempPath(), "wo-smtp-" + Guid.NewGuid().ToString("N"));
    }

    public int Port { get; }

    public string MaildirPath { get; }

    public void Start()
    {
        if (!File.Exists("/usr/bin/python3"))
        {
            throw new InvalidOperationException("/usr/bin/python3 is missing: run scripts/install-test-deps.sh.");
        }

        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture), "-c", "aiosmtpd.handlers.Mailbox", MaildirPath })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("aiosmtpd did not start.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // Bounded wait for the listener (the server starts in < 2 s), not a timer under test.
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("aiosmtpd exited at start (is python3-aiosmtpd installed? run scripts/install-test-deps.sh).");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new TimeoutException("aiosmtpd did not listen within 15 s.");
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Every message received so far, as raw text.</summary>
    public IReadOnlyList<string> Messages()
    {
        var files = new List<string>();
        foreach (var sub in new[] { "new", "cur" })
        {
            var dir = Path.Combine(MaildirPath, sub);
            if (Directory.Exists(dir))
            {
                files.AddRange(Directory.GetFiles(dir));
            }
        }

        return files.Select(File.ReadAllText).ToList();
    }

    public void Dispose()
    {
        Stop();
        if (Directory.Exists(MaildirPath))
        {
            Directory.Delete(MaildirPath, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
