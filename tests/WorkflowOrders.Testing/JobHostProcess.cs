using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace WorkflowOrders.Testing;

/// <summary>
/// A running WorkflowOrders.Persistence.JobHost process — a job-executor node of its own, built beside the test
/// project that references it (the engine's timers and task jobs; with <c>--smtp-port</c> also the outbox sender).
/// </summary>
public sealed class JobHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private JobHostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            _lines.Enqueue(e.Data);
            if (e.Data == "ready")
            {
                _ready.TrySetResult();
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _lines.Enqueue("stderr: " + e.Data);
            }
        };
    }

    public IReadOnlyCollection<string> Lines => [.. _lines];

    /// <param name="nodeId">The node's lease owner id and the audit actor of the timers it fires.</param>
    /// <param name="lease">How long the node holds a leased job before another node may take it over.</param>
    /// <param name="hold">How long each job's transaction stays open after the engine's work, before its commit.</param>
    /// <param name="smtpPort">When set, the node also sends the outbox to an SMTP server on 127.0.0.1 at this port.</param>
    public static async Task<JobHostProcess> StartAsync(string connectionString, string nodeId, TimeSpan lease, TimeSpan hold = default, int workers = 4, int batch = 32, int? smtpPort = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(HostAssemblyPath());
        info.ArgumentList.Add(connectionString);
        info.ArgumentList.Add(nodeId);
        AddOption(info, "--lease-ms", (int)lease.TotalMilliseconds);
        AddOption(info, "--hold-ms", (int)hold.TotalMilliseconds);
        AddOption(info, "--workers", workers);
        AddOption(info, "--batch", batch);
        if (smtpPort is { } port)
        {
            AddOption(info, "--smtp-port", port);
        }
        var host = new JobHostProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        host._process.Start();
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        var started = await Task.WhenAny(host._ready.Task, host._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != host._ready.Task)
        {
            host.Kill();
            throw new InvalidOperationException("The job host did not start:\n" + string.Join('\n', host.Lines));
        }

        return host;
    }

    private static void AddOption(ProcessStartInfo info, string name, int value)
    {
        info.ArgumentList.Add(name);
        info.ArgumentList.Add(value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>SIGKILL: no shutdown code runs, leases stay held, open transactions and SMTP conversations are cut off.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static string HostAssemblyPath()
    {
        // …/tests/<test project>/bin/<configuration>/<framework>/ → …/tests/<host>/bin/<configuration>/<framework>/host.dll
        const string host = "WorkflowOrders.Persistence.JobHost";
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!;
        var testsFolder = configuration.Parent!.Parent!.Parent!;
        var path = Path.Combine(testsFolder.FullName, host, "bin", configuration.Name, output.Name, host + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the job host first (dotnet build WorkflowOrders.sln).", path);
    }
}
