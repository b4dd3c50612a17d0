using System.Globalization;
using WorkflowOrders.Bench;

// Benchmarks of WorkflowOrders.Engine; bench/run.sh runs them and sets the figures beside the peer's.
//   WorkflowOrders.Bench engine-throughput <file.bpmn> [instances=50000] [--warmup-seconds=4] [--runs=1] [--no-audit-off] [--allocations]
// Only the result JSON goes to stdout; progress and failures go to stderr, and any failure exits non-zero.

if (args.Length == 0 || args[0] is "help" or "-h" or "--help")
{
    await Console.Error.WriteLineAsync("usage: WorkflowOrders.Bench engine-throughput <file.bpmn> [instances=50000] [--warmup-seconds=4] [--runs=1] [--no-audit-off] [--allocations]");
    return args.Length == 0 ? 2 : 0;
}

if (args[0] != "engine-throughput")
{
    await Console.Error.WriteLineAsync($"unknown benchmark: {args[0]} (known: engine-throughput)");
    return 2;
}

var options = new ThroughputOptions();
var positional = new List<string>();
foreach (var arg in args.Skip(1))
{
    if (arg.StartsWith("--warmup-seconds=", StringComparison.Ordinal) && double.TryParse(arg["--warmup-seconds=".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var warmup) && warmup >= 0)
    {
        options.WarmupSeconds = warmup;
    }
    else if (arg.StartsWith("--runs=", StringComparison.Ordinal) && int.TryParse(arg["--runs=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var runs) && runs >= 1)
    {
        options.Runs = runs;
    }
    else if (arg == "--no-audit-off")
    {
        options.MeasureAuditOff = false;
    }
    else if (arg == "--allocations")
    {
        options.SampleAllocations = true;
    }
    else if (arg.StartsWith("--", StringComparison.Ordinal))
    {
        await Console.Error.WriteLineAsync($"unknown option {arg}");
        return 2;
    }
    else
    {
        positional.Add(arg);
    }
}

if (positional.Count is < 1 or > 2)
{
    await Console.Error.WriteLineAsync("engine-throughput needs <file.bpmn> and optionally the number of instances");
    return 2;
}

options.BpmnFile = positional[0];
if (positional.Count == 2)
{
    if (!int.TryParse(positional[1], NumberStyles.None, CultureInfo.InvariantCulture, out var instances) || instances < 1)
    {
        await Console.Error.WriteLineAsync($"instances must be a whole number of at least 1 (got {positional[1]})");
        return 2;
    }

    options.Instances = instances;
}

try
{
    var json = await EngineThroughput.RunAsync(options);
    Console.WriteLine(json);
    return 0;
}
catch (BenchmarkFailedException e)
{
    await Console.Error.WriteLineAsync($"engine-throughput failed: {e.Message}");
    return 1;
}
