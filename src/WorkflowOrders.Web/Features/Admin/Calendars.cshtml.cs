using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Persistence.Calendars;

namespace WorkflowOrders.Web.Features.Admin;

/// <summary>
/// The working-time calendars: zone, work week, hours, the years with holiday data, the "no holiday data for
/// &lt;year&gt;" warning for this year and the next, and the calendar's JSON to edit. A save is checked by
/// <see cref="CalendarLoader"/> first and needs a confirmation; a refused save changes nothing and shows the loader's message.
/// </summary>
public sealed class CalendarsModel(DbCalendarProvider calendars, TimeProvider time, IStringLocalizer<SharedResource> text) : PageModel
{
    public IReadOnlyList<CalendarView> Calendars { get; private set; } = [];

    [BindProperty]
    public CalendarInput Input { get; set; } = new();

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostSaveAsync()
    {
        if (calendars.Find(Input.Id) is null)
        {
            return NotFound();
        }

        if (!Input.Confirm)
        {
            ModelState.AddModelError("Input.Confirm", text["Admin.CalendarConfirmRequired"]);
        }
        else
        {
            try
            {
                await calendars.SaveAsync(Input.Id, Input.Json ?? "", User.Identity?.Name ?? "?");
                TempData["Status"] = text["Common.Saved"].Value;
                return RedirectToPage();
            }
            catch (CalendarFileException e)
            {
                ModelState.AddModelError("Input.Json", e.Message);
            }
        }

        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var culture = System.Globalization.CultureInfo.CurrentUICulture.Name;
        var rows = (await calendars.ReadRowsAsync()).ToDictionary(r => r.Id, StringComparer.Ordinal);
        Calendars = [.. calendars.All.Select(c =>
        {
            var row = rows.GetValueOrDefault(c.Id);
            // After a refused save the administrator's text stays in the box, so it can be corrected rather than retyped.
            var json = Input.Id == c.Id && Input.Json is not null ? Input.Json : row?.Json ?? "";
            return Describe(c, culture, json, row?.UpdatedBy, row?.UpdatedAt);
        })];
    }

    private CalendarView Describe(WorkingCalendar calendar, string culture, string json, string? updatedBy, DateTimeOffset? updatedAt)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), calendar.TimeZone).DateTime);
        var first = new DateOnly(today.Year, 1, 1);
        var last = new DateOnly(today.Year + 1, 12, 31);
        var missing = calendar.YearsWithoutHolidayData(first, last);
        var definition = calendar.Definition;
        return new CalendarView(
            calendar.Id,
            definition.Name.For(culture),
            definition.TimeZone.Id,
            string.Join(", ", definition.WorkWeek.Select(d => System.Globalization.CultureInfo.CurrentUICulture.DateTimeFormat.GetAbbreviatedDayName(d))),
            string.Join(", ", definition.WorkingHours.Select(h => h.ToString())),
            definition.CoveredYears,
            missing,
            definition.DescribeMissingHolidayData(missing, culture),
            json,
            updatedBy,
            updatedAt);
    }

    public sealed record CalendarView(
        string Id,
        string Name,
        string TimeZone,
        string WorkWeek,
        string WorkingHours,
        IReadOnlyList<int> CoveredYears,
        IReadOnlyList<int> MissingYears,
        string Warning,
        string Json,
        string? UpdatedBy,
        DateTimeOffset? UpdatedAt);

    public sealed class CalendarInput
    {
        public string Id { get; set; } = "";

        public string? Json { get; set; }

        public bool Confirm { get; set; }
    }
}
