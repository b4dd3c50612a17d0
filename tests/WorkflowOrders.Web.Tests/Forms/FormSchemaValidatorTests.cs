using System.Text.Json.Nodes;
using WorkflowOrders.Testing;
using WorkflowOrders.Web.Forms;

namespace WorkflowOrders.Web.Tests.Forms;

public sealed class FormSchemaValidatorTests
{
    // A review form as the designer writes it: a required choice, a number with limits, text with a length,
    // a date, a checklist, and a field only shown for one outcome.
    private const string Schema = """
        {
          "id": "review", "type": "default",
          "components": [
            { "type": "text", "text": "### Review" },
            { "type": "radio", "key": "outcome", "id": "F_outcome", "label": "Outcome", "validate": { "required": true },
              "values": [ { "label": "Pass", "value": "pass" }, { "label": "Issue", "value": "issue" } ] },
            { "type": "number", "key": "days", "id": "F_days", "decimalDigits": 0, "validate": { "min": 1, "max": 30 } },
            { "type": "textfield", "key": "reason", "id": "F_reason", "validate": { "required": true, "minLength": 5 },
              "conditional": { "hide": "=outcome != \"issue\"" } },
            { "type": "textarea", "key": "comment", "id": "F_comment", "validate": { "maxLength": 10 } },
            { "type": "datetime", "subtype": "date", "key": "newDate", "id": "F_date", "disallowPassedDates": true },
            { "type": "checkbox", "key": "urgent", "id": "F_urgent" },
            { "type": "checklist", "key": "checks", "id": "F_checks", "values": [ { "label": "A", "value": "a" }, { "label": "B", "value": "b" } ] },
            { "type": "textfield", "key": "contact.email", "id": "F_email", "validate": { "validationType": "email" } },
            { "type": "textfield", "key": "locked", "id": "F_locked", "disabled": true }
          ]
        }
        """;

    private static readonly FormSchemaValidator Validator = new(FakeTimeProvider.At("2026-10-08T08:00:00Z"));

    private static FormValidationResult Validate(string data, string? context = null) =>
        Validator.Validate(Schema, (JsonObject)JsonNode.Parse(data)!, context is null ? null : (JsonObject)JsonNode.Parse(context)!, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));

    [Fact]
    public void Validate_CompleteValidData_GivesOnlyTheFormsVariables()
    {
        var result = Validate("""{"outcome":"pass","days":10,"comment":"ok","newDate":"2026-10-09","urgent":true,"checks":["a"],"contact":{"email":"li@example.com"},"sneaky":"x","locked":"y"}""");

        Assert.True(result.IsValid);
        Assert.Equal("pass", result.Variables["outcome"]!.GetValue<string>());
        Assert.Equal(10m, result.Variables["days"]!.GetValue<decimal>());
        Assert.Equal("li@example.com", result.Variables["contact"]!["email"]!.GetValue<string>());
        Assert.False(result.Variables.ContainsKey("sneaky"));
        Assert.False(result.Variables.ContainsKey("locked"));
    }

    [Fact]
    public void Validate_RequiredChoiceMissing_ReportsRequiredOnItsField()
    {
        var result = Validate("""{"days":3}""");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("F_outcome", "outcome", FormErrorCode.Required), (error.FieldId, error.Path, error.Code));
    }

    [Fact]
    public void Validate_ValueOutsideTheChoices_IsNotAllowed()
    {
        var result = Validate("""{"outcome":"maybe","checks":["a","z"]}""");

        Assert.Equal([FormErrorCode.NotAllowed, FormErrorCode.NotAllowed], result.Errors.Select(e => e.Code));
        Assert.Equal(["outcome", "checks"], result.Errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData("""{"outcome":"pass","days":0}""", FormErrorCode.BelowMinimum, "1")]
    [InlineData("""{"outcome":"pass","days":31}""", FormErrorCode.AboveMaximum, "30")]
    [InlineData("""{"outcome":"pass","days":2.5}""", FormErrorCode.NotInteger, "0")]
    [InlineData("""{"outcome":"pass","days":"ten"}""", FormErrorCode.NotNumber, null)]
    [InlineData("""{"outcome":"pass","urgent":"yes"}""", FormErrorCode.NotBoolean, null)]
    [InlineData("""{"outcome":"pass","newDate":"08/10/2026"}""", FormErrorCode.NotDate, null)]
    [InlineData("""{"outcome":"pass","newDate":"2026-10-07"}""", FormErrorCode.DateInPast, null)]
    [InlineData("""{"outcome":"pass","comment":"far too long text"}""", FormErrorCode.TooLong, "10")]
    [InlineData("""{"outcome":"pass","contact":{"email":"not an address"}}""", FormErrorCode.NotEmail, null)]
    [InlineData("""{"outcome":"pass","checks":"a"}""", FormErrorCode.NotList, null)]
    public void Validate_WrongTypeOrOutOfLimits_ReportsTheRuleAndItsLimit(string data, FormErrorCode code, string? argument)
    {
        var error = Assert.Single(Validate(data).Errors);

        Assert.Equal((code, argument), (error.Code, error.Argument));
    }

    [Fact]
    public void Validate_FieldHiddenByItsCondition_IsNeitherCheckedNorWritten()
    {
        var hidden = Validate("""{"outcome":"pass","reason":"x"}""");
        var shown = Validate("""{"outcome":"issue","reason":"x"}""");

        Assert.True(hidden.IsValid);
        Assert.False(hidden.Variables.ContainsKey("reason"));
        Assert.Equal(FormErrorCode.TooShort, Assert.Single(shown.Errors).Code);
    }

    [Fact]
    public void Validate_LimitWrittenAsExpression_IsEvaluatedWithTheInstancesVariables()
    {
        const string schema = """{"components":[{"type":"number","key":"qty","id":"F_qty","validate":{"max":"=ordered"}}]}""";

        var result = Validator.Validate(schema, new JsonObject { ["qty"] = 120 }, new JsonObject { ["ordered"] = 100 });

        var error = Assert.Single(result.Errors);
        Assert.Equal((FormErrorCode.AboveMaximum, "100"), (error.Code, error.Argument));
    }

    [Fact]
    public void Validate_SelectWithValuesFromAVariable_AcceptsOnlyThose()
    {
        const string schema = """{"components":[{"type":"select","key":"supplier","id":"F_s","valuesKey":"suppliers"}]}""";
        var context = (JsonObject)JsonNode.Parse("""{"suppliers":[{"label":"Acme","value":"acme"}]}""")!;

        Assert.True(Validator.Validate(schema, new JsonObject { ["supplier"] = "acme" }, context).IsValid);
        Assert.Equal(FormErrorCode.NotAllowed, Assert.Single(Validator.Validate(schema, new JsonObject { ["supplier"] = "other" }, context).Errors).Code);
    }

    [Fact]
    public void Validate_GroupWithPathAndDynamicList_ChecksNestedFieldsWithTheirPaths()
    {
        const string schema = """
            {"components":[
              {"type":"group","path":"customer","components":[{"type":"textfield","key":"name","id":"F_name","validate":{"required":true}}]},
              {"type":"dynamiclist","path":"lines","id":"F_lines","components":[{"type":"number","key":"qty","id":"F_qty","validate":{"min":1}}]}
            ]}
            """;
        var data = (JsonObject)JsonNode.Parse("""{"customer":{"name":""},"lines":[{"qty":2},{"qty":0}]}""")!;

        var result = Validator.Validate(schema, data);

        Assert.Equal(["customer.name", "lines[1].qty"], result.Errors.Select(e => e.Path));
        Assert.Equal([FormErrorCode.Required, FormErrorCode.BelowMinimum], result.Errors.Select(e => e.Code));
    }

    [Fact]
    public void Validate_PatternWithItsOwnMessage_KeepsTheFormsMessage()
    {
        const string schema = """{"components":[{"type":"textfield","key":"orderNo","id":"F_no","validate":{"pattern":"^SO-\\d{4}-\\d{4}$","patternErrorMessage":"Use SO-yyyy-nnnn"}}]}""";

        var error = Assert.Single(Validator.Validate(schema, new JsonObject { ["orderNo"] = "12345" }).Errors);

        Assert.Equal((FormErrorCode.PatternMismatch, "Use SO-yyyy-nnnn"), (error.Code, error.CustomMessage));
    }
}
