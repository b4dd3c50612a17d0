using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Razor.TagHelpers;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Localization;

/// <summary>Instants are stored in UTC and shown in the user's zone as <c>2026-10-08 16:00</c> (ui.md).</summary>
public static class InstantFormatter
{
    public const string Pattern = "yyyy-MM-dd HH:mm";

    /// <summary>"2026-10-08 16:00" in the zone (IANA id); an unknown zone falls back to Asia/Shanghai; null gives "".</summary>
    public static string FormatInstant(DateTimeOffset? instant, string timeZoneId)
    {
        if (instant is null)
        {
            return "";
        }

        var local = TimeZoneInfo.ConvertTime(instant.Value, FindZone(timeZoneId));
        return local.ToString(Pattern, CultureInfo.InvariantCulture);
    }

    public static string FormatInstant(this ClaimsPrincipal? user, DateTimeOffset? instant) => FormatInstant(instant, user.TimeZoneOf());

    public static TimeZoneInfo FindZone(string? timeZoneId) =>
        timeZoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone)
            ? zone
            : TimeZoneInfo.FindSystemTimeZoneById(People.AppUser.DefaultTimeZone);

    /// <summary>Zones offered on the profile page (the company's users are mostly in China; a few abroad).</summary>
    public static IReadOnlyList<string> OfferedZones { get; } =
    [
        "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo", "Asia/Kolkata", "Asia/Dubai",
        "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Australia/Sydney", "UTC",
    ];
}

/// <summary><c>&lt;instant value="@task.DueDate" /&gt;</c> → <c>&lt;time datetime="…Z"&gt;2026-10-08 16:00&lt;/time&gt;</c> in the user's zone.</summary>
[HtmlTargetElement("instant", Attributes = "value", TagStructure = TagStructure.WithoutEndTag)]
public sealed class InstantTagHelper(IHttpContextAccessor http) : TagHelper
{
    public DateTimeOffset? Value { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Value is null)
        {
            output.SuppressOutput();
            return;
        }

        var user = http.HttpContext?.User;
        output.TagName = "time";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("datetime", Value.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        output.Attributes.SetAttribute("title", user.TimeZoneOf());
        output.Content.SetContent(user.FormatInstant(Value));
    }
}
