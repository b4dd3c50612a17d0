using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.Features.Work;
using WorkflowOrders.Web.Localization;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Security;
using RowIncidentState = WorkflowOrders.Persistence.Entities.IncidentState;

namespace WorkflowOrders.Web.Features.Instance;

/// <summary>
/// Loads the process-instance page: the diagram with its marks, the history from the audit trail, variables,
/// incidents and tasks. Who may retry an incident: see <see cref="MayRetryAsync"/>.
/// </summary>
public sealed class InstanceQuery(IDbContextFactory<WorkflowDbContext> contexts, WorkflowRuntime runtime, DueCalculator due, PeopleNames people)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Kinds worth a line in the history (the rest — flows, activations, job bookkeeping — only mark the diagram).</summary>
    private static readonly Dictionary<string, (string Icon, string Colour)> Shown = new(StringComparer.Ordinal)
    {
        [AuditKinds.InstanceStarted] = ("ti-player-play", "primary"),
        [AuditKinds.InstanceCompleted] = ("ti-flag-check", "success"),
        [AuditKinds.InstanceTerminated] = ("ti-player-stop", "secondary"),
        [AuditKinds.UserTaskCreated] = ("ti-inbox", "azure"),
        [AuditKinds.UserTaskAssigned] = ("ti-user-check", "secondary"),
        [AuditKinds.UserTaskCompleted] = ("ti-circle-check", "success"),
        [AuditKinds.JobCompleted] = ("ti-settings-check", "secondary"),
        [AuditKinds.JobFailed] = ("ti-alert-circle", "warning"),
        [AuditKinds.TimerFired] = ("ti-alarm", "secondary"),
        [AuditKinds.MessageCorrelated] = ("ti-mail", "secondary"),
        [AuditKinds.VariablesChanged] = ("ti-variable", "secondary"),
        [AuditKinds.IncidentCreated] = ("ti-alert-triangle", "danger"),
        [AuditKinds.IncidentResolved] = ("ti-refresh", "success"),
        [AuditKinds.CalendarWarning] = ("ti-calendar-exclamation", "warning"),
    };

    public async Task<ProcessInstanceRow?> FindAsync(long instanceKey, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ProcessInstances.AsNoTracking().FirstOrDefaultAsync(i => i.Key == instanceKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Retrying an incident re-runs a step of someone's order, so it is for those responsible for it: admins and
    /// process owners, and the instance's participants (assignee, candidate or completer of one of its tasks, or
    /// anyone who acted on it). Oversight alone (gm, director) sees the instance but does not retry.
    /// </summary>
    public async Task<bool> MayRetryAsync(ClaimsPrincipal user, long instanceKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (AccessPolicy.IsAdmin(user) || user.IsInRole(Roles.ProcessOwner))
        {
            return true;
        }

        var name = user.UserName();
        if (name.Length == 0)
        {
            return false;
        }

        var roles = user.RoleKeys().ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.UserTasks.AnyAsync(t => t.InstanceKey == instanceKey && (t.Assignee == name || t.CompletedBy == name
                || db.UserTaskCandidates.Any(c => c.TaskKey == t.Key
                    && ((c.Kind == CandidateKinds.User && c.Value == name) || (c.Kind == CandidateKinds.Group && roles.Contains(c.Value))))), cancellationToken).ConfigureAwait(false)
            || await db.AuditEvents.AnyAsync(e => e.InstanceKey == instanceKey && e.Actor == name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<InstanceView?> LoadAsync(ClaimsPrincipal user, ProcessInstanceRow row, string culture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(row);
        InstanceState? state;
        ProcessDefinition? definition;
        await using (var uow = await runtime.Store.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            state = await uow.LoadInstanceAsync(row.Key).ConfigureAwait(false);
            definition = await uow.FindDefinitionAsync(row.DefinitionKey).ConfigureAwait(false);
        }

        if (state is null || definition is null)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var audit = await db.AuditEvents.AsNoTracking().Where(e => e.InstanceKey == row.Key).OrderBy(e => e.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var incidents = await db.Incidents.AsNoTracking().Where(i => i.InstanceKey == row.Key).OrderBy(i => i.CreatedAt).ToListAsync(cancellationToken).ConfigureAwait(false);
        var tasks = await db.UserTasks.AsNoTracking().Where(t => t.InstanceKey == row.Key).OrderBy(t => t.CreatedAt).ThenBy(t => t.Key).ToListAsync(cancellationToken).ConfigureAwait(false);
        var names = await people.ResolveAsync(audit.Select(a => a.Actor).Concat(incidents.Select(i => i.ResolvedBy)).Concat(tasks.Select(t => t.Assignee ?? t.CompletedBy)), cancellationToken).ConfigureAwait(false);

        var model = definition.Model;
        var chinese = culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        string ElementName(string? id) => id is null ? "" : model.NodesById.TryGetValue(id, out var node)
            ? NodeName(node, chinese)
            : id;

        var active = state.Elements.Where(e => e.Wait != WaitKind.Incident).Select(e => e.ElementId).Distinct().ToList();
        var failing = state.Elements.Where(e => e.Wait == WaitKind.Incident).Select(e => e.ElementId).Distinct().ToList();
        var done = audit.Where(a => a.Kind == AuditKinds.ElementCompleted && a.ElementId is not null).Select(a => a.ElementId!).Distinct().ToList();
        var flows = audit.Where(a => a.Kind == AuditKinds.FlowTaken && a.ElementId is not null).Select(a => a.ElementId!).Distinct().ToList();

        var zone = InstantFormatter.FindZone(user.TimeZoneOf());
        var timeline = audit.Where(a => Shown.ContainsKey(a.Kind)).Select(a =>
        {
            var (icon, colour) = Shown[a.Kind];
            return new TimelineEntry(a.At, a.Actor is null ? null : names.GetValueOrDefault(a.Actor, a.Actor), "History." + a.Kind, icon, colour,
                a.ElementId is null || a.Kind is AuditKinds.InstanceStarted or AuditKinds.InstanceCompleted or AuditKinds.InstanceTerminated ? null : ElementName(a.ElementId),
                Detail(a, names));
        }).Reverse().ToList();

        var variables = state.Variables.OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => new VariableEntry(v.Key, v.Value is null ? "null" : v.Value.ToJsonString(Indented))).ToList();

        var incidentEntries = incidents.Select(i => new IncidentEntry(i.Key, ElementName(i.ElementId), i.ErrorType, i.ErrorMessage, i.State == RowIncidentState.Active,
            i.CreatedAt, i.ResolvedAt, i.ResolvedBy is null ? null : names.GetValueOrDefault(i.ResolvedBy, i.ResolvedBy))).ToList();

        var taskEntries = tasks.Select(t =>
        {
            var record = EfWorkflowStoreRows.ToRecord(t);
            var person = t.CompletedBy ?? t.Assignee;
            return new InstanceTaskEntry(t.Key, InstanceFacts.TaskName(t.Name, record.Properties, t.ElementId, culture), t.State.ToString(),
                person is null ? null : names.GetValueOrDefault(person, person),
                due.Describe(t.DueDate, state.CalendarId, zone, culture, done: t.State == Persistence.Entities.UserTaskState.Completed),
                t.CreatedAt, t.CompletedAt, AccessPolicy.CanSeeTask(user, t).Allowed);
        }).ToList();

        var canRetry = incidents.Any(i => i.State == RowIncidentState.Active) && await MayRetryAsync(user, row.Key, cancellationToken).ConfigureAwait(false);
        return new InstanceView(
            row,
            InstanceFacts.ProcessName(definition, culture),
            new DiagramMarks(definition.Xml, active, done, flows, failing),
            [.. active.Concat(failing).Distinct().Select(ElementName)],
            timeline,
            variables,
            incidentEntries,
            taskEntries,
            canRetry);
    }

    private static string NodeName(FlowNode node, bool chinese)
    {
        if (!chinese && node.Properties.TryGetValue("name.en", out var english) && english.Length > 0)
        {
            return english;
        }

        return string.IsNullOrEmpty(node.Name) ? node.Id : node.Name;
    }

    /// <summary>A short detail: the variables a step changed, who a task went to, an incident's message.</summary>
    private static string? Detail(AuditEventRow row, IReadOnlyDictionary<string, string> names)
    {
        if (row.Details is null)
        {
            return null;
        }

        JsonObject? details;
        try
        {
            details = JsonNode.Parse(row.Details) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }

        if (details is null)
        {
            return null;
        }

        if (details["assignee"] is JsonValue assignee && assignee.GetValueKind() == JsonValueKind.String)
        {
            var who = assignee.GetValue<string>();
            return "→ " + names.GetValueOrDefault(who, who);
        }

        if (details["variables"] is JsonObject vars && vars.Count > 0)
        {
            return string.Join(", ", vars.Select(v => v.Key));
        }

        if (details["variables"] is JsonArray list && list.Count > 0)
        {
            return string.Join(", ", list.Select(v => v?.ToString()));
        }

        foreach (var key in (string[])["message", "errorMessage", "warning"])
        {
            if (details[key] is JsonValue message && message.GetValueKind() == JsonValueKind.String)
            {
                return message.GetValue<string>();
            }
        }

        return null;
    }
}
