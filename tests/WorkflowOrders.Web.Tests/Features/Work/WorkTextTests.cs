using System.Text.RegularExpressions;
using System.Xml.Linq;
using WorkflowOrders.Web.Features.Work;
using WorkflowOrders.Web.Forms;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Work;

public sealed partial class WorkTextTests
{
    private static readonly string WebProject = Path.Combine(Repository.Root, "src", "WorkflowOrders.Web");

    private static readonly string[] ScreenFolders = ["Inbox", "Tasks", "Instance", "Work"];

    [Fact]
    public void WorkText_ChineseAndEnglish_HaveTheSameNonEmptyKeys()
    {
        var english = Read("WorkText.resx");
        var chinese = Read("WorkText.zh-CN.resx");

        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), chinese.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(english, e => string.IsNullOrWhiteSpace(e.Value));
        Assert.DoesNotContain(chinese, e => string.IsNullOrWhiteSpace(e.Value));
    }

    [Fact]
    public void WorkText_EveryKeyTheScreensUse_Exists()
    {
        var keys = Read("WorkText.resx").Keys.ToHashSet(StringComparer.Ordinal);
        var used = ScreenFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(WebProject, "Features", folder)))
            .SelectMany(f => KeyUse().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Concat(Enum.GetValues<FormErrorCode>().Select(c => "FormError." + c))
            .Concat(Enum.GetValues<DueState>().Select(s => new DueInfo(s, null, null).Word))
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(used);
        Assert.Empty(used.Where(k => !keys.Contains(k)).Order(StringComparer.Ordinal));
    }

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(WebProject, "Resources", "Features", "Work", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");


    // W["Key"] in the views, words["Key"] in the code, and message keys of results ("Assign.Claimed").
    [GeneratedRegex("(?:\\b(?:W|words)\\[\"|new\\(\\w+, \")([A-Z][A-Za-z]+\\.[A-Za-z.\\-]+)\"")]
    private static partial Regex KeyUse();
}
