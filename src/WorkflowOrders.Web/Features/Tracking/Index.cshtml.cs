using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Web.Features.Orders;
using WorkflowOrders.Web.Features.Shared;
using WorkflowOrders.Web.Localization;
using WorkflowOrders.Web.People;

namespace WorkflowOrders.Web.Features.Tracking;

/// <summary>The order tracking board (订单跟踪台账) with filters and a CSV export of the same rows.</summary>
[Authorize]
public sealed class IndexModel(TrackingBoard board, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public TrackingFilter Filter { get; set; } = new();

    public IReadOnlyList<TrackingRow> Rows { get; private set; } = [];

    public DateTimeOffset Now => board.Now;

    public async Task OnGetAsync() => Rows = await board.RowsAsync(Filter, HttpContext.RequestAborted);

    /// <summary><c>/tracking?handler=Csv</c>: the board as CSV (UTF-8 with BOM, so Excel reads the Chinese text).</summary>
    public async Task<IActionResult> OnGetCsvAsync()
    {
        var rows = await board.RowsAsync(Filter, HttpContext.RequestAborted);
        var csv = new Csv();
        csv.Line([text["Orders.Field.OrderNo"], text["Orders.Field.CustomerName"], text["Orders.Field.Status"], text["Tracking.Stage"], text["Tracking.Responsible"],
            text["Orders.Field.DeliveryDate"], text["Tracking.Countdown"], text["Tracking.DelayDays"], text["Tracking.Exceptions"], text["Tracking.Completion"],
            .. TrackingBoard.StageColumns.Select(c => text[OrderText.Key("Tracking.Stage", c.Key)].Value)]);
        foreach (var row in rows)
        {
            csv.Line([row.Order.OrderNo, row.Order.CustomerName, text[OrderText.Key("Orders.Status", row.Order.Status)], Stage(row), ResponsibleText(row.Responsible),
                row.Order.DeliveryDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), row.CountdownWorkingDays?.ToString(CultureInfo.InvariantCulture) ?? "",
                row.DelayDays.ToString(CultureInfo.InvariantCulture), string.Join("; ", Exceptions(row)), row.IsComplete ? text["Tracking.Complete"] : text["Tracking.InProgress"],
                .. row.Stages.Select(StageText)]);
        }

        return File(csv.ToBytes(), Csv.ContentType, "tracking.csv");
    }

    /// <summary>"planned / actual" in the user's zone; empty when the stage has not been reached.</summary>
    private string StageText(StageDates stage) =>
        stage.Planned is null && stage.Actual is null ? "" : $"{User.FormatInstant(stage.Planned)} / {User.FormatInstant(stage.Actual)}".Trim();

    public string Stage(TrackingRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.OpenTasks.Count == 0 ? "" : string.Join(", ", row.OpenTasks.Select(DetailModel.TaskName).Distinct(StringComparer.Ordinal));
    }

    /// <summary>Role keys in the UI language; user names as they are.</summary>
    public static string ResponsibleText(string responsible)
    {
        var culture = CultureInfo.CurrentUICulture.Name;
        return string.Join(", ", (responsible ?? "").Split(", ", StringSplitOptions.RemoveEmptyEntries)
            .Select(p => string.Join("/", p.Split('/').Select(k => Roles.DisplayName(k, culture)))));
    }

    public IEnumerable<string> Exceptions(TrackingRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.OverdueStep)
        {
            yield return text["Tracking.OverdueStep"];
        }

        if (row.OpenNonconformance)
        {
            yield return text["Tracking.OpenNonconformance"];
        }

        if (row.PendingChange)
        {
            yield return text["Tracking.PendingChange"];
        }
    }

    public string CsvLink() =>
        "/tracking" + QueryString.Create(new Dictionary<string, string?>
        {
            ["handler"] = "Csv",
            ["Filter.Status"] = Filter.Status,
            ["Filter.Customer"] = Filter.Customer,
            ["Filter.Merchandiser"] = Filter.Merchandiser,
            ["Filter.ExceptionsOnly"] = Filter.ExceptionsOnly ? "true" : null,
            ["Filter.IncludeFinished"] = Filter.IncludeFinished ? "true" : null,
        }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent();
}
