using WorkflowOrders.Engine.Feel;

namespace WorkflowOrders.Engine.Tests.Feel;

public class FeelVariableNamesTests
{
    [Theory]
    [InlineData("order.deliveryDate", "order")]
    [InlineData("date and time(workingDayOnOrBefore(date(order.deliveryDate) - duration(\"P7D\")), time(\"08:30:00\"))", "order")]
    [InlineData("addWorkingDays(now(), 1)", "")]
    [InlineData("amount > limit and approved", "amount,approved,limit")]
    [InlineData("for i in xs return i + x", "x,xs")]
    [InlineData("some i in items satisfies i.price > limit", "items,limit")]
    [InlineData("xs[item > threshold]", "threshold,xs")]
    [InlineData("{a: 1, b: a + c}", "c")]
    [InlineData("function(a) a + b", "b")]
    [InlineData("`my var` + 1", "my var")]
    [InlineData("string length(name) > 3 and is defined(flag)", "flag,name")]
    [InlineData("for a in [1], b in a return b + c", "c")]
    public void VariableNames_Expression_ListsRootVariablesOnly(string expression, string expected)
    {
        var names = FeelExpression.Parse(expression).VariableNames.Order(StringComparer.Ordinal);

        Assert.Equal(expected, string.Join(",", names));
    }
}
