using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;

namespace WorkflowOrders.Web.Features.Designer;

/// <summary>What the designer opens: the draft when there is one, else the newest deployed version.</summary>
public sealed record DesignerSource(string ProcessId, string? Name, string Xml, int? LatestVersion, int? BasedOnVersion, DraftInfo? Draft);

public sealed record DraftInfo(DateTimeOffset SavedAt, string SavedBy, int? BasedOnVersion);

/// <summary>One problem as the designer shows it; <see cref="ElementId"/> marks the element on the canvas.</summary>
public sealed record DesignerProblem(string Severity, string? ElementId, string? ElementType, string? ElementName, string Message)
{
    public static DesignerProblem From(BpmnProblem problem) => new(
        problem.Severity == ProblemSeverity.Error ? "error" : "warning",
        problem.ElementId,
        problem.ElementType,
        problem.ElementName,
        problem.Message);

    public static DesignerProblem Error(string message) => new("error", null, null, null, message);
}

/// <summary>The answer of a deployment: the version now newest, whether it is new, the task forms deployed with it.</summary>
public sealed record DesignerDeployment(int Version, int? PreviousVersion, bool Unchanged, IReadOnlyList<string> Forms);

/// <summary>Either a result or the problems that refused the request (nothing was changed then).</summary>
public sealed record DesignerOutcome<T>(T? Result, IReadOnlyList<DesignerProblem> Problems)
    where T : class
{
    public bool Refused => Result is null;
}

/// <summary>
/// Draft, check and deploy of a process definition edited in the designer. Drafts live in <c>design_drafts</c> (kind
/// "process", keyed by the BPMN process id); deploying goes through <see cref="WorkflowRuntime.DeployAsync"/>, which
/// validates again, creates version N+1 only for changed content and writes the audit event.
/// </summary>
public sealed class DesignerService(IDbContextFactory<WorkflowDbContext> contexts, WorkflowRuntime runtime, TimeProvider time)
{
    public async Task<DesignerSource?> LoadAsync(string processId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var latest = await LatestAsync(db, processId, cancellationToken).ConfigureAwait(false);
        var draft = await FindDraftAsync(db, DesignDraftKinds.Process, processId, cancellationToken).ConfigureAwait(false);
        if (draft is not null)
        {
            var name = BpmnParser.Parse(draft.Content).Document?.Processes.FirstOrDefault(p => p.Id == processId)?.Name ?? latest?.Name;
            return new DesignerSource(processId, name, draft.Content, latest?.Version, draft.BasedOnVersion, new DraftInfo(draft.SavedAt, draft.SavedBy, draft.BasedOnVersion));
        }

        return latest is null ? null : new DesignerSource(processId, latest.Name, latest.Xml, latest.Version, latest.Version, null);
    }

    /// <summary>Saves (or replaces) the draft. Drafts may be invalid; only the process id must match the page's.</summary>
    public async Task<DesignerOutcome<DraftInfo>> SaveDraftAsync(string processId, string xml, string user, CancellationToken cancellationToken = default)
    {
        var mismatch = CheckProcessId(processId, xml);
        if (mismatch is not null)
        {
            return new DesignerOutcome<DraftInfo>(null, [mismatch]);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var draft = await FindDraftAsync(db, DesignDraftKinds.Process, processId, cancellationToken).ConfigureAwait(false);
        if (draft is null)
        {
            var latest = await LatestAsync(db, processId, cancellationToken).ConfigureAwait(false);
            draft = new DesignDraftRow { Kind = DesignDraftKinds.Process, ResourceId = processId, Content = xml, SavedBy = user, BasedOnVersion = latest?.Version };
            db.DesignDrafts.Add(draft);
        }

        draft.Content = xml;
        draft.SavedBy = user;
        draft.SavedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new DesignerOutcome<DraftInfo>(new DraftInfo(draft.SavedAt, draft.SavedBy, draft.BasedOnVersion), []);
    }

    /// <summary>Removes the draft; the designer then shows the newest deployed version again.</summary>
    public async Task<bool> DiscardDraftAsync(string processId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var removed = await db.DesignDrafts.Where(d => d.Kind == DesignDraftKinds.Process && d.ResourceId == processId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return removed > 0;
    }

    /// <summary>The server's verdict: everything the engine's parser and validator say (errors and warnings).</summary>
    public static IReadOnlyList<DesignerProblem> Validate(string processId, string xml)
    {
        var mismatch = CheckProcessId(processId, xml);
        var problems = BpmnLoader.Check(xml).Select(DesignerProblem.From).ToList();
        if (mismatch is not null)
        {
            problems.Insert(0, mismatch);
        }

        return problems;
    }

    /// <summary>
    /// Validates and deploys the process with the drafts of the task forms its user tasks reference, then removes the
    /// deployed drafts. Refused (nothing deployed, drafts kept) when the server finds any error.
    /// </summary>
    public async Task<DesignerOutcome<DesignerDeployment>> DeployAsync(string processId, string xml, string user, CancellationToken cancellationToken = default)
    {
        var problems = Validate(processId, xml);
        if (problems.Any(p => p.Severity == "error"))
        {
            return new DesignerOutcome<DesignerDeployment>(null, problems);
        }

        var document = BpmnParser.Parse(xml).Document!;
        var formIds = document.Processes.Where(p => p.IsExecutable)
            .SelectMany(p => p.Nodes.OfType<UserTask>())
            .Select(t => t.FormId)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var latest = await LatestAsync(db, processId, cancellationToken).ConfigureAwait(false);
        var formDrafts = await db.DesignDrafts.AsNoTracking()
            .Where(d => d.Kind == DesignDraftKinds.Form && formIds.Contains(d.ResourceId))
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        var resources = new List<DeploymentResource> { new(latest?.ResourceName ?? processId + ".bpmn", xml) };
        resources.AddRange(formDrafts.OrderBy(d => d.ResourceId, StringComparer.Ordinal).Select(d => new DeploymentResource(d.ResourceId + ".form", d.Content)));

        DeploymentResult result;
        try
        {
            result = await runtime.DeployAsync(resources, user, cancellationToken).ConfigureAwait(false);
        }
        catch (BpmnValidationException e)
        {
            return new DesignerOutcome<DesignerDeployment>(null, e.Problems.Select(DesignerProblem.From).ToList());
        }

        var definition = result.Definitions.First(d => d.ProcessId == processId);
        var deployedForms = formDrafts.Select(d => d.ResourceId).ToList();
        await db.DesignDrafts
            .Where(d => (d.Kind == DesignDraftKinds.Process && d.ResourceId == processId) || (d.Kind == DesignDraftKinds.Form && deployedForms.Contains(d.ResourceId)))
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);

        var unchanged = latest is not null && definition.Version == latest.Version;
        return new DesignerOutcome<DesignerDeployment>(new DesignerDeployment(definition.Version, latest?.Version, unchanged, deployedForms), []);
    }

    /// <summary>The one executable process of the file must be the one the designer was opened for.</summary>
    private static DesignerProblem? CheckProcessId(string processId, string xml)
    {
        var parsed = BpmnParser.Parse(xml);
        if (parsed.Document is null)
        {
            return parsed.Problems.Count > 0 ? DesignerProblem.From(parsed.Problems[0]) : DesignerProblem.Error("The file is not a BPMN definitions file.");
        }

        var ids = parsed.Document.Processes.Where(p => p.IsExecutable).Select(p => p.Id).ToList();
        return ids.Count == 1 && ids[0] == processId
            ? null
            : DesignerProblem.Error($"The diagram must hold exactly one executable process with the id '{processId}' (the process this designer was opened for); it holds {(ids.Count == 0 ? "none" : string.Join(", ", ids.Select(i => $"'{i}'")))}. Change the process id back, or upload the file as a new procedure.");
    }

    private static Task<ProcessDefinitionRow?> LatestAsync(WorkflowDbContext db, string processId, CancellationToken cancellationToken) =>
        db.ProcessDefinitions.AsNoTracking()
            .Where(d => d.BpmnProcessId == processId)
            .OrderByDescending(d => d.Version)
            .FirstOrDefaultAsync(cancellationToken);

    private static Task<DesignDraftRow?> FindDraftAsync(WorkflowDbContext db, string kind, string resourceId, CancellationToken cancellationToken) =>
        db.DesignDrafts.FirstOrDefaultAsync(d => d.Kind == kind && d.ResourceId == resourceId, cancellationToken);
}
