using System.Security.Claims;
using WorkflowOrders.Web.Localization;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Tests.Localization;

public sealed class InstantFormatterTests
{
    private static readonly DateTimeOffset Instant = DateTimeOffset.Parse("2026-10-08T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("Asia/Shanghai", "2026-10-08 16:00")]
    [InlineData("Europe/Berlin", "2026-10-08 10:00")]
    [InlineData("UTC", "2026-10-08 08:00")]
    public void FormatInstant_Zone_GivesLocalMinutes(string zone, string expected) =>
        Assert.Equal(expected, InstantFormatter.FormatInstant(Instant, zone));

    [Fact]
    public void FormatInstant_UnknownZone_FallsBackToShanghai() =>
        Assert.Equal("2026-10-08 16:00", InstantFormatter.FormatInstant(Instant, "Mars/Olympus"));

    [Fact]
    public void FormatInstant_Null_IsEmpty() =>
        Assert.Equal("", InstantFormatter.FormatInstant(null, "Asia/Shanghai"));

    [Fact]
    public void FormatInstant_UserWithZoneClaim_UsesTheirZone()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(AppClaims.TimeZone, "America/New_York")], "test"));

        Assert.Equal("2026-10-08 04:00", user.FormatInstant(Instant));
    }
}
