using WorkflowOrders.Web.Localization;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Hosting;

/// <summary>The Razor Pages UI: pages by screen under Features/, zh-CN and en text from resources, status pages.</summary>
public static class WebUiHosting
{
    public static WebApplicationBuilder AddWebUi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        builder.Services.Configure<RequestLocalizationOptions>(Cultures.Configure);
        // Chinese text as characters in the HTML, not as &#x…; entities (readable source, smaller pages).
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<Navigation>();
        builder.Services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Features";
                o.Conventions.AuthorizeFolder("/Admin", Policies.Admin);
            })
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)));
        return builder;
    }

    /// <summary>Static files, authentication, the request culture (after sign-in: it reads the user's preference), authorization.</summary>
    public static WebApplication UseWebUi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Pages explain 403/404 in the user's language; API calls keep their problem details (or bare status).
        app.UseWhen(c => !ProblemResponses.IsApiRequest(c.Request), b => b.UseStatusCodePagesWithReExecute("/status/{0}"));
        app.UseStaticFiles();
        // Explicit, after the status-code pages: a re-executed request (/status/403) is routed again.
        app.UseRouting();
        app.UseAuthentication();
        app.UseRequestLocalization();
        app.UseAuthorization();
        return app;
    }
}
