using System.Text.Json;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Web.Api;

/// <summary>A request the API refuses, answered as RFC 9457 problem details (camunda-rest-v2.md §9).</summary>
public sealed class ApiProblemException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    /// <summary>Camunda's error code, e.g. <c>INVALID_ARGUMENT</c>.</summary>
    public string Title { get; } = title;

    public static ApiProblemException InvalidArgument(string detail) => new(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", detail);

    public static ApiProblemException Forbidden(string detail) => new(StatusCodes.Status403Forbidden, "FORBIDDEN", detail);

    public static ApiProblemException NotFound(string detail) => new(StatusCodes.Status404NotFound, "NOT_FOUND", detail);

    /// <summary>An engine rejection in Camunda's words: <c>Command 'COMPLETE' rejected with code 'NOT_FOUND': …</c>.</summary>
    public static ApiProblemException Rejected(string intent, CommandRejectedException rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        var status = rejection.Code switch
        {
            RejectionCodes.NotFound => StatusCodes.Status404NotFound,
            RejectionCodes.InvalidState or RejectionCodes.AlreadyExists => StatusCodes.Status409Conflict,
            RejectionCodes.Forbidden => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status400BadRequest,
        };
        return new ApiProblemException(status, rejection.Code, $"Command '{intent}' rejected with code '{rejection.Code}': {rejection.Message}");
    }
}

/// <summary>Writes problem details: type about:blank, status, title (the code), detail, instance (the request path).</summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    public static IResult Result(HttpContext context, int status, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = new ProblemBody("about:blank", status, title, detail, context.Request.Path.Value ?? "");
        return Results.Json(body, ApiJson.Options, ContentType, status);
    }

    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        var body = new ProblemBody("about:blank", status, title, detail, context.Request.Path.Value ?? "");
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, ApiJson.Options), context.RequestAborted);
    }
}

/// <summary>RFC 9457 problem details as Camunda's gateway writes them.</summary>
public sealed record ProblemBody(string Type, int Status, string Title, string Detail, string Instance);
