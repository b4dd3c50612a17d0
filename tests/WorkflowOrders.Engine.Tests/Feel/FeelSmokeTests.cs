namespace WorkflowOrders.Engine.Tests.Feel;

public class FeelSmokeTests
{
    [Theory]
    [InlineData("1 + 2", "3")]
    [InlineData("order.amount > 1000", "true")]
    [InlineData("items[price > 10].name", "[\"gear\",\"shaft\"]")]
    [InlineData("date and time(workingDayOnOrBefore(date(order.deliveryDate) - duration(\"P7D\")), time(\"08:30:00\"))", "\"2026-10-13T08:30\"")]
    [InlineData("addWorkingDays(now(), 1)", "\"2026-10-09T10:00+08:00\"")]
    public void Smoke(string expression, string expected) => Feel.AssertJson(expected, expression);
}
