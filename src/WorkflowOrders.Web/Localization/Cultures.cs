using System.Globalization;
using Microsoft.AspNetCore.Localization;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Localization;

/// <summary>The UI languages: zh-CN first (the default), en complete.</summary>
public static class Cultures
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    public static IReadOnlyList<string> Supported { get; } = [Chinese, English];

    public static bool IsSupported(string? culture) => culture is not null && Supported.Contains(culture, StringComparer.OrdinalIgnoreCase);

    public static bool IsChinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    /// <summary>The request culture: the switch's cookie, then the signed-in user's preference, then the browser's Accept-Language.</summary>
    public static void Configure(RequestLocalizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.SetDefaultCulture(Chinese).AddSupportedCultures([.. Supported]).AddSupportedUICultures([.. Supported]);
        options.FallBackToParentUICultures = true;
        options.RequestCultureProviders =
        [
            new CookieRequestCultureProvider(),
            new CustomRequestCultureProvider(context =>
                Task.FromResult(context.User.LanguageOf() is { } lang && IsSupported(lang) ? new ProviderCultureResult(lang) : null)),
            new AcceptLanguageHeaderRequestCultureProvider(),
        ];
    }

    /// <summary>Remembers the language in the cookie the first provider reads (one year).</summary>
    public static void WriteCookie(HttpResponse response, string culture)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = null, MaxAge = TimeSpan.FromDays(365), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
    }
}
