using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Web.Features.Procedures;

/// <summary>What deploying an uploaded file would do to one process it holds.</summary>
public sealed record PlannedVersion(string ProcessId, BilingualName Name, int? CurrentVersion, bool Unchanged, int ActiveInstances, ProcessDiffResult? Diff)
{
    public int NewVersion => Unchanged ? CurrentVersion ?? 1 : (CurrentVersion ?? 0) + 1;
}

/// <summary>The server's verdict on an uploaded .bpmn: its problems (errors refuse it) and, when deployable, the plan.</summary>
public sealed record UploadCheck(IReadOnlyList<BpmnProblem> Problems, IReadOnlyList<PlannedVersion> Plan)
{
    public bool HasErrors => Problems.Any(p => p.Severity == ProblemSeverity.Error);

    /// <summary>Nothing would change: every process in the file equals its latest version.</summary>
    public bool IsUnchanged => !HasErrors && Plan.Count > 0 && Plan.All(p => p.Unchanged);
}

/// <summary>The outcome of a confirmed upload: per process, the version it is at and whether this deployment created it.</summary>
public sealed record UploadOutcome(IReadOnlyList<(string ProcessId, int Version, bool Created)> Versions);

/// <summary>
/// Upload of a process definition by a process owner: check first (parse, validate, compare with the latest version,
/// count the instances that stay where they are), deploy only after the owner confirmed. The runtime decides again at
/// deployment, in its own transaction, so a version deployed between check and confirm is not overwritten.
/// </summary>
public sealed class ProcedureUpload(WorkflowRuntime runtime, ProceduresQuery query)
{
    /// <summary>The largest file accepted; the order procedure with its diagram is about 100 kB.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    public async Task<UploadCheck> CheckAsync(string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var problems = BpmnLoader.Check(content);
        if (problems.Any(p => p.Severity == ProblemSeverity.Error))
        {
            return new UploadCheck(problems, []);
        }

        var document = BpmnParser.Parse(content).Document!;
        var executable = document.Processes.Where(p => p.IsExecutable).ToList();
        if (executable.Count == 0)
        {
            return new UploadCheck([.. problems, BpmnProblem.Error(null, "definitions", null, "The file holds no executable process (isExecutable=\"true\").")], []);
        }

        var plan = new List<PlannedVersion>();
        await using var uow = await runtime.Store.BeginAsync(cancellationToken).ConfigureAwait(false);
        foreach (var process in executable)
        {
            var latest = await uow.FindLatestDefinitionAsync(process.Id).ConfigureAwait(false);
            // The runtime hashes the process id with the whole file: the same text is the same version.
            var unchanged = latest is not null && string.Equals(latest.Xml, content, StringComparison.Ordinal);
            var active = latest is null ? 0 : await query.ActiveInstancesAsync(process.Id, cancellationToken).ConfigureAwait(false);
            var diff = latest is null || unchanged ? null : ProcessDiff.Compare(latest.Model, process);
            plan.Add(new PlannedVersion(process.Id, BilingualName.Of(process), latest?.Version, unchanged, active, diff));
        }

        return new UploadCheck(problems, plan);
    }

    /// <summary>Deploys as <paramref name="actor"/>; throws <see cref="BpmnValidationException"/> when the runtime refuses the file.</summary>
    public async Task<UploadOutcome> DeployAsync(string fileName, string content, string actor, CancellationToken cancellationToken = default)
    {
        var result = await runtime.DeployAsync([new DeploymentResource(ResourceName(fileName), content)], actor, cancellationToken).ConfigureAwait(false);
        return new UploadOutcome(result.Definitions.Select(d => (d.ProcessId, d.Version, d.DeploymentKey == result.DeploymentKey)).ToList());
    }

    /// <summary>The file's own name (no folders), ending in .bpmn as the runtime requires.</summary>
    public static string ResourceName(string? fileName)
    {
        var name = Path.GetFileName(fileName ?? "");
        if (string.IsNullOrWhiteSpace(name))
        {
            name = "upload.bpmn";
        }

        return name.EndsWith(".bpmn", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".bpmn20.xml", StringComparison.OrdinalIgnoreCase)
            ? name
            : name + ".bpmn";
    }
}
