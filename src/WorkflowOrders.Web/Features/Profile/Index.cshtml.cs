using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Web.Localization;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Profile;

/// <summary>The user's own page: language and time zone; personal API tokens (created and shown once, listed, revoked).</summary>
public sealed class IndexModel(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    ApiTokenService tokens,
    PeopleDbContext db,
    IStringLocalizer<SharedResource> text) : PageModel
{
    public AppUser Me { get; private set; } = null!;

    public string? DepartmentName { get; private set; }

    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];

    /// <summary>The secret of a token created by this request — shown this once, never stored.</summary>
    public string? NewTokenSecret { get; private set; }

    [BindProperty]
    public PreferencesInput Preferences { get; set; } = new();

    [BindProperty]
    [Display(Name = "Profile.TokenName")]
    [StringLength(100, ErrorMessage = "Validation.TooLong")]
    public string? TokenName { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await LoadAsync())
        {
            return Challenge();
        }

        Preferences = new PreferencesInput { Language = Me.PreferredLanguage, TimeZone = Me.TimeZone };
        return Page();
    }

    public async Task<IActionResult> OnPostPreferencesAsync()
    {
        if (!await LoadAsync())
        {
            return Challenge();
        }

        if (!Cultures.IsSupported(Preferences.Language))
        {
            ModelState.AddModelError("Preferences.Language", text["Profile.UnknownLanguage"]);
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(Preferences.TimeZone ?? "", out _))
        {
            ModelState.AddModelError("Preferences.TimeZone", text["Profile.UnknownTimeZone"]);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        Me.PreferredLanguage = Cultures.Supported.First(c => string.Equals(c, Preferences.Language, StringComparison.OrdinalIgnoreCase));
        Me.TimeZone = Preferences.TimeZone!;
        await users.UpdateAsync(Me);
        await signIn.RefreshSignInAsync(Me);
        Cultures.WriteCookie(Response, Me.PreferredLanguage);
        TempData["Status"] = text["Common.Saved"].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCreateTokenAsync()
    {
        if (!await LoadAsync())
        {
            return Challenge();
        }

        Preferences = new PreferencesInput { Language = Me.PreferredLanguage, TimeZone = Me.TimeZone };
        if (string.IsNullOrWhiteSpace(TokenName))
        {
            ModelState.AddModelError(nameof(TokenName), text["Validation.Required", text["Profile.TokenName"]]);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var (_, secret) = await tokens.CreateAsync(Me.Id, TokenName!);
        NewTokenSecret = secret;
        TokenName = null;
        ModelState.Clear();
        Tokens = await tokens.ListAsync(Me.Id);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!await tokens.RevokeAsync(user.Id, id))
        {
            return NotFound();
        }

        TempData["Status"] = text["Profile.TokenRevoked"].Value;
        return RedirectToPage();
    }

    private async Task<bool> LoadAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return false;
        }

        Me = user;
        if (user.DepartmentKey is { } key && await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Key == key) is { } department)
        {
            DepartmentName = department.NameFor(System.Globalization.CultureInfo.CurrentUICulture.Name);
        }

        Tokens = await tokens.ListAsync(user.Id);
        return true;
    }

    public sealed class PreferencesInput
    {
        [Display(Name = "Profile.Language")]
        public string? Language { get; set; }

        [Display(Name = "Profile.TimeZone")]
        public string? TimeZone { get; set; }
    }
}
