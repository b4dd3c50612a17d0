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

/// <summary>
/// CPU time of the PostgreSQL server: the postmaster and its children (backends, WAL writer, checkpointer …), summed
/// from /proc/&lt;pid&gt;/stat (utime + stime, in clock ticks of 1/100 s). A backend that exited is no longer counted;
/// the connection pools keep theirs open for the whole run.
/// </summary>
internal static class ServerCpu
{
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), NumberStyles.None, CultureInfo.InvariantCulture, out var postmaster))
        {
            return TimeSpan.Zero;
        }

        double ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // Fields after the command name, which is in parentheses and may contain spaces: state ppid … utime(14) stime(15).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (pid == postmaster || parent == postmaster)
            {
                ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
