using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Procedures;

/// <summary>
/// The form-js editor for one task form (process owners only): save a draft, or deploy the form now as its next version.
/// The designer's deploy takes form drafts referenced by the process along; this page deploys a form on its own.
/// </summary>
[Authorize(Policy = Policies.ProcessOwner)]
[RequestFormLimits(ValueLengthLimit = FormDrafts.MaxChars * 2)]
public sealed class FormEditorModel(FormDrafts drafts, ProceduresQuery query, IStringLocalizer<ProcedureText> procedureText) : PageModel
{
    public FormEditState State { get; private set; } = null!;

    /// <summary>What the editor shows: the posted schema after a refused save, else the draft or the deployed version.</summary>
    public string Schema { get; private set; } = "";

    public IReadOnlyList<string> Problems { get; private set; } = [];

    public IReadOnlyList<FormUse> UsedBy { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string formId, CancellationToken cancellationToken)
    {
        return await LoadAsync(formId, null, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostSaveAsync(string formId, string? schema, CancellationToken cancellationToken)
    {
        if (!Refuse(formId, schema))
        {
            await drafts.SaveDraftAsync(formId, schema!, User.UserName(), cancellationToken);
            TempData["Status"] = procedureText["Form.Saved", formId].Value;
            return RedirectToPage(new { formId });
        }

        return await LoadAsync(formId, schema, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostDeployAsync(string formId, string? schema, CancellationToken cancellationToken)
    {
        if (!Refuse(formId, schema))
        {
            try
            {
                var (version, created) = await drafts.DeployAsync(formId, schema!, User.UserName(), cancellationToken);
                TempData["Status"] = created ? procedureText["Form.Deployed", formId, version].Value : procedureText["Form.Unchanged", formId, version].Value;
                return RedirectToPage(new { formId });
            }
            catch (BpmnValidationException e)
            {
                Problems = e.Problems.Select(p => p.Message).ToList();
            }
        }

        return await LoadAsync(formId, schema, cancellationToken) ? Page() : NotFound();
    }

    private bool Refuse(string formId, string? schema)
    {
        var problems = drafts.Check(formId, schema);
        Problems = problems.Select(p => procedureText["Form.Problem." + p.Problem, p.Detail ?? "", formId].Value).ToList();
        return problems.Count > 0;
    }

    private async Task<bool> LoadAsync(string formId, string? posted, CancellationToken cancellationToken)
    {
        var state = await drafts.LoadAsync(formId, cancellationToken);
        if (state is null)
        {
            return false;
        }

        State = state;
        Schema = posted ?? state.Schema ?? "";
        var view = await query.LoadAsync(System.Globalization.CultureInfo.CurrentUICulture.Name, cancellationToken);
        UsedBy = view.Forms.FirstOrDefault(f => f.FormId == formId)?.UsedBy ?? [];
        return true;
    }
}
