using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Web.Features.Procedures;

/// <summary>One deployed version of a process: its diagram, read-only, and its .bpmn file to download.</summary>
[Authorize(Policy = ProcedureHosting.ReaderPolicy)]
public sealed class VersionModel(WorkflowRuntime runtime) : PageModel
{
    public ProcessDefinition Definition { get; private set; } = null!;

    public BilingualName Name { get; private set; } = null!;

    public int LatestVersion { get; private set; }

    public string Culture => CultureInfo.CurrentUICulture.Name;

    public async Task<IActionResult> OnGetAsync(string processId, int version, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(processId, version, cancellationToken))
        {
            return NotFound();
        }

        return Page();
    }

    /// <summary>The file as deployed, named after its resource and version so several versions can sit side by side.</summary>
    public async Task<IActionResult> OnGetDownloadAsync(string processId, int version, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(processId, version, cancellationToken))
        {
            return NotFound();
        }

        var stem = Path.GetFileNameWithoutExtension(Definition.ResourceName);
        return File(Encoding.UTF8.GetBytes(Definition.Xml), "application/xml", $"{stem}.v{version.ToString(CultureInfo.InvariantCulture)}.bpmn");
    }

    private async Task<bool> LoadAsync(string processId, int version, CancellationToken cancellationToken)
    {
        await using var uow = await runtime.Store.BeginAsync(cancellationToken);
        var definition = await uow.FindDefinitionVersionAsync(processId, version);
        if (definition is null)
        {
            return false;
        }

        Definition = definition;
        Name = BilingualName.Of(definition.Model);
        LatestVersion = (await uow.FindLatestDefinitionAsync(processId))?.Version ?? version;
        return true;
    }
}
