using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Web.Localization;
using WorkflowOrders.Web.People;

namespace WorkflowOrders.Web.Features.SignIn;

/// <summary>Cookie sign-in with user name and password; the user's language becomes the UI language.</summary>
[AllowAnonymous]
public sealed class IndexModel(SignInManager<AppUser> signIn, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Validation.Required")]
    [Display(Name = "SignIn.UserName")]
    public string UserName { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Validation.Required")]
    [DataType(DataType.Password)]
    [Display(Name = "SignIn.Password")]
    public string Password { get; set; } = "";

    [BindProperty]
    [Display(Name = "SignIn.RememberMe")]
    public bool RememberMe { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() =>
        User.Identity?.IsAuthenticated == true ? LocalRedirect(SafeReturnUrl()) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await signIn.UserManager.FindByNameAsync(UserName.Trim());
        if (user is null)
        {
            Error = text["SignIn.Failed"];
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(user, Password, RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            Cultures.WriteCookie(Response, user.PreferredLanguage);
            return LocalRedirect(SafeReturnUrl());
        }

        Error = result.IsLockedOut ? text["SignIn.LockedOut"] : result.IsNotAllowed ? text["SignIn.Deactivated"] : text["SignIn.Failed"];
        return Page();
    }

    private string SafeReturnUrl() => ReturnUrl is { Length: > 0 } url && Url.IsLocalUrl(url) ? url : "/";
}
