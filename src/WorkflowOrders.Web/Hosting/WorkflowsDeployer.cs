using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;

namespace WorkflowOrders.Web.Hosting;

/// <summary>
/// Deploys the files of the workflows folder at start-up: every .bpmn and forms/*.form. A file whose exact text was
/// deployed before, as any version, is left out: a process owner may have deployed newer versions in the designer
/// since, and a restart must not bring the folder's older text back as yet another version. A file whose text is new
/// (the folder changed) becomes a new version.
/// </summary>
public sealed partial class WorkflowsDeployer(WorkflowRuntime runtime, WorkflowsFolder folder, WorkflowDbContextFactory dbFactory, ILogger<WorkflowsDeployer> logger)
{
    public async Task<DeploymentResult?> DeployFolderAsync(CancellationToken cancellationToken = default)
    {
        var files = Directory.EnumerateFiles(folder.Path, "*.bpmn", SearchOption.TopDirectoryOnly)
            .Concat(Directory.Exists(Path.Combine(folder.Path, "forms")) ? Directory.EnumerateFiles(Path.Combine(folder.Path, "forms"), "*.form") : [])
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            LogNothing(folder.Path);
            return null;
        }

        var resources = new List<DeploymentResource>();
        foreach (var file in files)
        {
            resources.Add(new DeploymentResource(Path.GetFileName(file), await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)));
        }

        var deployedBefore = await DeployedBeforeAsync(resources, cancellationToken).ConfigureAwait(false);
        resources.RemoveAll(r => deployedBefore.Contains(r.Content));
        var result = await runtime.DeployAsync(resources, "system", cancellationToken).ConfigureAwait(false);
        foreach (var definition in result.Definitions)
        {
            LogDeployed(definition.ProcessId, definition.Version, definition.ResourceName);
        }

        return result;
    }

    private async Task<HashSet<string>> DeployedBeforeAsync(List<DeploymentResource> resources, CancellationToken cancellationToken)
    {
        var contents = resources.Select(r => r.Content).ToList();
        await using var db = dbFactory.CreateDbContext();
        var processes = await db.ProcessDefinitions.Where(d => contents.Contains(d.Xml)).Select(d => d.Xml).ToListAsync(cancellationToken).ConfigureAwait(false);
        var forms = await db.Forms.Where(f => contents.Contains(f.Schema)).Select(f => f.Schema).ToListAsync(cancellationToken).ConfigureAwait(false);
        return processes.Concat(forms).ToHashSet(StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Process {ProcessId} is at version {Version} ({Resource})")]
    private partial void LogDeployed(string processId, int version, string resource);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No definitions found in {Folder}")]
    private partial void LogNothing(string folder);
}
