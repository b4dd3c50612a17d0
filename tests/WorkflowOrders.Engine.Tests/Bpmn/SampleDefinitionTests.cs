using WorkflowOrders.Engine.Bpmn;

namespace WorkflowOrders.Engine.Tests.Bpmn;

public class SampleDefinitionTests
{
    private static readonly string[] ReviewTasks = ["Review_Sales", "Review_Planning", "Review_Purchasing", "Review_Quality", "Review_Technical", "Review_Finance"];

    public static TheoryData<string> SampleFiles() =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Bpmn", "Samples"), "*.bpmn").Select(Path.GetFileName).OfType<string>()];

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void SampleFile_ParsedAndValidated_HasNoProblems(string fileName)
    {
        var problems = BpmnLoader.Check(BpmnXml.Sample(fileName));

        Assert.Empty(problems);
    }

    [Fact]
    public void OrderReviewSample_Loaded_HasTheDocumentedShape()
    {
        var process = Assert.Single(BpmnLoader.Load(BpmnXml.Sample("order-review.bpmn")).Processes);

        Assert.Equal("order-review", process.Id);
        Assert.Equal("Order review", process.EnglishName);
        var fork = Assert.IsType<ParallelGateway>(Assert.Single(process.NoneStartEvent!.Outgoing).Target);
        Assert.Equal(ReviewTasks, fork.Outgoing.Select(f => f.TargetId));
        var groups = ReviewTasks.Select(id => Assert.IsType<UserTask>(process.NodesById[id]))
            .Select(t => (t.CandidateGroups?.StaticValue, t.DueDate?.Raw, t.FormId));
        Assert.Equal(
            ["sales", "planning", "purchasing", "quality", "technical", "finance"],
            groups.Select(g => g.StaticValue));
        Assert.All(groups, g => Assert.Equal(("=addWorkingDays(now(), 1)", "review"), (g.Raw, g.FormId)));
        var join = Assert.IsType<ParallelGateway>(process.NodesById["Join"]);
        Assert.Equal(6, join.Incoming.Count);
        var decision = Assert.IsType<ExclusiveGateway>(Assert.Single(join.Outgoing).Target);
        Assert.Equal("All passed?", decision.Name);
        Assert.Equal("=reviewOutcome = \"pass\"", decision.Outgoing[0].Condition?.Raw);
        Assert.IsType<EndEvent>(decision.DefaultFlow?.Target);
        Assert.Equal("Declined", decision.DefaultFlow!.Target!.Name);
        var approve = Assert.IsType<UserTask>(decision.Outgoing[0].Target);
        Assert.Equal("dept-manager", approve.CandidateGroups?.StaticValue);
        Assert.IsType<EndEvent>(Assert.Single(approve.Outgoing).Target);
    }

    [Fact]
    public void WorkflowsFolder_EveryBpmnFile_ParsesAndValidatesWithoutErrors()
    {
        // The procedure definitions are copied next to the tests under workflows/ (see the test project file).
        var folder = Path.Combine(AppContext.BaseDirectory, "workflows");
        var files = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.bpmn", SearchOption.AllDirectories)
            : [];

        var failures = files
            .Select(file => (file: Path.GetRelativePath(folder, file), errors: BpmnLoader.Check(File.ReadAllText(file)).Where(p => p.Severity == ProblemSeverity.Error).ToList()))
            .Where(result => result.errors.Count > 0)
            .Select(result => $"{result.file}: {string.Join(" | ", result.errors.Select(e => e.Message))}")
            .ToList();

        Assert.Empty(failures);
    }
}
