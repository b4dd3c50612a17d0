using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Web.Hosting;

/// <summary>Deploys the files of the workflows folder at start-up: every .bpmn and forms/*.form; unchanged files create no new version.</summary>
public sealed partial class WorkflowsDeployer(WorkflowRuntime runtime, WorkflowsFolder folder, ILogger<WorkflowsDeployer> logger)
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

        var result = await runtime.DeployAsync(resources, "system", cancellationToken).ConfigureAwait(false);
        foreach (var definition in result.Definitions)
        {
            LogDeployed(definition.ProcessId, definition.Version, definition.ResourceName);
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Process {ProcessId} is at version {Version} ({Resource})")]
    private partial void LogDeployed(string processId, int version, string resource);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No definitions found in {Folder}")]
    private partial void LogNothing(string folder);
}
