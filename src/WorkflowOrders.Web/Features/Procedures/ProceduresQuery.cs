using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.Features.Work;

namespace WorkflowOrders.Web.Features.Procedures;

/// <summary>A process's name in both languages: the BPMN name (Chinese) and its <c>name.en</c> property.</summary>
public sealed record BilingualName(string Chinese, string English)
{
    public string In(string culture) => culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Chinese : English;

    public string Other(string culture) => culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? English : Chinese;

    public static BilingualName Of(ProcessModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var chinese = model.Name ?? model.Id;
        return new BilingualName(chinese, model.EnglishName ?? chinese);
    }
}

public sealed record VersionView(
    long Key, int Version, DateTimeOffset DeployedAt, string DeployedBy, string ContentHash, string ResourceName, int Active, int Total)
{
    /// <summary>The first 8 hex digits: enough to tell versions apart on screen.</summary>
    public string HashShort => ContentHash.Length > 8 ? ContentHash[..8] : ContentHash;
}

public sealed record DraftView(DateTimeOffset SavedAt, string SavedBy, int? BasedOnVersion);

public sealed record ProcessView(string ProcessId, BilingualName Name, IReadOnlyList<VersionView> Versions, DraftView? Draft)
{
    /// <summary>Newest first.</summary>
    public VersionView Latest => Versions[0];
}

public sealed record FormUse(string ProcessId, string ProcessName, string TaskId, string TaskName);

public sealed record FormView(string FormId, int Version, DateTimeOffset DeployedAt, string DeployedBy, IReadOnlyList<FormUse> UsedBy, DraftView? Draft);

/// <summary>One deployment from the audit history: a process or form version created by <see cref="Actor"/>.</summary>
public sealed record DeploymentEntry(DateTimeOffset At, string Actor, bool IsForm, string ResourceId, int? Version, string? ResourceName);

public sealed record ProceduresView(IReadOnlyList<ProcessView> Processes, IReadOnlyList<FormView> Forms, IReadOnlyList<DeploymentEntry> History);

/// <summary>Reads everything the procedures page shows: processes with their versions and instance counts, forms, drafts, deployments.</summary>
public sealed class ProceduresQuery(WorkflowDbContextFactory contexts, WorkflowRuntime runtime, PeopleNames people)
{
    /// <summary>The deployments listed, newest first.</summary>
    public const int HistorySize = 100;

    /// <summary>The audit actor of start-up deployments from the workflows folder.</summary>
    public const string SystemActor = "system";

    public async Task<ProceduresView> LoadAsync(string culture, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.CreateDbContext();
        var definitions = await db.ProcessDefinitions.AsNoTracking()
            .Select(d => new { d.Key, d.BpmnProcessId, d.Version, d.ContentHash, d.ResourceName, d.DeployedBy, d.DeployedAt })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var counts = await db.ProcessInstances.AsNoTracking()
            .GroupBy(i => i.DefinitionKey)
            .Select(g => new { Key = g.Key, Total = g.Count(), Active = g.Count(i => i.State == ProcessInstanceState.Active) })
            .ToDictionaryAsync(x => x.Key, cancellationToken).ConfigureAwait(false);
        var forms = await db.Forms.AsNoTracking()
            .Select(f => new { f.FormId, f.Version, f.DeployedAt })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var drafts = await db.DesignDrafts.AsNoTracking()
            .Select(d => new { d.Kind, d.ResourceId, d.SavedAt, d.SavedBy, d.BasedOnVersion })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var audit = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Kind == AuditKinds.DefinitionDeployed || e.Kind == AuditKinds.FormDeployed)
            .OrderByDescending(e => e.Id).Take(HistorySize)
            .Select(e => new { e.Kind, e.ElementId, e.Actor, e.At, e.Details })
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        var history = audit.Select(e =>
        {
            var details = e.Details is null ? null : JsonNode.Parse(e.Details) as JsonObject;
            return new DeploymentEntry(e.At, e.Actor ?? SystemActor, e.Kind == AuditKinds.FormDeployed, e.ElementId ?? "",
                details?["version"]?.GetValue<int>(), details?["resourceName"]?.GetValue<string>());
        }).ToList();

        var names = await people.ResolveAsync(
            definitions.Select(d => d.DeployedBy).Concat(drafts.Select(d => d.SavedBy)).Concat(history.Select(h => h.Actor)), cancellationToken).ConfigureAwait(false);
        string Name(string? user) => user is null ? SystemActor : names.GetValueOrDefault(user, user);

        var latest = new Dictionary<string, ProcessDefinition>(StringComparer.Ordinal);
        await using (var uow = await runtime.Store.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var definition in await uow.LatestDefinitionsAsync().ConfigureAwait(false))
            {
                latest[definition.ProcessId] = definition;
            }
        }

        DraftView? Draft(string kind, string id) => drafts.Where(d => d.Kind == kind && d.ResourceId == id)
            .Select(d => new DraftView(d.SavedAt, Name(d.SavedBy), d.BasedOnVersion)).FirstOrDefault();

        var processes = definitions.GroupBy(d => d.BpmnProcessId, StringComparer.Ordinal)
            .Select(g => new ProcessView(
                g.Key,
                latest.TryGetValue(g.Key, out var model) ? BilingualName.Of(model.Model) : new BilingualName(g.Key, g.Key),
                g.OrderByDescending(d => d.Version).Select(d =>
                {
                    var count = counts.GetValueOrDefault(d.Key);
                    return new VersionView(d.Key, d.Version, d.DeployedAt, Name(d.DeployedBy), d.ContentHash, d.ResourceName, count?.Active ?? 0, count?.Total ?? 0);
                }).ToList(),
                Draft(DesignDraftKinds.Process, g.Key)))
            .OrderBy(p => p.ProcessId, StringComparer.Ordinal)
            .ToList();

        var uses = latest.Values
            .SelectMany(d => d.Model.Nodes.OfType<UserTask>().Where(t => t.FormId is not null)
                .Select(t => (FormId: t.FormId!, Use: new FormUse(d.ProcessId, BilingualName.Of(d.Model).In(culture), t.Id,
                    InstanceFacts.TaskName(t.Name, t.Properties, t.Id, culture)))))
            .ToLookup(x => x.FormId, x => x.Use, StringComparer.Ordinal);
        var formDeployers = history.Where(h => h.IsForm && h.Version is not null)
            .GroupBy(h => (h.ResourceId, h.Version!.Value)).ToDictionary(g => g.Key, g => g.First().Actor);
        var formViews = forms.GroupBy(f => f.FormId, StringComparer.Ordinal)
            .Select(g => g.MaxBy(f => f.Version)!)
            .Select(f => new FormView(f.FormId, f.Version, f.DeployedAt,
                Name(formDeployers.GetValueOrDefault((f.FormId, f.Version), SystemActor)),
                uses[f.FormId].ToList(), Draft(DesignDraftKinds.Form, f.FormId)))
            .OrderBy(f => f.FormId, StringComparer.Ordinal)
            .ToList();

        return new ProceduresView(processes, formViews, history.Select(h => h with { Actor = Name(h.Actor) }).ToList());
    }

    /// <summary>Running instances of a process on any version (what an upload must leave where they are).</summary>
    public async Task<int> ActiveInstancesAsync(string processId, CancellationToken cancellationToken = default)
    {
        await using var db = contexts.CreateDbContext();
        return await db.ProcessInstances.CountAsync(i => i.BpmnProcessId == processId && i.State == ProcessInstanceState.Active, cancellationToken).ConfigureAwait(false);
    }
}
