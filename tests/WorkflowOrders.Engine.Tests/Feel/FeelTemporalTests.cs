namespace WorkflowOrders.Engine.Tests.Feel;

/// <summary>Dates, times, date-times and durations: construction, arithmetic, comparison, properties (clock: <see cref="Feel.Now"/>).</summary>
public class FeelTemporalTests
{
    [Theory]
    [InlineData("date(\"2026-10-08\")", "\"2026-10-08\"")]
    [InlineData("date(2026, 2, 28)", "\"2026-02-28\"")]
    [InlineData("date(date and time(\"2026-10-08T23:30:00+08:00\"))", "\"2026-10-08\"")]
    [InlineData("date(\"2026-02-30\")", "null")]
    [InlineData("date(order.deliveryDate)", "\"2026-10-20\"")]
    [InlineData("@\"2026-10-08\"", "\"2026-10-08\"")]
    [InlineData("time(\"16:00:00\")", "\"16:00\"")]
    [InlineData("time(\"16:00:30\")", "\"16:00:30\"")]
    [InlineData("time(\"16:00:00.5\")", "\"16:00:00.500\"")]
    [InlineData("time(\"16:00:00+08:00\")", "\"16:00:00+08:00\"")]
    [InlineData("time(\"16:00:00@Europe/Paris\")", "\"16:00:00@Europe/Paris\"")]
    [InlineData("time(16, 5, 0)", "\"16:05\"")]
    [InlineData("time(date and time(\"2026-10-08T16:00:00+08:00\"))", "\"16:00:00+08:00\"")]
    public void DateAndTime_Constructed_PrintAsStored(string expression, string expected) => Feel.AssertJson(expected, expression);

    [Theory]
    [InlineData("date and time(\"2026-10-08T16:00:00+08:00\")", "\"2026-10-08T16:00+08:00\"")]
    [InlineData("date and time(\"2026-10-08T16:00:00@Asia/Shanghai\")", "\"2026-10-08T16:00+08:00[Asia/Shanghai]\"")]
    [InlineData("date and time(\"2026-10-08T16:00:00+08:00[Asia/Shanghai]\")", "\"2026-10-08T16:00+08:00[Asia/Shanghai]\"")]
    [InlineData("date and time(\"2026-10-08T16:00:30\")", "\"2026-10-08T16:00:30\"")]
    [InlineData("date and time(\"2026-10-08T08:00:00Z\")", "\"2026-10-08T08:00Z\"")]
    [InlineData("date and time(\"2026-10-08T08:00:00.123Z\")", "\"2026-10-08T08:00:00.123Z\"")]
    [InlineData("date and time(\"2026-07-01T12:00:00@Europe/Paris\")", "\"2026-07-01T12:00+02:00[Europe/Paris]\"")]
    [InlineData("date and time(date(\"2026-10-08\"), time(\"08:30:00\"))", "\"2026-10-08T08:30\"")]
    [InlineData("date and time(date(\"2026-10-08\"), time(\"08:30:00+08:00\"))", "\"2026-10-08T08:30+08:00\"")]
    [InlineData("date and time(date(\"2026-10-08\"), time(\"08:30:00@Asia/Shanghai\"))", "\"2026-10-08T08:30+08:00[Asia/Shanghai]\"")]
    [InlineData("date and time(\"2026-10-08\")", "null")]
    [InlineData("date and time(\"2026-10-08T16:00:00@Nowhere/City\")", "null")]
    [InlineData("@\"2026-10-08T16:00:00+08:00\"", "\"2026-10-08T16:00+08:00\"")]
    [InlineData("now()", "\"2026-10-08T10:00+08:00\"")]
    [InlineData("today()", "\"2026-10-08\"")]
    public void DateTime_Constructed_PrintsAsStored(string expression, string expected) => Feel.AssertJson(expected, expression);

    [Fact]
    public void Now_WithoutCalendar_IsUtc()
    {
        Feel.AssertJson("\"2026-10-08T02:00Z\"", "now()", calendar: false);
    }

    [Fact]
    public void Today_WithoutCalendar_IsUtcDate()
    {
        var at = new Support.FakeTimeProvider(DateTimeOffset.Parse("2026-10-08T07:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        var withCalendar = WorkflowOrders.Engine.Feel.FeelExpression.Parse("today()").Evaluate(new() { Variables = new JsonVariables("{}"), Time = at, Calendar = new ShanghaiWeekCalendar() });
        var withoutCalendar = WorkflowOrders.Engine.Feel.FeelExpression.Parse("today()").Evaluate(new() { Variables = new JsonVariables("{}"), Time = at });

        Assert.Equal("\"2026-10-08\"", Feel.Text(withCalendar.Value));
        Assert.Equal("\"2026-10-07\"", Feel.Text(withoutCalendar.Value));
    }

    [Theory]
    [InlineData("duration(\"PT48H\")", "\"P2D\"")]
    [InlineData("duration(\"P1DT2H30M\")", "\"P1DT2H30M\"")]
    [InlineData("duration(\"PT0S\")", "\"P0D\"")]
    [InlineData("duration(\"PT1.5S\")", "\"PT1S\"")]
    [InlineData("duration(\"-P1D\")", "\"-P1D\"")]
    [InlineData("duration(\"P2W\")", "\"P14D\"")]
    [InlineData("duration(\"P18M\")", "\"P1Y6M\"")]
    [InlineData("duration(\"P0Y\")", "\"P0Y\"")]
    [InlineData("duration(\"P1Y2DT3H\")", "null")]
    [InlineData("duration(\"1 day\")", "null")]
    [InlineData("years and months duration(date(\"2026-01-31\"), date(\"2027-03-01\"))", "\"P1Y1M\"")]
    [InlineData("years and months duration(date(\"2026-03-01\"), date(\"2026-01-01\"))", "\"-P2M\"")]
    public void Duration_Constructed_PrintsFeelForm(string expression, string expected) => Feel.AssertJson(expected, expression);

    [Theory]
    [InlineData("date(\"2026-10-20\") - duration(\"P7D\")", "\"2026-10-13\"")]
    [InlineData("date(\"2026-01-31\") + duration(\"P1M\")", "\"2026-02-28\"")]
    [InlineData("date(\"2026-10-20\") - date(\"2026-10-08\")", "\"P12D\"")]
    [InlineData("date and time(\"2026-10-08T16:00:00+08:00\") + duration(\"PT10H\")", "\"2026-10-09T02:00+08:00\"")]
    [InlineData("date and time(\"2026-10-08T16:00:00+08:00\") - date and time(\"2026-10-08T08:00:00Z\")", "\"P0D\"")]
    [InlineData("date and time(\"2026-10-09T18:30:00+08:00\") - date and time(\"2026-10-08T16:00:00+08:00\")", "\"P1DT2H30M\"")]
    [InlineData("date and time(\"2026-10-24T12:00:00@Europe/Paris\") + duration(\"P1D\")", "\"2026-10-25T11:00+01:00[Europe/Paris]\"")]
    [InlineData("date and time(\"2026-10-24T12:00:00@Europe/Paris\") + duration(\"P1M\")", "\"2026-11-24T12:00+01:00[Europe/Paris]\"")]
    [InlineData("date and time(\"2026-10-08T16:00:00\") - date and time(\"2026-10-08T16:00:00+08:00\")", "null")]
    [InlineData("time(\"23:00:00\") + duration(\"PT2H\")", "\"01:00\"")]
    [InlineData("time(\"10:00:00\") - time(\"08:30:00\")", "\"PT1H30M\"")]
    [InlineData("duration(\"P1D\") + duration(\"PT12H\")", "\"P1DT12H\"")]
    [InlineData("duration(\"P1D\") * 3", "\"P3D\"")]
    [InlineData("2 * duration(\"PT1H\")", "\"PT2H\"")]
    [InlineData("duration(\"P1D\") / 4", "\"PT6H\"")]
    [InlineData("duration(\"P1D\") / duration(\"PT1H\")", "24")]
    [InlineData("duration(\"P1Y\") - duration(\"P2M\")", "\"P10M\"")]
    [InlineData("-duration(\"PT1H\")", "\"-PT1H\"")]
    [InlineData("date(\"2026-10-08\") + 1", "null")]
    public void TemporalArithmetic_Evaluated_FollowsFeel(string expression, string expected) => Feel.AssertJson(expected, expression);

    [Theory]
    [InlineData("date(\"2026-10-08\") < date(\"2026-10-09\")", "true")]
    [InlineData("date and time(\"2026-10-08T16:00:00+08:00\") = date and time(\"2026-10-08T08:00:00Z\")", "true")]
    [InlineData("date and time(\"2026-10-08T16:00:00@Asia/Shanghai\") = date and time(\"2026-10-08T16:00:00+08:00\")", "true")]
    [InlineData("now() > date and time(order.receivedAt)", "true")]
    [InlineData("date and time(\"2026-10-08T16:00:00\") < date and time(\"2026-10-08T16:00:00Z\")", "null")]
    [InlineData("time(\"10:00:00\") < time(\"11:00:00\")", "true")]
    [InlineData("duration(\"PT25H\") > duration(\"P1D\")", "true")]
    [InlineData("duration(\"P1Y\") = duration(\"P12M\")", "true")]
    [InlineData("date(\"2026-10-08\") = \"2026-10-08\"", "null")]
    public void TemporalComparison_Evaluated_ByInstantOrValue(string expression, string expected) => Feel.AssertJson(expected, expression);

    [Theory]
    [InlineData("date(\"2026-10-08\").year", "2026")]
    [InlineData("date(\"2026-10-08\").month", "10")]
    [InlineData("date(\"2026-10-08\").day", "8")]
    [InlineData("date(\"2026-10-08\").weekday", "4")]
    [InlineData("date(\"2026-10-11\").weekday", "7")]
    [InlineData("date and time(\"2026-10-08T16:45:30+08:00\").hour", "16")]
    [InlineData("date and time(\"2026-10-08T16:45:30+08:00\").minute", "45")]
    [InlineData("date and time(\"2026-10-08T16:45:30+08:00\").second", "30")]
    [InlineData("date and time(\"2026-10-08T16:45:30+08:00\").time offset", "\"PT8H\"")]
    [InlineData("date and time(\"2026-10-08T16:45:30@Asia/Shanghai\").timezone", "\"Asia/Shanghai\"")]
    [InlineData("duration(\"P1DT2H30M\").days", "1")]
    [InlineData("duration(\"P1DT2H30M\").hours", "2")]
    [InlineData("duration(\"P1DT2H30M\").minutes", "30")]
    [InlineData("duration(\"P18M\").years", "1")]
    [InlineData("duration(\"P18M\").months", "6")]
    [InlineData("time(\"16:45:00\").minute", "45")]
    [InlineData("day of week(date(\"2026-10-08\"))", "\"Thursday\"")]
    [InlineData("month of year(date(\"2026-10-08\"))", "\"October\"")]
    [InlineData("day of year(date(\"2026-02-01\"))", "32")]
    [InlineData("week of year(date(\"2026-10-08\"))", "41")]
    [InlineData("last day of month(date(\"2028-02-10\"))", "\"2028-02-29\"")]
    public void TemporalProperty_Read_GivesComponent(string expression, string expected) => Feel.AssertJson(expected, expression);
}
