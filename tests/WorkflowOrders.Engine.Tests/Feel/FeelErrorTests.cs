using WorkflowOrders.Engine.Feel;

namespace WorkflowOrders.Engine.Tests.Feel;

/// <summary>Parse errors with positions, evaluation warnings (null results), and the work/size/depth limits.</summary>
public class FeelErrorTests
{
    [Theory]
    [InlineData("(1 + )", 1, 6, "Unexpected ')': an expression was expected")]
    [InlineData("date(1, )", 1, 9, "Unexpected ')': an expression was expected")]
    [InlineData("1 +", 1, 4, "Unexpected end of input: an expression was expected")]
    [InlineData("if x then 1", 1, 12, "Unexpected end of input: 'else' was expected")]
    [InlineData("\"abc", 1, 1, "The string is not closed")]
    [InlineData("x # 1", 1, 3, "Unexpected character '#'")]
    [InlineData("1 2", 1, 3, "Unexpected '2': the expression should end here")]
    [InlineData("[1, 2", 1, 6, "Unexpected end of input: ']' was expected")]
    [InlineData("{a: 1, a: 2}", 1, 8, "The context key 'a' appears twice")]
    [InlineData("x +\n  * 2", 2, 3, "Unexpected '*': an expression was expected")]
    [InlineData("for x in xs", 1, 12, "Unexpected end of input: 'return' or ',' was expected")]
    [InlineData("@\"not a date\"", 1, 1, "\"not a date\" is not a date, time, date and time or duration")]
    [InlineData("substring(foo: \"a\")", 1, 1, "The function 'substring' has no parameter 'foo'")]
    [InlineData("x in [1..5", 1, 11, "Unexpected end of input: ']' or ')' was expected to close the range")]
    [InlineData("", 1, 1, "Unexpected end of input: an expression was expected")]
    [InlineData("a.", 1, 3, "Unexpected end of input: a name was expected after '.'")]
    [InlineData("x = then", 1, 5, "Unexpected 'then': an expression was expected")]
    public void Parse_InvalidText_ThrowsWithPosition(string text, int line, int column, string message)
    {
        var e = Assert.Throws<FeelParseException>(() => FeelExpression.Parse(text));

        Assert.Equal((line, column, message), (e.Error.Line, e.Error.Column, e.Error.Message));
        Assert.Equal($"{message} (at line {line}, column {column})", e.Message);
    }

    [Fact]
    public void TryParse_InvalidText_ReturnsErrorWithoutThrowing()
    {
        var ok = FeelExpression.TryParse("1 + )", out var expression, out var error);

        Assert.False(ok);
        Assert.Null(expression);
        Assert.Equal(4, error!.Position);
    }

    [Fact]
    public void Parse_TooLong_Throws()
    {
        var text = string.Join(" + ", Enumerable.Repeat("1", 7000));

        var e = Assert.Throws<FeelParseException>(() => FeelExpression.Parse(text));

        Assert.Contains("longer than 20000 characters", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(", ")", 1000)]
    [InlineData("[", "]", 1000)]
    [InlineData("-", "", 1000)]
    [InlineData("not(", ")", 1000)]
    [InlineData("if true then ", " else 0", 500)]
    public void Parse_DeeplyNested_ThrowsParseErrorNotStackOverflow(string open, string close, int times)
    {
        var text = string.Concat(Enumerable.Repeat(open, times)) + "1" + string.Concat(Enumerable.Repeat(close, times));

        var e = Assert.Throws<FeelParseException>(() => FeelExpression.Parse(text));

        Assert.Contains("nested more than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LongOperatorChain_ThrowsDepthError()
    {
        var text = string.Join("+", Enumerable.Repeat("1", 1000));

        var e = Assert.Throws<FeelParseException>(() => FeelExpression.Parse(text));

        Assert.Contains("nested more than 200 levels", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing + 1", "no variable found for name 'missing'")]
    [InlineData("\"a\" + 1", "can't add a string and a number")]
    [InlineData("date(\"2026-10-08\") * 2", "can't multiply a date and a number")]
    [InlineData("order.nope", "no context entry found with key 'nope'")]
    [InlineData("x.nope", "no property 'nope' on a number")]
    [InlineData("foo(1)", "no function found with name 'foo' and 1 parameters")]
    [InlineData("substring(\"a\")", "no function found with name 'substring' and 1 parameters")]
    [InlineData("substring(1, 2)", "function 'substring' can't take (a number, a number)")]
    [InlineData("date(\"x\")", "can't parse \"x\" as a date")]
    [InlineData("1 / 0", "division by zero")]
    [InlineData("x > \"a\"", "can't compare a number and a string")]
    [InlineData("date and time(\"2026-10-08T16:00:00\") < now()", "can't compare a date and time without an offset with one that has an offset")]
    [InlineData("xs[7]", "index 7 is out of range for a list of 4 items")]
    [InlineData("matches(\"a\", \"(\")", "invalid regular expression '(':")]
    [InlineData("for i in x return i", "can't iterate over a number: a list is expected")]
    [InlineData("date and time(\"0001-01-01T00:00:00+08:00\") < now()", "the expression could not be evaluated:")]
    [InlineData("date(\"9999-12-31\") + duration(\"P1D\")", "the result of adding is out of the supported date range")]
    [InlineData("duration(\"P1D\") * 100000000000000", "the result of multiplying is too large")]
    [InlineData("addWorkingDays(now(), 1)", "addWorkingDays: no working calendar is bound to this evaluation")]
    [InlineData("workingDayOnOrBefore(today())", "workingDayOnOrBefore: no working calendar is bound to this evaluation")]
    public void Evaluate_FeelError_GivesNullAndWarning(string expression, string warning)
    {
        var result = Feel.Evaluate(expression, calendar: false);

        Assert.True(result.Value.IsNull);
        Assert.Contains(result.Warnings, w => w.StartsWith(warning, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("is defined(missing)")]
    [InlineData("x + 1")]
    [InlineData("xs[item > 2]")]
    [InlineData("items[price > 10]")]
    public void Evaluate_NoProblem_GivesNoWarnings(string expression)
    {
        Assert.Empty(Feel.Evaluate(expression).Warnings);
    }

    [Fact]
    public void Evaluate_SameProblemInLoop_WarnsOnce()
    {
        var result = Feel.Evaluate("for i in xs return missing");

        Assert.Equal(["no variable found for name 'missing'"], result.Warnings);
    }

    [Fact]
    public void Evaluate_OverStepBudget_ThrowsEvaluationException()
    {
        var expression = FeelExpression.Parse("for i in 1..1000 return i * 2");

        var e = Assert.Throws<FeelEvaluationException>(() => expression.Evaluate(Feel.Environment(maxSteps: 500)));

        Assert.Contains("work budget of 500 steps", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_OverListSize_ThrowsEvaluationException()
    {
        var expression = FeelExpression.Parse("for i in 1..1000000 return i");

        var e = Assert.Throws<FeelEvaluationException>(() => expression.Evaluate(Feel.Environment(maxListSize: 100)));

        Assert.Contains("more than the limit of 100", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, e.Error.Column);
    }

    [Fact]
    public void Evaluate_BuiltInOverListSize_ThrowsAtTheCall()
    {
        var expression = FeelExpression.Parse("count(\n  concatenate(xs, xs))");

        var e = Assert.Throws<FeelEvaluationException>(() => expression.Evaluate(Feel.Environment(maxListSize: 5)));

        Assert.Equal((2, 3), (e.Error.Line, e.Error.Column));
    }

    [Fact]
    public void Evaluate_RangeBeyondLongIntegers_ThrowsListSizeLimit()
    {
        var expression = FeelExpression.Parse("for i in 1..100000000000000000000 return i");

        var e = Assert.Throws<FeelEvaluationException>(() => expression.Evaluate(Feel.Environment()));

        Assert.Contains("more than the limit of 100000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SelfApplyingFunction_ThrowsInsteadOfOverflowingStack()
    {
        var expression = FeelExpression.Parse("{f: function(g, n) g(g, n), r: f(f, 1)}.r");

        var e = Assert.Throws<FeelEvaluationException>(() => expression.Evaluate(Feel.Environment()));

        Assert.Contains("deeper than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_CatastrophicRegex_StopsAtTimeoutWithWarning()
    {
        var result = Feel.Evaluate("matches(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\", \"^(a+)+$\")");

        Assert.True(result.Value.IsNull);
        Assert.Contains(result.Warnings, w => w.Contains("took too long", StringComparison.Ordinal));
    }
}
