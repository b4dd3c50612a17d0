using System.Text.Json.Nodes;
using WorkflowOrders.Web.Forms;

namespace WorkflowOrders.Web.Tests.Forms;

public sealed class FormTranslatorTests
{
    private const string Schema = """
        {"components":[
          {"type":"radio","key":"outcome","label":"评审结论",
           "values":[{"label":"通过","value":"pass"},{"label":"阻断问题","value":"decline"}],
           "properties":{"label.en":"Outcome","values.en":"pass=Pass; decline=Blocking issue, decline"}},
          {"type":"group","components":[{"type":"text","text":"### 订单评审","properties":{"text.en":"### Order review"}}]}
        ]}
        """;

    [Fact]
    public void Translate_English_UsesTheEnglishPropertiesAndKeepsTheValues()
    {
        var form = JsonNode.Parse(FormTranslator.Translate(Schema, "en"))!;

        Assert.Equal("Outcome", form["components"]![0]!["label"]!.GetValue<string>());
        Assert.Equal("Blocking issue, decline", form["components"]![0]!["values"]![1]!["label"]!.GetValue<string>());
        Assert.Equal("decline", form["components"]![0]!["values"]![1]!["value"]!.GetValue<string>());
        Assert.Equal("### Order review", form["components"]![1]!["components"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_EnglishDatetimeField_TheDateLabelIsTheEnglishLabel()
    {
        const string schema = """
            {"components":[{"type":"datetime","key":"newDeliveryDate","subtype":"date","dateLabel":"新交货期","properties":{"label.en":"New delivery date"}}]}
            """;

        var form = JsonNode.Parse(FormTranslator.Translate(schema, "en"))!;

        Assert.Equal("New delivery date", form["components"]![0]!["dateLabel"]!.GetValue<string>());
        Assert.Equal("newDeliveryDate", form["components"]![0]!["key"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_Chinese_LeavesTheFormAsWritten()
    {
        Assert.Equal(Schema, FormTranslator.Translate(Schema, "zh-CN"));
    }
}
