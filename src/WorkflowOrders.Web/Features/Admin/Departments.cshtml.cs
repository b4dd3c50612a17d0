using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Web.People;

namespace WorkflowOrders.Web.Features.Admin;

/// <summary>Departments: names in zh-CN and en, and the manager (first escalation level); new departments.</summary>
public sealed partial class DepartmentsModel(PeopleDbContext db, IStringLocalizer<SharedResource> text) : PageModel
{
    public IReadOnlyList<Department> Departments { get; private set; } = [];

    public IReadOnlyList<AppUser> Users { get; private set; } = [];

    [BindProperty]
    public DepartmentInput Input { get; set; } = new();

    public async Task OnGetAsync() => await LoadAsync();

    /// <summary>Saves one row (its names and manager).</summary>
    public async Task<IActionResult> OnPostSaveAsync()
    {
        var department = await db.Departments.FirstOrDefaultAsync(d => d.Key == Input.Key);
        if (department is null)
        {
            return NotFound();
        }

        if (!await CheckAsync(isNew: false))
        {
            await LoadAsync();
            return Page();
        }

        department.NameZh = Input.NameZh.Trim();
        department.NameEn = Input.NameEn.Trim();
        department.ManagerUserId = string.IsNullOrEmpty(Input.ManagerUserId) ? null : Input.ManagerUserId;
        await db.SaveChangesAsync();
        TempData["Status"] = text["Common.Saved"].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        if (!await CheckAsync(isNew: true))
        {
            await LoadAsync();
            return Page();
        }

        db.Departments.Add(new Department
        {
            Key = Input.Key.Trim(),
            NameZh = Input.NameZh.Trim(),
            NameEn = Input.NameEn.Trim(),
            ManagerUserId = string.IsNullOrEmpty(Input.ManagerUserId) ? null : Input.ManagerUserId,
        });
        await db.SaveChangesAsync();
        TempData["Status"] = text["Common.Saved"].Value;
        return RedirectToPage();
    }

    private async Task<bool> CheckAsync(bool isNew)
    {
        if (isNew && !KeyPattern().IsMatch(Input.Key ?? ""))
        {
            ModelState.AddModelError("Input.Key", text["Admin.DepartmentKeyHint"]);
        }
        else if (isNew && await db.Departments.AnyAsync(d => d.Key == Input.Key))
        {
            ModelState.AddModelError("Input.Key", text["Admin.DepartmentExists"]);
        }

        if (!string.IsNullOrEmpty(Input.ManagerUserId) && !await db.Users.AnyAsync(u => u.Id == Input.ManagerUserId))
        {
            ModelState.AddModelError("Input.ManagerUserId", text["Admin.UnknownUser"]);
        }

        return ModelState.IsValid;
    }

    private async Task LoadAsync()
    {
        Departments = await db.Departments.AsNoTracking().OrderBy(d => d.Key).ToListAsync();
        Users = await db.Users.AsNoTracking().Where(u => u.DeactivatedAt == null).OrderBy(u => u.UserName).ToListAsync();
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z][a-z0-9-]{1,63}$")]
    private static partial System.Text.RegularExpressions.Regex KeyPattern();

    public sealed class DepartmentInput
    {
        [Display(Name = "Admin.DepartmentKey")]
        public string Key { get; set; } = "";

        [Required(ErrorMessage = "Validation.Required")]
        [StringLength(100, ErrorMessage = "Validation.TooLong")]
        [Display(Name = "Admin.NameZh")]
        public string NameZh { get; set; } = "";

        [Required(ErrorMessage = "Validation.Required")]
        [StringLength(100, ErrorMessage = "Validation.TooLong")]
        [Display(Name = "Admin.NameEn")]
        public string NameEn { get; set; } = "";

        [Display(Name = "Admin.Manager")]
        public string? ManagerUserId { get; set; }
    }
}
