using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Persistence;
using WorkflowOrders.Web.Hosting;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Hosting;

/// <summary>The start-up deployer over a copy of the workflows folder: a changed file becomes a new version, an unchanged one does not.</summary>
public sealed class WorkflowsDeployerTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"workflow-deployer-{Guid.NewGuid():N}");
    private WebAppFactory _app = null!;

    public Task InitializeAsync()
    {
        var source = Path.Combine(Repository.Root, "workflows");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        _app = WebAppFactory.OnSqlite(new Dictionary<string, string?> { ["WorkflowOrders:WorkflowsDirectory"] = _folder });
        _ = _app.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task DeployFolder_OneFileAndOneFormChanged_CreatesNewVersionsOfThoseOnly()
    {
        var before = await VersionsAsync();
        var change = Path.Combine(_folder, "order-change.bpmn");
        await File.WriteAllTextAsync(change, (await File.ReadAllTextAsync(change)).Replace("name=\"订单变更\"", "name=\"订单变更流程\"", StringComparison.Ordinal));
        var form = Path.Combine(_folder, "forms", "approval.form");
        await File.WriteAllTextAsync(form, (await File.ReadAllTextAsync(form)).Replace("审批意见", "审批结论", StringComparison.Ordinal));

        await _app.Services.GetRequiredService<WorkflowsDeployer>().DeployFolderAsync();

        var after = await VersionsAsync();
        Assert.Equal(2, after["process:order-change"]);
        Assert.Equal(2, after["form:approval"]);
        Assert.Equal(before.Where(v => v.Key is not "process:order-change" and not "form:approval"), after.Where(v => v.Key is not "process:order-change" and not "form:approval"));
    }

    [Fact]
    public async Task DeployFolder_NothingChanged_CreatesNoVersion()
    {
        var before = await VersionsAsync();

        var result = await _app.Services.GetRequiredService<WorkflowsDeployer>().DeployFolderAsync();

        Assert.NotNull(result);
        Assert.Equal(before, await VersionsAsync());
        Assert.All(before.Values, v => Assert.Equal(1, v));
    }

    [Fact]
    public async Task DeployFolder_AfterOwnerDeployedNewerVersion_KeepsItAndAddsNoVersion()
    {
        var file = Path.Combine(_folder, "order-change.bpmn");
        var edited = (await File.ReadAllTextAsync(file)).Replace("name=\"订单变更\"", "name=\"订单变更（新）\"", StringComparison.Ordinal);
        var runtime = _app.Services.GetRequiredService<WorkflowOrders.Engine.Runtime.WorkflowRuntime>();
        await runtime.DeployAsync([new WorkflowOrders.Engine.Runtime.DeploymentResource("order-change.bpmn", edited)], "gao.yan");

        await _app.Services.GetRequiredService<WorkflowsDeployer>().DeployFolderAsync();

        Assert.Equal(2, (await VersionsAsync())["process:order-change"]);
    }

    private async Task<SortedDictionary<string, int>> VersionsAsync()
    {
        await using var db = _app.Services.GetRequiredService<WorkflowDbContextFactory>().CreateDbContext();
        var processes = await db.ProcessDefinitions.GroupBy(d => d.BpmnProcessId).Select(g => new { g.Key, Version = g.Max(d => d.Version) }).ToListAsync();
        var forms = await db.Forms.GroupBy(f => f.FormId).Select(g => new { g.Key, Version = g.Max(f => f.Version) }).ToListAsync();
        return new SortedDictionary<string, int>(
            processes.Select(p => KeyValuePair.Create("process:" + p.Key, p.Version))
                .Concat(forms.Select(f => KeyValuePair.Create("form:" + f.Key, f.Version)))
                .ToDictionary(), StringComparer.Ordinal);
    }

}
