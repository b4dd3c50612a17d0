using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Web.Features.Procedures;

/// <summary>What changed from one version of a process to another: the change table and the newer diagram with the changes marked.</summary>
[Authorize(Policy = ProcedureHosting.ReaderPolicy)]
public sealed class DiffModel(WorkflowRuntime runtime) : PageModel
{
    public ProcessDefinition From { get; private set; } = null!;

    public ProcessDefinition To { get; private set; } = null!;

    public ProcessDiffResult Diff { get; private set; } = new([]);

    public BilingualName Name { get; private set; } = null!;

    public string Culture => CultureInfo.CurrentUICulture.Name;

    /// <param name="from">The older version; defaults to the one before <paramref name="to"/>.</param>
    /// <param name="to">The newer version; defaults to the latest.</param>
    public async Task<IActionResult> OnGetAsync(string processId, int? from, int? to, CancellationToken cancellationToken)
    {
        await using var uow = await runtime.Store.BeginAsync(cancellationToken);
        var newer = to is null ? await uow.FindLatestDefinitionAsync(processId) : await uow.FindDefinitionVersionAsync(processId, to.Value);
        if (newer is null)
        {
            return NotFound();
        }

        var older = await uow.FindDefinitionVersionAsync(processId, from ?? newer.Version - 1);
        if (older is null)
        {
            return NotFound();
        }

        From = older;
        To = newer;
        Name = BilingualName.Of(newer.Model);
        Diff = ProcessDiff.Compare(older.Model, newer.Model);
        return Page();
    }
}
