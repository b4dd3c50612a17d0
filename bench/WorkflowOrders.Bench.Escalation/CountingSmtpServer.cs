using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace WorkflowOrders.Bench.Escalation;

/// <summary>One message the server accepted: when (the server's clock), from which client port, its Message-ID.</summary>
internal sealed record AcceptedMessage(DateTimeOffset At, int ClientPort, string MessageId);

/// <summary>
/// Debian's python3-aiosmtpd on a free loopback port with <c>smtp_counter.py</c> (next to this program) as its handler:
/// it accepts every message and logs one line per message instead of storing it, so the server's own cost stays small
/// (<c>/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_counter.Counter FILE</c>; scripts/install-test-deps.sh
/// installs the package).
/// </summary>
internal sealed class CountingSmtpServer : IDisposable
{
    private readonly Process _process;
    private readonly string _logPath;

    private CountingSmtpServer(Process process, int port, string logPath)
    {
        _process = process;
        Port = port;
        _logPath = logPath;
    }

    public int Port { get; }

    /// <summary>CPU time the server process has used so far (it is single-threaded: one core at most).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static CountingSmtpServer Start()
    {
        if (!File.Exists("/usr/bin/python3"))
        {
            throw new InvalidOperationException("/usr/bin/python3 is missing: run scripts/install-test-deps.sh.");
        }

        var port = FreePort();
        var log = Path.Combine(Path.GetTempPath(), $"workflow-bench-smtp-{Environment.ProcessId}.log");
        File.WriteAllText(log, "");
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.Environment["PYTHONPATH"] = AppContext.BaseDirectory;
        foreach (var arg in new[] { "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), "-c", "smtp_counter.Counter", log })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("aiosmtpd did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new CountingSmtpServer(process, port, log);
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("aiosmtpd exited at start (is python3-aiosmtpd installed? run scripts/install-test-deps.sh).");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        server.Dispose();
        throw new TimeoutException("aiosmtpd did not listen within 15 s.");
    }

    /// <summary>Messages accepted so far (complete lines of the log).</summary>
    public int Count()
    {
        using var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new byte[1 << 16];
        var lines = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return lines;
    }

    public List<AcceptedMessage> Read()
    {
        var result = new List<AcceptedMessage>();
        using var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split(' ', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            var epoch = double.Parse(parts[0], CultureInfo.InvariantCulture);
            result.Add(new AcceptedMessage(
                DateTimeOffset.FromUnixTimeMilliseconds(0).AddTicks((long)(epoch * TimeSpan.TicksPerSecond)),
                int.Parse(parts[1], CultureInfo.InvariantCulture),
                parts[2]));
        }

        return result;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        File.Delete(_logPath);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
