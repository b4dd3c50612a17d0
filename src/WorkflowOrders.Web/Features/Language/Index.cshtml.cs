using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WorkflowOrders.Web.Localization;
using WorkflowOrders.Web.People;

namespace WorkflowOrders.Web.Features.Language;

/// <summary>The language switch: remembers the choice in a cookie and, when signed in, as the user's preference.</summary>
[AllowAnonymous]
public sealed class IndexModel(SignInManager<AppUser> signIn) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync(string culture, string? returnUrl)
    {
        if (!Cultures.IsSupported(culture))
        {
            return BadRequest();
        }

        culture = Cultures.Supported.First(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase));
        Cultures.WriteCookie(Response, culture);
        if (User.Identity?.IsAuthenticated == true && await signIn.UserManager.GetUserAsync(User) is { } user && user.PreferredLanguage != culture)
        {
            user.PreferredLanguage = culture;
            await signIn.UserManager.UpdateAsync(user);
            await signIn.RefreshSignInAsync(user);
        }

        return LocalRedirect(returnUrl is { Length: > 0 } && Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
