using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Feel;

namespace WorkflowOrders.Engine.Tests.Feel;

/// <summary>JSON in and out (camunda-rest-v2.md §11), the .NET accessors the engine uses, and FEEL value equality.</summary>
public class FeelValueTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("-2.5")]
    [InlineData("\"2026-10-08\"")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("[1,\"a\",null,[true]]")]
    [InlineData("{\"a\":{\"b\":[1,2]},\"c\":\"x\"}")]
    public void FromJson_ThenToJson_RoundTrips(string json)
    {
        var value = FeelValue.FromJson(JsonNode.Parse(json));

        Assert.Equal(Feel.Normal(json), Feel.Text(value));
    }

    [Fact]
    public void FromJson_String_StaysString()
    {
        Assert.IsType<FeelString>(FeelValue.FromJson(JsonValue.Create("2026-10-08")));
    }

    [Theory]
    [InlineData("1e2", 100)]
    [InlineData("0.1", 0.1)]
    [InlineData("12345678901234", 12345678901234)]
    public void FromJson_ParsedNumber_IsDecimal(string json, double expected)
    {
        Assert.Equal((decimal)expected, FeelValue.FromJson(JsonNode.Parse(json)).AsDecimal());
    }

    [Fact]
    public void FromJson_ClrBackedNumbers_AreDecimals()
    {
        Assert.Equal(3m, FeelValue.FromJson(JsonValue.Create(3)).AsDecimal());
        Assert.Equal(2.5m, FeelValue.FromJson(JsonValue.Create(2.5)).AsDecimal());
        Assert.Equal(7m, FeelValue.FromJson(JsonValue.Create(7L)).AsDecimal());
    }

    [Theory]
    [InlineData("date and time(\"2026-10-08T16:00:00+08:00\")")]
    [InlineData("date and time(\"2026-10-08T16:00:00@Asia/Shanghai\")")]
    [InlineData("date and time(\"2026-10-08T16:00:30.250\")")]
    [InlineData("duration(\"P1DT2H30M\")")]
    public void StoredTemporal_ReadBackWithConstructor_IsSameValue(string expression)
    {
        var stored = Feel.Text(Feel.Evaluate(expression).Value);
        var constructor = expression[..expression.IndexOf('(', StringComparison.Ordinal)];

        var reread = Feel.Evaluate($"{constructor}(v) = {expression}", variables: $"{{\"v\": {stored}}}");

        Assert.Equal(FeelBoolean.True, reread.Value);
    }

    [Theory]
    [InlineData("[\"sales\", \"qa\"]", "sales|qa")]
    [InlineData("groups", "sales|qa|finance")]
    [InlineData("order.customer.groups", "sales|qa")]
    [InlineData("\"\"", "")]
    [InlineData("[\"a\", 7, null, \" \"]", "a|7")]
    public void AsStringList_ListOrCommaText_GivesItems(string expression, string expected)
    {
        var list = Feel.Evaluate(expression).Value.AsStringList();

        Assert.Equal(expected, string.Join("|", list!));
    }

    [Fact]
    public void AsStringList_Number_IsNull()
    {
        Assert.Null(new FeelNumber(1).AsStringList());
    }

    [Theory]
    [InlineData("date and time(\"2026-10-08T16:00:00+08:00\")", "2026-10-08T08:00:00Z")]
    [InlineData("date and time(\"2026-10-08T16:00:00@Asia/Shanghai\")", "2026-10-08T08:00:00Z")]
    [InlineData("\"2026-10-08T16:00+08:00\"", "2026-10-08T08:00:00Z")]
    [InlineData("addWorkingDays(now(), 1)", "2026-10-09T02:00:00Z")]
    public void TryGetDateTimeOffset_InstantValue_GivesInstant(string expression, string expectedUtc)
    {
        var ok = Feel.Evaluate(expression).Value.TryGetDateTimeOffset(out var instant);

        Assert.True(ok);
        Assert.Equal(DateTimeOffset.Parse(expectedUtc, CultureInfo.InvariantCulture), instant);
    }

    [Theory]
    [InlineData("date(\"2026-10-08\")")]
    [InlineData("date and time(\"2026-10-08T16:00:00\")")]
    [InlineData("42")]
    [InlineData("\"tomorrow\"")]
    public void TryGetDateTimeOffset_NoOffsetAndNoZoneGiven_IsFalse(string expression)
    {
        Assert.False(Feel.Evaluate(expression).Value.TryGetDateTimeOffset(out _));
    }

    [Fact]
    public void TryGetDateTimeOffset_LocalWithZone_UsesZone()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

        var ok = Feel.Evaluate("date(\"2026-10-08\")").Value.TryGetDateTimeOffset(out var instant, zone);

        Assert.True(ok);
        Assert.Equal(new DateTimeOffset(2026, 10, 7, 16, 0, 0, TimeSpan.Zero), instant);
    }

    [Fact]
    public void TryGetTimeSpan_Duration_GivesTimeSpan()
    {
        Assert.True(Feel.Evaluate("duration(\"PT90M\")").Value.TryGetTimeSpan(out var span));
        Assert.Equal(TimeSpan.FromMinutes(90), span);
    }

    [Fact]
    public void Accessors_WrongKind_GiveNull()
    {
        var text = new FeelString("x");

        Assert.Null(text.AsDecimal());
        Assert.Null(text.AsBoolean());
        Assert.Equal("x", text.AsString());
        Assert.True(FeelBoolean.True.AsBoolean());
    }

    [Fact]
    public void Equality_NumbersListsContexts_ByValue()
    {
        Assert.Equal(new FeelNumber(1.0m), new FeelNumber(1m));
        Assert.Equal(new FeelList([new FeelNumber(1), new FeelString("a")]), new FeelList([new FeelNumber(1.00m), new FeelString("a")]));
        Assert.Equal(new FeelContext([new("a", new FeelNumber(1)), new("b", FeelNull.Instance)]), new FeelContext([new("b", FeelNull.Instance), new("a", new FeelNumber(1))]));
        Assert.NotEqual(new FeelList([new FeelNumber(1)]), new FeelList([new FeelNumber(2)]));
    }

    [Fact]
    public void Context_ManyEntries_LooksUpByIndex()
    {
        var entries = string.Join(", ", Enumerable.Range(1, 20).Select(i => $"k{i}: {i}"));

        Feel.AssertJson("17", $"{{{entries}}}.k17");
    }

    [Fact]
    public void Evaluate_ParsedOnce_IsReusableAcrossEnvironments()
    {
        var expression = FeelExpression.Parse("amount > 1000");

        var high = expression.Evaluate(Feel.Environment(variables: "{\"amount\": 1200}"));
        var low = expression.Evaluate(Feel.Environment(variables: "{\"amount\": 800}"));

        Assert.Equal((true, false), (high.Value.AsBoolean(), low.Value.AsBoolean()));
    }

    [Fact]
    public void Evaluate_OneExpressionOnManyThreads_GivesEachItsOwnResult()
    {
        var expression = FeelExpression.Parse("date(d) - duration(\"P7D\") + duration(\"P1D\") * n");
        var results = new string[200];

        Parallel.For(0, results.Length, i =>
            results[i] = Feel.Text(expression.Evaluate(Feel.Environment(variables: $"{{\"d\": \"2026-10-20\", \"n\": {i % 7}}}")).Value));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal($"\"2026-10-{13 + (i % 7)}\"", results[i]);
        }
    }
}
