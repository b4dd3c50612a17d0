using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Web.Localization;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Home;

/// <summary>The start page: who is signed in, their department and roles, and the screens open to them.</summary>
public sealed class IndexModel(PeopleDbContext db, Navigation navigation) : PageModel
{
    public string? DepartmentName { get; private set; }

    public IReadOnlyList<NavEntry> Sections { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var key = User.FindFirst(AppClaims.Department)?.Value;
        if (key is not null && await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Key == key) is { } department)
        {
            DepartmentName = department.NameFor(System.Globalization.CultureInfo.CurrentUICulture.Name);
        }

        Sections = await navigation.ForAsync(User);
    }
}
