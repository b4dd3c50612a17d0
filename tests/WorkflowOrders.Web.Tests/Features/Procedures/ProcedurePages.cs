using System.Net;
using System.Text.RegularExpressions;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Features.Procedures;

/// <summary>Small helpers of the procedures tests: the repository's definitions, posting the page's forms, reading its rows.</summary>
internal static partial class ProcedurePages
{
    public static readonly Uri Page = new("/procedures", UriKind.Relative);

    public static string Workflow(string file) => File.ReadAllText(Path.Combine(Repository.Root, "workflows", file));

    /// <summary>Posts the upload form ("Check") with a file, as a browser does.</summary>
    public static async Task<HttpResponseMessage> CheckAsync(HttpClient client, string fileName, string content)
    {
        var page = await client.GetStringAsync(Page);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(HttpExtensions.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(content)), "file", fileName },
        };
        return await client.PostAsync(new Uri("/procedures?handler=Check", UriKind.Relative), form);
    }

    /// <summary>Posts a URL-encoded form of <paramref name="page"/> to <paramref name="action"/> with the page's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, Uri page, string action, IDictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(page);
        var values = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = HttpExtensions.AntiforgeryToken(html) };
        using var form = new FormUrlEncodedContent(values);
        return await client.PostAsync(new Uri(action, UriKind.Relative), form);
    }

    public static async Task<string> ReadOkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 2000)]}");
        return body;
    }

    /// <summary>The version rows of one process on the page: version → (running, total).</summary>
    public static Dictionary<int, (int Running, int Total)> Versions(string html, string processId)
    {
        var start = html.IndexOf($"data-process=\"{processId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"process {processId} is not on the page");
        var end = html.IndexOf("data-testid=\"process\"", start + 1, StringComparison.Ordinal);
        var card = end < 0 ? html[start..] : html[start..end];
        return VersionRow().Matches(card).ToDictionary(
            m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            m => (int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture)));
    }


    [GeneratedRegex("data-testid=\"version-row\" data-version=\"(\\d+)\">(?:(?!data-testid=\"version-row\").)*?data-testid=\"running\">(\\d+)</td>\\s*<td class=\"text-end\" data-testid=\"total\">(\\d+)</td>", RegexOptions.Singleline)]
    private static partial Regex VersionRow();
}
