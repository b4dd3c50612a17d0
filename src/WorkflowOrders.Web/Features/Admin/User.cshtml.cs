using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Web.Localization;
using WorkflowOrders.Web.People;

namespace WorkflowOrders.Web.Features.Admin;

/// <summary>Creates a user (id "new") or edits one: names, department, roles, language, zone, password, deactivation.</summary>
public sealed class UserModel(UserManager<AppUser> users, PeopleDbContext db, TimeProvider time, IStringLocalizer<SharedResource> text) : PageModel
{
    public const string NewId = "new";

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = NewId;

    public bool IsNew => Id == NewId;

    [BindProperty]
    public UserInput Input { get; set; } = new();

    public IReadOnlyList<Department> Departments { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadDepartmentsAsync();
        if (IsNew)
        {
            return Page();
        }

        var user = await users.FindByIdAsync(Id);
        if (user is null)
        {
            return NotFound();
        }

        Input = new UserInput
        {
            UserName = user.UserName ?? "",
            DisplayName = user.DisplayName,
            Email = user.Email,
            DepartmentKey = user.DepartmentKey,
            Language = user.PreferredLanguage,
            TimeZone = user.TimeZone,
            Active = user.IsActive,
            Roles = [.. await users.GetRolesAsync(user)],
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadDepartmentsAsync();
        var user = IsNew ? new AppUser() : await users.FindByIdAsync(Id);
        if (user is null)
        {
            return NotFound();
        }

        Validate(user);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        user.DisplayName = Input.DisplayName.Trim();
        user.Email = string.IsNullOrWhiteSpace(Input.Email) ? null : Input.Email.Trim();
        user.DepartmentKey = string.IsNullOrEmpty(Input.DepartmentKey) ? null : Input.DepartmentKey;
        user.PreferredLanguage = Cultures.IsSupported(Input.Language) ? Input.Language! : Cultures.Chinese;
        user.TimeZone = Input.TimeZone ?? AppUser.DefaultTimeZone;
        var deactivate = !Input.Active && user.IsActive;
        user.DeactivatedAt = Input.Active ? null : user.DeactivatedAt ?? time.GetUtcNow();

        IdentityResult result;
        if (IsNew)
        {
            user.UserName = Input.UserName.Trim();
            user.EmailConfirmed = true;
            result = await users.CreateAsync(user, Input.Password!);
        }
        else
        {
            result = await users.UpdateAsync(user);
            if (result.Succeeded && !string.IsNullOrEmpty(Input.Password))
            {
                await users.RemovePasswordAsync(user);
                result = await users.AddPasswordAsync(user, Input.Password);
            }
        }

        if (result.Succeeded)
        {
            var current = await users.GetRolesAsync(user);
            var wanted = Input.Roles.Where(Roles.IsKnown).ToList();
            result = await users.RemoveFromRolesAsync(user, current.Except(wanted));
            if (result.Succeeded)
            {
                result = await users.AddToRolesAsync(user, wanted.Except(current));
            }
        }

        if (result.Succeeded && deactivate)
        {
            // Ends the user's cookie at the next validation (within a minute); API tokens stop at once.
            result = await users.UpdateSecurityStampAsync(user);
        }

        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError("", error.Description);
            }

            return Page();
        }

        TempData["Status"] = text["Common.Saved"].Value;
        return Redirect("/admin");
    }

    private void Validate(AppUser user)
    {
        if (IsNew && string.IsNullOrWhiteSpace(Input.UserName))
        {
            ModelState.AddModelError("Input.UserName", text["Validation.Required", text["Profile.UserName"]]);
        }

        if (IsNew && string.IsNullOrEmpty(Input.Password))
        {
            ModelState.AddModelError("Input.Password", text["Validation.Required", text["Admin.Password"]]);
        }

        if (Input.DepartmentKey is { Length: > 0 } key && Departments.All(d => d.Key != key))
        {
            ModelState.AddModelError("Input.DepartmentKey", text["Admin.UnknownDepartment"]);
        }

        if (Input.TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(Input.TimeZone, out _))
        {
            ModelState.AddModelError("Input.TimeZone", text["Profile.UnknownTimeZone"]);
        }

        // An administrator cannot lock themselves out.
        if (!IsNew && user.Id == users.GetUserId(User) && (!Input.Active || !Input.Roles.Contains(Roles.Admin)))
        {
            ModelState.AddModelError("", text["Admin.NotYourself"]);
        }
    }

    private async Task LoadDepartmentsAsync() =>
        Departments = await db.Departments.AsNoTracking().OrderBy(d => d.Key).ToListAsync();

    public sealed class UserInput
    {
        [Display(Name = "Profile.UserName")]
        [StringLength(64, ErrorMessage = "Validation.TooLong")]
        public string UserName { get; set; } = "";

        [Required(ErrorMessage = "Validation.Required")]
        [StringLength(100, ErrorMessage = "Validation.TooLong")]
        [Display(Name = "Profile.DisplayName")]
        public string DisplayName { get; set; } = "";

        [EmailAddress(ErrorMessage = "Validation.Email")]
        [Display(Name = "Admin.Email")]
        public string? Email { get; set; }

        [Display(Name = "Profile.Department")]
        public string? DepartmentKey { get; set; }

        [Display(Name = "Profile.Language")]
        public string? Language { get; set; } = Cultures.Chinese;

        [Display(Name = "Profile.TimeZone")]
        public string? TimeZone { get; set; } = AppUser.DefaultTimeZone;

        [DataType(DataType.Password)]
        [Display(Name = "Admin.Password")]
        public string? Password { get; set; }

        [Display(Name = "Admin.Active")]
        public bool Active { get; set; } = true;

        public List<string> Roles { get; set; } = [];
    }
}
