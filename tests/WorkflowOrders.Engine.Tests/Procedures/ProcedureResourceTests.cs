using System.Text.Json.Nodes;

namespace WorkflowOrders.Engine.Tests.Procedures;

/// <summary>The task forms (Camunda Forms JSON) and element templates of workflows/ that go with the procedures.</summary>
public sealed class ProcedureResourceTests
{
    private static readonly string[] InputTypes = ["textfield", "textarea", "number", "checkbox", "radio", "select", "datetime", "checklist", "taglist"];

    private static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "workflows", name);

    public static TheoryData<string> Forms() => [.. Directory.GetFiles(Folder("forms"), "*.form").Select(Path.GetFileName).OfType<string>()];

    public static TheoryData<string> Templates() => [.. Directory.GetFiles(Folder("templates"), "*.json").Select(Path.GetFileName).OfType<string>()];

    [Theory]
    [MemberData(nameof(Forms))]
    public void Form_Parsed_IsACamundaFormWithLabelledFieldsInBothLanguages(string file)
    {
        var form = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder("forms"), file)))!.AsObject();

        Assert.Equal(Path.GetFileNameWithoutExtension(file), form["id"]!.GetValue<string>());
        Assert.True(form["schemaVersion"]!.GetValue<int>() >= 16);
        var fields = form["components"]!.AsArray().Select(c => c!.AsObject()).Where(c => InputTypes.Contains(c["type"]!.GetValue<string>())).ToList();
        Assert.NotEmpty(fields);
        Assert.Contains(fields, f => f["validate"]?["required"]?.GetValue<bool>() == true);
        Assert.Equal(fields.Count, fields.Select(f => f["key"]!.GetValue<string>()).Distinct(StringComparer.Ordinal).Count());
        Assert.All(fields, f =>
        {
            Assert.False(string.IsNullOrWhiteSpace((f["label"] ?? f["dateLabel"])?.GetValue<string>()));
            Assert.False(string.IsNullOrWhiteSpace(f["properties"]?["label.en"]?.GetValue<string>()));
            if (f["type"]!.GetValue<string>() is "radio" or "select")
            {
                Assert.NotEmpty(f["values"]!.AsArray());
            }
        });
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void ElementTemplate_Parsed_FollowsTheZeebeTemplateShape(string file)
    {
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder("templates"), file)))!.AsObject();

        Assert.Equal("https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json", template["$schema"]!.GetValue<string>());
        Assert.StartsWith("workfloworders.", template["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(template["name"]!.GetValue<string>()));
        Assert.True(template["version"]!.GetValue<int>() >= 1);
        Assert.NotEmpty(template["appliesTo"]!.AsArray());
        var bindings = template["properties"]!.AsArray().Select(p => p!["binding"]!["type"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(bindings);
        Assert.All(bindings, b => Assert.StartsWith("zeebe:", b, StringComparison.Ordinal));
    }
}
