using System.Text.Json.Nodes;
using System.Xml.Linq;
using WorkflowOrders.Engine.Bpmn;

namespace WorkflowOrders.Engine.Tests.Procedures;

/// <summary>The four procedure definitions of workflows/ (procedures.md §2–§5) as files: clean, named in both languages, linked to forms, drawable.</summary>
public sealed class ProcedureDefinitionTests
{
    private static readonly string[] RoleKeys =
        ["sales", "merchandiser", "technical", "planning", "purchasing", "quality", "warehouse", "finance", "dept-manager", "director", "gm"];

    private static readonly string[] BuiltInTaskTypes = ["message.publish", "order.set-status", "order.apply-change", "order.cancel", "notify.email"];

    private static readonly XNamespace Bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    private static readonly XNamespace BpmnDi = "http://www.omg.org/spec/BPMN/20100524/DI";

    public static TheoryData<string> Procedures() => ["order-fulfilment.bpmn", "order-change.bpmn", "order-cancellation.bpmn", "nonconformance.bpmn"];

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "workflows");

    private static string Xml(string file) => File.ReadAllText(Path.Combine(Folder, file));

    [Theory]
    [MemberData(nameof(Procedures))]
    public void Procedure_Checked_HasNoErrorsAndNoWarnings(string file)
    {
        var problems = BpmnLoader.Check(Xml(file));

        Assert.Empty(problems.Select(p => $"{p.Severity}: {p.Message}"));
    }

    [Theory]
    [MemberData(nameof(Procedures))]
    public void Procedure_EveryElement_HasChineseNameAndEnglishName(string file)
    {
        var process = Assert.Single(BpmnLoader.Load(Xml(file)).Processes);
        Assert.False(string.IsNullOrWhiteSpace(process.Name));
        Assert.True(process.Properties.ContainsKey("name.en"));

        var missing = process.Nodes
            .Where(n => !n.Properties.ContainsKey("name.en") || (string.IsNullOrWhiteSpace(n.Name) && !IsMergeOrFork(n)))
            .Select(n => n.Id);

        Assert.Empty(missing);
    }

    private static bool IsMergeOrFork(FlowNode node) =>
        node is ParallelGateway || (node is ExclusiveGateway && node.Outgoing.Count == 1);

    [Theory]
    [MemberData(nameof(Procedures))]
    public void Procedure_UserTasks_HaveRoleGroupsAndADeployedForm(string file)
    {
        var process = Assert.Single(BpmnLoader.Load(Xml(file)).Processes);
        var forms = Directory.GetFiles(Path.Combine(Folder, "forms"), "*.form")
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!["id"]!.GetValue<string>())
            .ToHashSet(StringComparer.Ordinal);

        foreach (var task in process.Nodes.OfType<UserTask>())
        {
            Assert.True(task.FormId is not null && forms.Contains(task.FormId), $"{task.Id}: form '{task.FormId}' is not in workflows/forms");
            var groups = task.CandidateGroups!;
            var named = groups.IsExpression
                ? RoleKeys.Where(r => groups.Raw.Contains($"\"{r}\"", StringComparison.Ordinal)).ToList()
                : groups.StaticValue!.Split(',', StringSplitOptions.TrimEntries).ToList();
            Assert.NotEmpty(named);
            Assert.All(named, g => Assert.Contains(g, RoleKeys));
        }
    }

    [Theory]
    [MemberData(nameof(Procedures))]
    public void Procedure_ServiceAndSendTasks_UseBuiltInTaskTypesWithATemplate(string file)
    {
        var process = Assert.Single(BpmnLoader.Load(Xml(file)).Processes);
        var templates = Directory.GetFiles(Path.Combine(Folder, "templates"), "*.json")
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!)
            .ToList();

        foreach (var task in process.Nodes.OfType<JobTask>())
        {
            var type = task.TaskType!.StaticValue;
            Assert.Contains(type, BuiltInTaskTypes);
            Assert.Contains(templates, t => t["properties"]!.AsArray().Any(p => p!["value"]?.GetValue<string>() == type
                && p["binding"]!["type"]!.GetValue<string>() == "zeebe:taskDefinition"));
        }
    }

    [Theory]
    [MemberData(nameof(Procedures))]
    public void Procedure_Diagram_HasAShapeForEveryElementAndAnEdgeForEveryFlow(string file)
    {
        var document = XDocument.Parse(Xml(file));
        var process = document.Root!.Element(Bpmn + "process")!;
        var drawn = document.Descendants(BpmnDi + "BPMNShape").Concat(document.Descendants(BpmnDi + "BPMNEdge"))
            .Select(e => (string?)e.Attribute("bpmnElement"))
            .ToHashSet(StringComparer.Ordinal);
        var elements = process.Elements()
            .Where(e => e.Name != Bpmn + "extensionElements" && e.Name != Bpmn + "documentation")
            .Select(e => (string)e.Attribute("id")!)
            .ToList();

        var undrawn = elements.Except(drawn).ToList();
        Assert.Empty(undrawn);
        Assert.Contains((string)process.Attribute("id")!, document.Descendants(BpmnDi + "BPMNPlane").Select(p => (string?)p.Attribute("bpmnElement")));
    }
}
