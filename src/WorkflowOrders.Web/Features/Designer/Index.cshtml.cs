using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Designer;

/// <summary>
/// The designer (/designer/{processId}): bpmn-js modeler with the zeebe properties panel, element templates, linting as
/// one draws; top bar with the version, the draft and Discard draft / Save / Validate / Deploy. Process owners only (the admin role alone does not open it).
/// The modeler is Frontend/designer.js, bundled by the build; it talks to <see cref="DesignerEndpoints"/>.
/// </summary>
[Authorize(Policy = Policies.ProcessOwner)]
public sealed class IndexModel(DesignerService designer, IAntiforgery antiforgery, IStringLocalizer<DesignerText> words) : PageModel
{
    public DesignerSource Source { get; private set; } = null!;

    public string DraftText { get; private set; } = "";

    /// <summary>Settings of the script, as JSON for the page's #designer-config element.</summary>
    public string ConfigJson { get; private set; } = "{}";

    public async Task<IActionResult> OnGetAsync(string processId, CancellationToken cancellationToken)
    {
        var source = await designer.LoadAsync(processId, cancellationToken);
        if (source is null)
        {
            return NotFound();
        }

        Source = source;
        DraftText = DesignerEndpoints.DraftText(words, User, source.Draft);
        var api = $"{DesignerEndpoints.ApiPrefix}/processes/{Uri.EscapeDataString(processId)}";
        var config = new
        {
            processId,
            culture = CultureInfo.CurrentUICulture.Name,
            antiforgery = antiforgery.GetAndStoreTokens(HttpContext).RequestToken,
            nextVersion = (source.LatestVersion ?? 0) + 1,
            urls = new
            {
                templates = $"{DesignerEndpoints.ApiPrefix}/templates",
                source = api,
                draft = $"{api}/draft",
                validate = $"{api}/validate",
                deploy = $"{api}/deploy",
            },
            text = new
            {
                saved = words["Status.Saved"].Value,
                valid = words["Status.Valid"].Value,
                invalid = words["Status.Invalid"].Value,
                confirmDeploy = words["Deploy.Confirm"].Value,
                discardWhat = words["Discard.WhatHappens"].Value,
                discardWhatNew = words["Discard.WhatHappensNew"].Value,
                discarded = words["Status.Discarded"].Value,
                deployRefused = words["Deploy.Refused"].Value,
                failed = words["Status.Failed"].Value,
                lintCount = words["Problems.LintCount"].Value,
            },
        };
        ConfigJson = JsonSerializer.Serialize(config, JsonSerializerOptions.Web);
        return Page();
    }
}
