using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Overdue;

public sealed class OverduePageTests(DemoAppFixture fixture) : IClassFixture<DemoAppFixture>
{
    private const string TaskName = "来料检验-逾期测试";

    [Theory]
    [InlineData("lin.fang", true)]
    [InlineData("wang.jianguo", true)]
    [InlineData("liu.yang", false)]
    public async Task Overdue_Manager_SeesOverdueTasksOfTheirAreaOnly(string manager, bool sees)
    {
        await EnsureOverdueQualityTaskAsync();
        using var client = await fixture.SignedInAsync(manager);

        var html = await client.GetStringAsync(new Uri("/overdue", UriKind.Relative));

        Assert.Contains("data-testid=\"overdue-table\"", html, StringComparison.Ordinal);
        Assert.Equal(sees, html.Contains(TaskName, StringComparison.Ordinal));
    }

    private async Task EnsureOverdueQualityTaskAsync()
    {
        var factory = fixture.App.Services.GetRequiredService<WorkflowDbContextFactory>();
        await using var db = factory.CreateDbContext();
        const long key = 9_000_000_000_001;
        if (await db.UserTasks.FindAsync(key) is not null)
        {
            return;
        }

        var now = TimeProvider.System.GetUtcNow();
        db.UserTasks.Add(new UserTaskRow
        {
            Key = key, InstanceKey = 9_000_000_000_000, ElementInstanceKey = 9_000_000_000_002, ElementId = "Task_Inspect", Name = TaskName,
            BpmnProcessId = "order-fulfilment", DefinitionKey = 1, DefinitionVersion = 1, BusinessKey = "ORD-OVERDUE-1",
            State = UserTaskState.Created, CandidateGroups = "quality", DueDate = now.AddDays(-3), CreatedAt = now.AddDays(-5),
        });
        db.UserTaskCandidates.Add(new UserTaskCandidateRow { TaskKey = key, Kind = CandidateKinds.Group, Value = "quality" });
        await db.SaveChangesAsync();
    }
}
