using System.Diagnostics;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.InMemory;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Bench;

internal sealed class ThroughputOptions
{
    public string BpmnFile { get; set; } = "";
    public int Instances { get; set; } = 50_000;

    /// <summary>
    /// Least seconds of untimed instances first (more while the rate still rises). Tiered compilation optimises the
    /// hot methods only after they have been called a while, and on one core the background compiler shares the core
    /// with the benchmark (see the project file for the delay the benchmark switches off).
    /// </summary>
    public double WarmupSeconds { get; set; } = 4;

    public bool MeasureAuditOff { get; set; } = true;

    /// <summary>Timed runs per setting; the median is reported.</summary>
    public int Runs { get; set; } = 1;

    /// <summary>Samples which types the timed runs allocate and prints the top ones to stderr (slows the run a little).</summary>
    public bool SampleAllocations { get; set; }
}

internal sealed class BenchmarkFailedException(string message) : Exception(message);

/// <summary>
/// In-memory throughput: instances of the order review started and driven to their end, one after another on one
/// thread, through the same <see cref="WorkflowRuntime"/> methods the REST API calls. Every run gets a fresh store
/// and runtime, so the audit-off run does not inherit the heap of the audit-on run.
/// </summary>
internal static class EngineThroughput
{
    private const int ReviewTasks = 6;
    private const string ApprovalTaskId = "Approve";
    private const string ApprovedEndId = "Approved";
    private const string DeclinedEndId = "Declined";
    private const string Actor = "bench";

    public static async Task<string> RunAsync(ThroughputOptions options)
    {
        if (!File.Exists(options.BpmnFile))
        {
            throw new BenchmarkFailedException($"no such file: {options.BpmnFile}");
        }

        var xml = await File.ReadAllTextAsync(options.BpmnFile);
        var calendars = CalendarCatalog.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "workflows", "calendars"));

        await WarmUpAsync(xml, calendars, options);
        var auditOn = await MedianAsync(xml, calendars, options, keepAudit: true);
        Measurement? auditOff = null;
        if (options.MeasureAuditOff)
        {
            auditOff = await MedianAsync(xml, calendars, options, keepAudit: false);
        }

        var result = new JsonObject
        {
            ["engine"] = "WorkflowOrders",
            ["version"] = EngineVersion(),
            ["instances"] = auditOn.Instances,
            ["seconds"] = Math.Round(auditOn.Seconds, 3),
            ["perSecond"] = Math.Round(auditOn.PerSecond),
            ["cpuSeconds"] = Math.Round(auditOn.CpuSeconds, 3),
            ["audit"] = "kept",
            ["userTasksPerInstance"] = ReviewTasks + 1,
            ["auditEventsPerInstance"] = Math.Round(auditOn.AuditEventsPerInstance, 1),
            ["allocatedBytesPerInstance"] = Math.Round(auditOn.AllocatedBytesPerInstance),
            ["gcCollections"] = auditOn.GcCollections,
            ["gcPauseSeconds"] = Math.Round(auditOn.GcPauseSeconds, 3),
            ["retainedBytesPerInstance"] = Math.Round(auditOn.RetainedBytesPerInstance),
            ["peakWorkingSetMB"] = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024),
            ["warmupSeconds"] = options.WarmupSeconds,
            ["runs"] = options.Runs,
        };
        if (auditOff is not null)
        {
            result["auditOff"] = new JsonObject
            {
                ["instances"] = auditOff.Instances,
                ["seconds"] = Math.Round(auditOff.Seconds, 3),
                ["perSecond"] = Math.Round(auditOff.PerSecond),
                ["cpuSeconds"] = Math.Round(auditOff.CpuSeconds, 3),
                ["allocatedBytesPerInstance"] = Math.Round(auditOff.AllocatedBytesPerInstance),
                ["gcPauseSeconds"] = Math.Round(auditOff.GcPauseSeconds, 3),
                ["retainedBytesPerInstance"] = Math.Round(auditOff.RetainedBytesPerInstance),
            };
        }

        return result.ToJsonString(JsonOutput);
    }

    // The version carries a '+' (build metadata) that the default encoder would escape.
    private static readonly JsonSerializerOptions JsonOutput = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private sealed record Measurement(int Instances, double Seconds, double CpuSeconds, double AllocatedBytesPerInstance, double AuditEventsPerInstance, string GcCollections, double GcPauseSeconds, double RetainedBytesPerInstance)
    {
        public double PerSecond => Instances / Seconds;
    }

    /// <summary>The run with the median rate of <see cref="ThroughputOptions.Runs"/> runs (other jobs on a shared machine make single runs noisy).</summary>
    private static async Task<Measurement> MedianAsync(string xml, CalendarCatalog calendars, ThroughputOptions options, bool keepAudit)
    {
        var runs = new List<Measurement>();
        for (var i = 0; i < options.Runs; i++)
        {
            runs.Add(await MeasureAsync(xml, calendars, options, keepAudit));
        }

        return runs.OrderBy(r => r.PerSecond).ElementAt(runs.Count / 2);
    }

    /// <summary>
    /// Untimed instances until the rate stops rising: half-second windows, each on a fresh store (audit kept and off
    /// in turn, so both paths are compiled and the heap stays small), until no window of either kind has beaten
    /// that kind's best by more than 2% for the last four windows — at least <see cref="ThroughputOptions.WarmupSeconds"/>,
    /// at most four times as long.
    /// </summary>
    private static async Task WarmUpAsync(string xml, CalendarCatalog calendars, ThroughputOptions options)
    {
        const double WindowSeconds = 0.5;
        const int QuietWindows = 4;
        var best = new double[2];
        var sinceBest = 0;
        var windows = 0;
        var instances = 0;
        var started = Stopwatch.GetTimestamp();
        for (var window = 0; ; window++)
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if ((elapsed >= options.WarmupSeconds && sinceBest >= QuietWindows) || elapsed >= 4 * options.WarmupSeconds)
            {
                break;
            }

            var keepAudit = window % 2 == 0;
            var (runtime, store, processId) = await CreateAsync(xml, calendars, options, keepAudit);
            using (store)
            {
                if (window == 0)
                {
                    await ProveConditionIsEvaluatedAsync(runtime, store, processId);
                }

                var windowStarted = Stopwatch.GetTimestamp();
                var count = 0;
                while (Stopwatch.GetElapsedTime(windowStarted).TotalSeconds < WindowSeconds)
                {
                    await RunOneAsync(runtime, store, processId);
                    count++;
                }

                var rate = count / Stopwatch.GetElapsedTime(windowStarted).TotalSeconds;
                var kind = keepAudit ? 0 : 1;
                sinceBest = rate > best[kind] * 1.02 ? 0 : sinceBest + 1;
                best[kind] = Math.Max(best[kind], rate);
                instances += count;
                windows++;
            }
        }

        await Console.Error.WriteLineAsync(
            $"warm-up: {instances} instances in {windows} windows, {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s; best window {best[0]:F0}/s with audit kept, {best[1]:F0}/s without");
    }

    /// <summary>The runtime as the product builds it: system clock, sequential keys, the real calendars; the definition deployed.</summary>
    private static async Task<(WorkflowRuntime Runtime, InMemoryWorkflowStore Store, string ProcessId)> CreateAsync(string xml, CalendarCatalog calendars, ThroughputOptions options, bool keepAudit)
    {
        var store = new InMemoryWorkflowStore { KeepAudit = keepAudit };
        var engine = new WorkflowEngine(new EngineServices { Time = TimeProvider.System, Keys = new SequentialKeyGenerator(), Calendars = calendars });
        var runtime = new WorkflowRuntime(engine, store);
        var deployed = await runtime.DeployAsync([new DeploymentResource(Path.GetFileName(options.BpmnFile), xml)], Actor);
        if (deployed.Definitions.Count != 1)
        {
            store.Dispose();
            throw new BenchmarkFailedException($"expected one executable process in {options.BpmnFile}, found {deployed.Definitions.Count}");
        }

        return (runtime, store, deployed.Definitions[0].ProcessId);
    }

    private static async Task<Measurement> MeasureAsync(string xml, CalendarCatalog calendars, ThroughputOptions options, bool keepAudit)
    {
        var (runtime, store, processId) = await CreateAsync(xml, calendars, options, keepAudit);
        using var owned = store;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var auditBefore = store.Audit.Count;
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var pauseBefore = GC.GetTotalPauseDuration();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        using var sampler = options.SampleAllocations ? new AllocationSampler() : null;
        sampler?.Start();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < options.Instances; i++)
        {
            await RunOneAsync(runtime, store, processId);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        sampler?.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var gcPause = GC.GetTotalPauseDuration() - pauseBefore;
        var retained = (double)(GC.GetTotalMemory(forceFullCollection: true) - heapBefore) / options.Instances;
        var collections = $"{GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}";
        var auditPerInstance = (double)(store.Audit.Count - auditBefore) / options.Instances;
        if (keepAudit && auditPerInstance < 1)
        {
            throw new BenchmarkFailedException("audit events were to be kept, but none were recorded");
        }

        await Console.Error.WriteLineAsync(
            $"audit {(keepAudit ? "kept" : "off")}: {options.Instances} instances in {elapsed.TotalSeconds:F3} s = {options.Instances / elapsed.TotalSeconds:F0}/s, " +
            $"CPU {cpu.TotalSeconds:F3} s, {allocated / options.Instances:N0} bytes allocated per instance, GC gen0/1/2 {collections}, GC pauses {gcPause.TotalSeconds:F3} s, {retained:N0} bytes kept per instance");
        if (sampler is not null)
        {
            foreach (var (type, share) in sampler.Top(25))
            {
                await Console.Error.WriteLineAsync($"  {share,6:P1}  {type}");
            }
        }

        return new Measurement(options.Instances, elapsed.TotalSeconds, cpu.TotalSeconds, (double)allocated / options.Instances, auditPerInstance, collections, gcPause.TotalSeconds, retained);
    }

    /// <summary>One instance: start, the six reviews pass, the manager approves; fails unless it completed at the approval end.</summary>
    private static async Task RunOneAsync(WorkflowRuntime runtime, InMemoryWorkflowStore store, string processId)
    {
        var instanceKey = await CompleteReviewsAsync(runtime, processId, "pass");
        var state = store.Instance(instanceKey)!;
        if (state.Elements.Count != 1 || state.Elements[0] is not { Wait: WaitKind.UserTask, ElementId: ApprovalTaskId, UserTaskKey: { } approvalTask })
        {
            throw new BenchmarkFailedException($"instance {instanceKey}: after six passed reviews it should wait for '{ApprovalTaskId}', but waits for [{string.Join(", ", state.Elements.Select(e => $"{e.ElementId} ({e.Wait})"))}]");
        }

        await runtime.CompleteUserTaskAsync(approvalTask, Pass(), Actor);
        if (state.Status != InstanceStatus.Completed)
        {
            throw new BenchmarkFailedException($"instance {instanceKey} is {state.Status} after the approval, not Completed");
        }
    }

    /// <summary>Starts an instance and completes its six review tasks with the given outcome; returns the instance key.</summary>
    private static async Task<long> CompleteReviewsAsync(WorkflowRuntime runtime, string processId, string outcome)
    {
        var state = await runtime.StartInstanceAsync(processId, null, null, Actor);

        // The open tasks of the instance, as the inbox lists them: copied first, since completing one changes the list.
        var tasks = new long[ReviewTasks];
        var open = 0;
        foreach (var element in state.Elements)
        {
            if (element is { Wait: WaitKind.UserTask, UserTaskKey: { } task } && open < ReviewTasks)
            {
                tasks[open++] = task;
            }
        }

        if (open != ReviewTasks || state.Elements.Count != ReviewTasks)
        {
            throw new BenchmarkFailedException($"instance {state.Key}: expected {ReviewTasks} open review tasks after the start, found {state.Elements.Count} waiting elements");
        }

        for (var i = 0; i < ReviewTasks; i++)
        {
            await runtime.CompleteUserTaskAsync(tasks[i], Outcome(outcome), Actor);
        }

        return state.Key;
    }

    /// <summary>Like the peer's first instance: a rework outcome must end at the declined end, or the gateway is not really deciding.</summary>
    private static async Task ProveConditionIsEvaluatedAsync(WorkflowRuntime runtime, InMemoryWorkflowStore store, string processId)
    {
        var keepAudit = store.KeepAudit;
        store.KeepAudit = true;
        var instanceKey = await CompleteReviewsAsync(runtime, processId, "rework");
        store.KeepAudit = keepAudit;
        var state = store.Instance(instanceKey)!;
        var ends = store.Audit
            .Where(a => a.InstanceKey == instanceKey && a.Kind == AuditKinds.ElementCompleted && a.ElementId is ApprovedEndId or DeclinedEndId)
            .Select(a => a.ElementId)
            .ToList();
        if (state.Status != InstanceStatus.Completed || ends is not [DeclinedEndId])
        {
            throw new BenchmarkFailedException($"an instance whose reviews said 'rework' should end at '{DeclinedEndId}', but it is {state.Status} and reached [{string.Join(", ", ends)}]");
        }
    }

    private static JsonObject Pass() => Outcome("pass");

    // A fresh object per request, as the REST API parses one from every request body.
    private static JsonObject Outcome(string outcome) => new() { ["reviewOutcome"] = outcome };

    private static string EngineVersion()
    {
        var informational = typeof(WorkflowEngine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..Math.Min(informational.Length, plus + 8)];
    }
}
