using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Web.Features.Shared;

namespace WorkflowOrders.Web.Features.Reports;

/// <summary>The reports page (报表): delivery, reviews, changes, plan achievement and nonconformance for a period.</summary>
[Authorize]
public sealed class IndexModel(ReportQueries queries, IStringLocalizer<SharedResource> text) : PageModel
{
    /// <summary>The default period: the last 90 days up to today.</summary>
    public const int DefaultDays = 90;

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    public ReportSet Report { get; private set; } = null!;

    /// <summary>The tables of the page, each exported by <c>?handler=Csv&amp;table=…</c>.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["summary", "plan-week", "plan-month", "nc-product", "nc-supplier"];

    public async Task OnGetAsync() => Report = await ComputeAsync();

    /// <summary>
    /// <c>/reports?handler=Csv&amp;table=plan-week&amp;From=…&amp;To=…</c>: one table of the page as CSV (UTF-8 with BOM),
    /// headers in the user's language, numbers with a dot and no unit so a spreadsheet can compute with them.
    /// </summary>
    public async Task<IActionResult> OnGetCsvAsync(string? table)
    {
        if (table is null || !Tables.Contains(table))
        {
            return NotFound();
        }

        var r = await ComputeAsync();
        var csv = new Csv();
        switch (table)
        {
            case "summary":
                csv.Line([text["Reports.Figure"], text["Reports.Achieved"], text["Reports.Total"], text["Reports.Value"], text["Reports.Unit"]]);
                csv.Line([text["Reports.OnTimeDelivery"], Int(r.OnTimeDelivery.Hits), Int(r.OnTimeDelivery.Total), Plain(r.OnTimeDelivery.Percent), "%"]);
                csv.Line([text["Reports.ReviewsInTime"], Int(r.ReviewsInTime.Hits), Int(r.ReviewsInTime.Total), Plain(r.ReviewsInTime.Percent), "%"]);
                csv.Line([text["Reports.ChangeHandling"], "", Int(r.ChangesFinished), Plain(r.AverageChangeWorkingDays), text["Reports.WorkingDays"]]);
                break;
            case "plan-week" or "plan-month":
                csv.Line([text["Reports.Period"], text["Reports.Achieved"], text["Reports.Due"], text["Reports.PlanAchievement"] + " (%)"]);
                foreach (var row in table == "plan-week" ? r.PlanByWeek : r.PlanByMonth)
                {
                    csv.Line([row.Label, Int(row.Hits), Int(row.Total), Plain(row.Percent)]);
                }

                break;
            default:
                csv.Line([text[table == "nc-product" ? "Reports.ByProduct" : "Reports.BySupplier"], text["Reports.NonconformanceCount"], text["Reports.Checked"],
                    text["Reports.Failed"], text["Reports.PassRate"] + " (%)"]);
                foreach (var g in table == "nc-product" ? r.NonconformanceByProduct : r.NonconformanceBySupplier)
                {
                    csv.Line([g.Label.Length == 0 ? text["Reports.Unspecified"] : g.Label, Int(g.Count), Number(g.Checked), Number(g.Failed), Plain(g.PassRate)]);
                }

                break;
        }

        var name = string.Create(CultureInfo.InvariantCulture, $"report-{table}-{From:yyyy-MM-dd}-{To:yyyy-MM-dd}.csv");
        return File(csv.ToBytes(), Csv.ContentType, name);
    }

    /// <summary>The CSV link of one table for the period shown.</summary>
    public string CsvLink(string table) =>
        "/reports" + QueryString.Create(new Dictionary<string, string?>
        {
            ["handler"] = "Csv",
            ["table"] = table,
            ["From"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["To"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }).ToUriComponent();

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Plain(decimal? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "";

    private async Task<ReportSet> ComputeAsync()
    {
        var to = To ?? queries.Today();
        var from = From ?? to.AddDays(-DefaultDays);
        if (from > to)
        {
            (from, to) = (to, from);
        }

        (From, To) = (from, to);
        return await queries.ComputeAsync(from, to, HttpContext.RequestAborted);
    }

    public static string Percent(decimal? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—";

    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Chart data for the page script: labels and values (percent or counts) as JSON.</summary>
    public static string ChartJson(IEnumerable<string> labels, IEnumerable<decimal?> values) =>
        JsonSerializer.Serialize(new { labels, values });
}
