using System.Text.RegularExpressions;
using System.Xml.Linq;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Web.Features.Procedures;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Procedures;

public sealed partial class ProcedureTextTests
{
    private static readonly string Project = Path.Combine(Repository.Root, "src", "WorkflowOrders.Web");

    [Fact]
    public void ProcedureText_ChineseAndEnglish_HaveTheSameNonEmptyKeys()
    {
        var english = Read("ProcedureText.resx");
        var chinese = Read("ProcedureText.zh-CN.resx");

        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), chinese.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(english, e => string.IsNullOrWhiteSpace(e.Value));
        Assert.DoesNotContain(chinese, e => string.IsNullOrWhiteSpace(e.Value));
    }

    [Fact]
    public void ProcedureText_EveryKeyThePagesUseAndEveryDiffProperty_Exists()
    {
        var keys = Read("ProcedureText.resx").Keys.ToHashSet(StringComparer.Ordinal);
        var used = Directory.EnumerateFiles(Path.Combine(Project, "Features", "Procedures"))
            .SelectMany(f => KeyUse().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Concat(typeof(ProcessDiffKeys).GetFields().Select(f => (string)f.GetValue(null)!).Where(k => !k.EndsWith(':')).Select(k => "Prop." + k))
            .Concat(Enum.GetNames<ElementChangeKind>().Select(n => "Diff." + n))
            .Concat(Enum.GetNames<FormSchemaProblem>().Select(n => "Form.Problem." + n))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Empty(used.Where(k => !keys.Contains(k)).Order(StringComparer.Ordinal));
    }

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(Project, "Resources", "Features", "Procedures", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");


    // P["Key"] in the views, procedureText["Key"] in the page models; a key ending in '.' is completed at run time (checked above).
    [GeneratedRegex("\\b(?:P|procedureText)\\[\"([A-Z][A-Za-z]*(?:\\.[A-Za-z]+)*)\"")]
    private static partial Regex KeyUse();
}
