using System.Text.Json;

namespace WorkflowOrders.Web.Security;

/// <summary>
/// Problem details (RFC 9457) for authentication and authorization failures, shaped as Camunda's REST API answers
/// them: title <c>UNAUTHORIZED</c> / <c>FORBIDDEN</c>, the status, a plain detail.
/// </summary>
public static class ProblemResponses
{
    public const string ContentType = "application/problem+json";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Forbidden = "FORBIDDEN";

    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        var body = new Dictionary<string, object?>
        {
            ["type"] = "about:blank",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = context.Request.Path.Value,
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }

    /// <summary>
    /// An API call (answered with problem details) rather than a page (answered with a redirect or an HTML page):
    /// the REST paths (and the designer's JSON endpoints), any call that brings its own credentials, or a client that does not accept HTML.
    /// </summary>
    public static bool IsApiRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Path.StartsWithSegments("/v2") || request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/designer/api") || request.Headers.Authorization.Count > 0)
        {
            return true;
        }

        var accept = request.Headers.Accept.ToString();
        return accept.Length > 0 && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase) && !accept.Contains("*/*", StringComparison.Ordinal);
    }
}
