using System.Text.RegularExpressions;
using System.Xml.Linq;
using WorkflowOrders.Web.Localization;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Localization;

public sealed partial class ResourceTests
{
    private static readonly string WebProject = Path.Combine(Repository.Root, "src", "WorkflowOrders.Web");

    [Fact]
    public void SharedResources_ChineseAndEnglish_HaveTheSameNonEmptyKeys()
    {
        var english = Read("SharedResource.resx");
        var chinese = Read("SharedResource.zh-CN.resx");

        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), chinese.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(english, e => string.IsNullOrWhiteSpace(e.Value));
        Assert.DoesNotContain(chinese, e => string.IsNullOrWhiteSpace(e.Value));
    }

    [Fact]
    public void SharedResources_EveryKeyUsedInPagesAndCode_Exists()
    {
        var keys = Read("SharedResource.resx").Keys.ToHashSet(StringComparer.Ordinal);
        var used = Directory.EnumerateFiles(WebProject, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal)) && !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .SelectMany(f => KeyUse().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Concat(Navigation.Entries.Select(e => e.Label))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Empty(used.Where(k => !keys.Contains(k)).Order(StringComparer.Ordinal));
    }

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(WebProject, "Resources", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");


    // T["Key"], text["Key"], and ErrorMessage/Name = "Area.Key" in data annotations.
    [GeneratedRegex("(?:\\b(?:T|text)\\[\"|(?:ErrorMessage|Name) = \")([A-Z][A-Za-z]+\\.[A-Za-z.]+)\"")]
    private static partial Regex KeyUse();
}
