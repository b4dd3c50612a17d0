namespace WorkflowOrders.Engine.Tests.Feel;

/// <summary>Working-time functions against the test calendar (Mon–Fri 08:30–17:30 Asia/Shanghai; clock Thu 2026-10-08 10:00).</summary>
public class FeelWorkingTimeTests
{
    [Theory]
    [InlineData("addWorkingDays(date and time(\"2026-10-06T10:00:00+08:00\"), 1)", "\"2026-10-07T10:00+08:00\"")]
    [InlineData("addWorkingDays(date and time(\"2026-10-09T19:00:00+08:00\"), 1)", "\"2026-10-12T17:30+08:00\"")]
    [InlineData("addWorkingDays(date and time(\"2026-10-06T02:00:00Z\"), 1)", "\"2026-10-07T10:00+08:00\"")]
    [InlineData("addWorkingDays(date and time(\"2026-10-06T10:00:00@Asia/Shanghai\"), 2)", "\"2026-10-08T10:00+08:00\"")]
    [InlineData("addWorkingDays(date(\"2026-10-08\"), 1)", "\"2026-10-08T17:30+08:00\"")]
    [InlineData("addWorkingDays(now(), 1)", "\"2026-10-09T10:00+08:00\"")]
    [InlineData("addWorkingDays(now(), 0.5)", "\"2026-10-08T14:30+08:00\"")]
    [InlineData("addWorkingDays(order.receivedAt, 1)", "\"2026-10-07T10:00+08:00\"")]
    [InlineData("addWorkingDays(t: now(), n: 1)", "\"2026-10-09T10:00+08:00\"")]
    [InlineData("addWorkingHours(date and time(\"2026-10-08T16:00:00+08:00\"), 4)", "\"2026-10-09T11:00+08:00\"")]
    [InlineData("addWorkingHours(date and time(\"2026-10-08T16:00:00\"), 1)", "\"2026-10-08T17:00+08:00\"")]
    [InlineData("addWorkingHours(now(), 0.25)", "\"2026-10-08T10:15+08:00\"")]
    [InlineData("addWorkingHours(\"soon\", 1)", "null")]
    [InlineData("addWorkingDays(now(), \"1\")", "null")]
    public void AddWorkingTime_FromStart_CountsOnlyWorkingHours(string expression, string expected) => Feel.AssertJson(expected, expression);

    [Theory]
    [InlineData("workingDayOnOrBefore(date(\"2026-10-11\"))", "\"2026-10-09\"")]
    [InlineData("workingDayOnOrBefore(date(\"2026-10-08\"))", "\"2026-10-08\"")]
    [InlineData("workingDayOnOrBefore(date and time(\"2026-10-10T16:00:00+08:00\"))", "\"2026-10-09T16:00+08:00\"")]
    [InlineData("workingDayOnOrBefore(date and time(\"2026-10-10T20:00:00Z\"))", "\"2026-10-09T04:00+08:00\"")]
    [InlineData("workingDayOnOrBefore(date and time(\"2026-10-11T09:00:00\"))", "\"2026-10-09T09:00\"")]
    [InlineData("workingDayOnOrAfter(date(\"2026-10-10\"))", "\"2026-10-12\"")]
    [InlineData("date and time(workingDayOnOrBefore(date(order.deliveryDate) - duration(\"P7D\")), time(\"08:30:00\"))", "\"2026-10-13T08:30\"")]
    [InlineData("date and time(workingDayOnOrBefore(date(\"2026-10-18\") - duration(\"P7D\")), time(\"08:30:00@Asia/Shanghai\"))", "\"2026-10-09T08:30+08:00[Asia/Shanghai]\"")]
    public void WorkingDayOnOrBefore_Weekend_MovesToWorkingDay(string expression, string expected) => Feel.AssertJson(expected, expression);

    [Fact]
    public void AddWorkingDays_WithoutCalendar_GivesNullAndWarning()
    {
        var result = Feel.Evaluate("addWorkingDays(now(), 1)", calendar: false);

        Assert.True(result.Value.IsNull);
        Assert.Equal(["addWorkingDays: no working calendar is bound to this evaluation"], result.Warnings);
    }
}
