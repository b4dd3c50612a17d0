using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace WorkflowOrders.Web.Features.Reports;

/// <summary>The reports page (报表): delivery, reviews, changes, plan achievement and nonconformance for a period.</summary>
[Authorize]
public sealed class IndexModel(ReportQueries queries) : PageModel
{
    /// <summary>The default period: the last 90 days up to today.</summary>
    public const int DefaultDays = 90;

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    public ReportSet Report { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        var to = To ?? queries.Today();
        var from = From ?? to.AddDays(-DefaultDays);
        if (from > to)
        {
            (from, to) = (to, from);
        }

        (From, To) = (from, to);
        Report = await queries.ComputeAsync(from, to, HttpContext.RequestAborted);
    }

    public static string Percent(decimal? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—";

    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Chart data for the page script: labels and values (percent or counts) as JSON.</summary>
    public static string ChartJson(IEnumerable<string> labels, IEnumerable<decimal?> values) =>
        JsonSerializer.Serialize(new { labels, values });
}
