using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace WorkflowOrders.Email.Tests.Support;

/// <summary>
/// A running WorkflowOrders.Persistence.JobHost process with the outbox sender (<c>--smtp-port</c>), built beside
/// this test project by its project reference.
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

    public static async Task<JobHostProcess> StartAsync(string connectionString, string nodeId, int smtpPort, TimeSpan lease, int workers, int batch)
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
        foreach (var (name, value) in new[] { ("--smtp-port", smtpPort), ("--lease-ms", (int)lease.TotalMilliseconds), ("--workers", workers), ("--batch", batch) })
        {
            info.ArgumentList.Add(name);
            info.ArgumentList.Add(value.ToString(CultureInfo.InvariantCulture));
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
        // …/tests/WorkflowOrders.Email.Tests/bin/<configuration>/net10.0/ → the host's output of the same configuration.
        const string thisProject = "WorkflowOrders.Email.Tests";
        const string host = "WorkflowOrders.Persistence.JobHost";
        var baseDirectory = AppContext.BaseDirectory;
        var index = baseDirectory.LastIndexOf(thisProject, StringComparison.Ordinal);
        var path = Path.Combine(baseDirectory[..index] + host + baseDirectory[(index + thisProject.Length)..], host + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the job host first (dotnet build WorkflowOrders.sln).", path);
    }
}
