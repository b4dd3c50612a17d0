using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WorkflowOrders.Web.People;

namespace WorkflowOrders.Web.Features.SignOut;

/// <summary>Signs out (POST only, with the antiforgery token, so a link elsewhere cannot sign anyone out).</summary>
[AllowAnonymous]
public sealed class IndexModel(SignInManager<AppUser> signIn) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return LocalRedirect("/signin");
    }
}
