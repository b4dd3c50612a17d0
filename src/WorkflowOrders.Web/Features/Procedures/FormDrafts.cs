using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.Forms;

namespace WorkflowOrders.Web.Features.Procedures;

/// <summary>Why a form schema from the editor was refused; the page says it in the user's language.</summary>
public enum FormSchemaProblem
{
    TooLarge,
    NotJson,
    NotObject,
    IdChanged,
    NoComponents,
    NotCheckable,
}

/// <summary>A form being edited: the deployed version (if any) and the saved draft (if any).</summary>
public sealed record FormEditState(string FormId, FormRecord? Latest, DesignDraftRow? Draft)
{
    /// <summary>What the editor opens: the draft when there is one, else the deployed schema.</summary>
    public string? Schema => Draft?.Content ?? Latest?.Schema;
}

/// <summary>
/// Drafts of task forms (design_drafts kind "form", resource = form id) and their deployment. A schema is accepted
/// only when it is a JSON object with a components list, keeps the form's id (user tasks link the form by it), and the
/// same checker that validates submitted task data can read it (<see cref="FormSchemaValidator"/>).
/// </summary>
public sealed class FormDrafts(WorkflowDbContextFactory contexts, WorkflowRuntime runtime, FormSchemaValidator validator, TimeProvider time)
{
    /// <summary>The largest schema accepted; the biggest form in workflows/forms is about 10 kB.</summary>
    public const int MaxChars = 512 * 1024;

    public async Task<FormEditState?> LoadAsync(string formId, CancellationToken cancellationToken = default)
    {
        FormRecord? latest;
        await using (var uow = await runtime.Store.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            latest = await uow.FindLatestFormAsync(formId).ConfigureAwait(false);
        }

        await using var db = contexts.CreateDbContext();
        var draft = await db.DesignDrafts.AsNoTracking()
            .FirstOrDefaultAsync(d => d.Kind == DesignDraftKinds.Form && d.ResourceId == formId, cancellationToken).ConfigureAwait(false);
        return latest is null && draft is null ? null : new FormEditState(formId, latest, draft);
    }

    public IReadOnlyList<(FormSchemaProblem Problem, string? Detail)> Check(string formId, string? schema)
    {
        if (string.IsNullOrWhiteSpace(schema))
        {
            return [(FormSchemaProblem.NotJson, null)];
        }

        if (schema.Length > MaxChars)
        {
            return [(FormSchemaProblem.TooLarge, (MaxChars / 1024).ToString(System.Globalization.CultureInfo.InvariantCulture))];
        }

        JsonNode? json;
        try
        {
            json = JsonNode.Parse(schema);
        }
        catch (JsonException e)
        {
            return [(FormSchemaProblem.NotJson, e.Message)];
        }

        if (json is not JsonObject form)
        {
            return [(FormSchemaProblem.NotObject, null)];
        }

        var problems = new List<(FormSchemaProblem, string?)>();
        var id = form["id"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        if (!string.Equals(id, formId, StringComparison.Ordinal))
        {
            problems.Add((FormSchemaProblem.IdChanged, id ?? ""));
        }

        if (form["components"] is not JsonArray)
        {
            problems.Add((FormSchemaProblem.NoComponents, null));
        }
        else
        {
            try
            {
                // Empty data: only whether the checker can read every component matters here, not the data's errors.
                validator.Validate(schema, []);
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or JsonException or ArgumentException)
            {
                problems.Add((FormSchemaProblem.NotCheckable, e.Message));
            }
        }

        return problems;
    }

    /// <summary>Saves (or replaces) the draft; the caller has checked the schema.</summary>
    public async Task SaveDraftAsync(string formId, string schema, string user, CancellationToken cancellationToken = default)
    {
        int? basedOn;
        await using (var uow = await runtime.Store.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            basedOn = (await uow.FindLatestFormAsync(formId).ConfigureAwait(false))?.Version;
        }

        await using var db = contexts.CreateDbContext();
        var draft = await db.DesignDrafts.FirstOrDefaultAsync(d => d.Kind == DesignDraftKinds.Form && d.ResourceId == formId, cancellationToken).ConfigureAwait(false);
        if (draft is null)
        {
            draft = new DesignDraftRow { Kind = DesignDraftKinds.Form, ResourceId = formId, Content = schema, SavedBy = user };
            db.DesignDrafts.Add(draft);
        }

        draft.Content = schema;
        draft.SavedBy = user;
        draft.SavedAt = time.GetUtcNow();
        draft.BasedOnVersion ??= basedOn;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deploys the schema as the form's next version (none when it equals the latest) and removes the draft.
    /// Throws <see cref="BpmnValidationException"/> when the runtime refuses it.
    /// </summary>
    public async Task<(int Version, bool Created)> DeployAsync(string formId, string schema, string user, CancellationToken cancellationToken = default)
    {
        var result = await runtime.DeployAsync([new DeploymentResource(FileName(formId), schema)], user, cancellationToken).ConfigureAwait(false);
        var form = result.Forms.Single();
        await using var db = contexts.CreateDbContext();
        await db.DesignDrafts.Where(d => d.Kind == DesignDraftKinds.Form && d.ResourceId == formId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return (form.Version, form.DeploymentKey == result.DeploymentKey);
    }

    /// <summary>The resource name a form deployed from the editor gets: its id, safe as a file name.</summary>
    public static string FileName(string formId)
    {
        ArgumentNullException.ThrowIfNull(formId);
        var safe = new StringBuilder(formId.Length);
        foreach (var c in formId)
        {
            safe.Append(char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return safe + ".form";
    }
}
