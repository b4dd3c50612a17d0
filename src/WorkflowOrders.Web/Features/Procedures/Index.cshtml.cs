using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Procedures;

/// <summary>
/// Every process with its versions, the task forms, and the deployment history; process owners upload a .bpmn here:
/// "Check" shows the server's verdict (problems by element, or what the new version changes), "Deploy" deploys it.
/// </summary>
[Authorize(Policy = ProcedureHosting.ReaderPolicy)]
[RequestFormLimits(MultipartBodyLengthLimit = ProcedureUpload.MaxBytes + 64 * 1024, ValueLengthLimit = ProcedureUpload.MaxBytes * 2)]
public sealed class IndexModel(ProceduresQuery query, ProcedureUpload upload, IAuthorizationService authorization, IStringLocalizer<ProcedureText> procedureText) : PageModel
{
    public ProceduresView View { get; private set; } = new([], [], []);

    public bool IsOwner { get; private set; }

    /// <summary>Set after "Check": the uploaded file's verdict (problems, or the plan to confirm).</summary>
    public UploadCheck? Check { get; private set; }

    /// <summary>The checked file, carried to the confirmation form.</summary>
    public string? UploadName { get; private set; }

    public string? UploadContent { get; private set; }

    public string? UploadError { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCheckAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (!await IsOwnerAsync())
        {
            return Forbid();
        }

        if (file is null || file.Length == 0)
        {
            UploadError = procedureText["Upload.NoFile"];
        }
        else if (file.Length > ProcedureUpload.MaxBytes)
        {
            UploadError = procedureText["Upload.TooLarge", ProcedureUpload.MaxBytes / 1024 / 1024];
        }
        else
        {
            using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            UploadContent = await reader.ReadToEndAsync(cancellationToken);
            UploadName = ProcedureUpload.ResourceName(file.FileName);
            Check = await upload.CheckAsync(UploadContent, cancellationToken);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDeployAsync(string? fileName, string? content, CancellationToken cancellationToken)
    {
        if (!await IsOwnerAsync())
        {
            return Forbid();
        }

        if (string.IsNullOrWhiteSpace(content))
        {
            UploadError = procedureText["Upload.NoFile"];
            await LoadAsync(cancellationToken);
            return Page();
        }

        try
        {
            var outcome = await upload.DeployAsync(fileName ?? "", content, User.UserName(), cancellationToken);
            TempData["Status"] = string.Join(" ", outcome.Versions.Select(v => v.Created
                ? procedureText["Upload.Deployed", v.ProcessId, v.Version].Value
                : procedureText["Upload.Unchanged", v.ProcessId, v.Version].Value));
            return RedirectToPage();
        }
        catch (BpmnValidationException e)
        {
            UploadName = ProcedureUpload.ResourceName(fileName);
            UploadContent = content;
            Check = new UploadCheck(e.Problems, []);
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    private async Task<bool> IsOwnerAsync() => (await authorization.AuthorizeAsync(User, Policies.ProcessOwner)).Succeeded;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        IsOwner = await IsOwnerAsync();
        View = await query.LoadAsync(CultureInfo.CurrentUICulture.Name, cancellationToken);
    }
}
