using System.Net;
using System.Text;
using WorkflowOrders.Web.Tests.Features.Orders;

namespace WorkflowOrders.Web.Tests.Features.Tracking;

/// <summary>The board when the reviews (due Wednesday 10:00, one working day after receipt) are left open until Friday noon.</summary>
public sealed class TrackingOverdueTests(OrderAppFixture fixture) : IClassFixture<OrderAppFixture>
{
    [Fact]
    public async Task Board_ReviewsLeftOpenTwoDaysPastTheirDeadline_DelayDaysAndOverdueStep()
    {
        using (var api = fixture.ApiClient("zhang.wei"))
        {
            using var response = await api.PostAsync(new Uri("/api/orders", UriKind.Relative), new StringContent(OrderAppFixture.ValidOrderJson("TR-LATE", "2026-03-20"), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        fixture.Clock.SetTo(new DateTimeOffset(2026, 3, 13, 12, 0, 0, TimeSpan.FromHours(8)));
        using var client = await fixture.SignedInAsync("chen.jing");

        var html = await client.GetStringAsync(new Uri("/tracking?Filter.Customer=TR-LATE&Filter.ExceptionsOnly=true", UriKind.Relative));

        Assert.Contains("data-order=\"TR-LATE\"", html, StringComparison.Ordinal);
        Assert.Contains("data-delay=\"2\"", html, StringComparison.Ordinal);
        Assert.Contains("环节超期", html, StringComparison.Ordinal);
        Assert.Contains("data-stage=\"review\" data-late=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("2026-03-11 10:00", html, StringComparison.Ordinal);
        // Friday the 13th to Friday the 20th: 16–20 March are five working days.
        Assert.Contains("data-countdown=\"5\"", html, StringComparison.Ordinal);
    }
}
