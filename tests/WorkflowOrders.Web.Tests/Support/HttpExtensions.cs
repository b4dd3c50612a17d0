using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace WorkflowOrders.Web.Tests.Support;

public static partial class HttpExtensions
{
    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>The antiforgery token of the first form on a page.</summary>
    public static string AntiforgeryToken(string html)
    {
        var match = TokenPattern().Match(html);
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException("No antiforgery token on the page.");
    }

    /// <summary>Signs in through the sign-in page as a browser does; the client keeps the cookie.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string user, string password)
    {
        var page = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user,
            ["Password"] = password,
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
        });
        return await client.PostAsync(new Uri("/signin", UriKind.Relative), form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
