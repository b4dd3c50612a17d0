using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Localization;
using WorkflowOrders.Web.Hosting;
using WorkflowOrders.Web.Localization;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Designer;

/// <summary>The body of save, validate and deploy: the BPMN XML as the modeler exported it.</summary>
public sealed record DesignerXmlBody(string? Xml);

/// <summary>
/// The designer's JSON endpoints under <c>/designer/api</c> (users with the process-owner role; others, admins included, get 403 problem details).
/// Calls signed in by the cookie must carry the antiforgery token in the <c>RequestVerificationToken</c> header (the page
/// puts it in its settings); calls with Basic or Bearer credentials carry no ambient credentials and need none.
/// </summary>
public static class DesignerEndpoints
{
    public const string ApiPrefix = "/designer/api";

    public static WebApplicationBuilder AddDesigner(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<DesignerService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapDesignerEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(ApiPrefix).RequireAuthorization(Policies.ProcessOwner);
        api.MapGet("/templates", Templates);
        api.MapGet("/processes/{processId}", LoadAsync);
        var changes = api.MapGroup("/processes/{processId}").AddEndpointFilter(RequireAntiforgeryAsync);
        changes.MapPut("/draft", SaveDraftAsync);
        changes.MapDelete("/draft", DiscardDraftAsync);
        changes.MapPost("/validate", ValidateAsync);
        changes.MapPost("/deploy", DeployAsync);
        return endpoints;
    }

    /// <summary>Every element template of <c>workflows/templates/*.json</c> (a file holds one template or an array of them).</summary>
    private static IResult Templates(WorkflowsFolder folder)
    {
        var templates = new JsonArray();
        var directory = Path.Combine(folder.Path, "templates");
        if (Directory.Exists(directory))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
            {
                switch (JsonNode.Parse(File.ReadAllText(file)))
                {
                    case JsonArray many:
                        foreach (var template in many.ToList())
                        {
                            templates.Add(template?.DeepClone());
                        }

                        break;
                    case JsonObject one:
                        templates.Add(one);
                        break;
                }
            }
        }

        return Results.Content(templates.ToJsonString(), "application/json");
    }

    private static async Task<IResult> LoadAsync(string processId, ClaimsPrincipal user, DesignerService designer, IStringLocalizer<DesignerText> words, CancellationToken cancellationToken)
    {
        var source = await designer.LoadAsync(processId, cancellationToken).ConfigureAwait(false);
        return source is null
            ? NotFound(processId)
            : Results.Ok(new
            {
                source.ProcessId,
                source.Name,
                source.Xml,
                source.LatestVersion,
                source.BasedOnVersion,
                source.Draft,
                draftText = DraftText(words, user, source.Draft),
                versionText = source.LatestVersion is int version ? words["Bar.Version", version].Value : words["Bar.NeverDeployed"].Value,
            });
    }

    private static async Task<IResult> SaveDraftAsync(string processId, HttpRequest request, ClaimsPrincipal user, DesignerService designer, IStringLocalizer<DesignerText> words, CancellationToken cancellationToken)
    {
        var xml = await ReadXmlAsync(request, cancellationToken).ConfigureAwait(false);
        if (xml is null)
        {
            return Unreadable();
        }

        var outcome = await designer.SaveDraftAsync(processId, xml, user.UserName(), cancellationToken).ConfigureAwait(false);
        return outcome.Refused
            ? Refused(StatusCodes.Status400BadRequest, "The draft was not saved.", outcome.Problems)
            : Results.Ok(new { draft = outcome.Result, status = DraftText(words, user, outcome.Result) });
    }

    private static async Task<IResult> DiscardDraftAsync(string processId, DesignerService designer, CancellationToken cancellationToken) =>
        await designer.DiscardDraftAsync(processId, cancellationToken).ConfigureAwait(false)
            ? Results.NoContent()
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "NOT_FOUND", detail: $"There is no draft of '{processId}'.");

    private static async Task<IResult> ValidateAsync(string processId, HttpRequest request, CancellationToken cancellationToken)
    {
        var xml = await ReadXmlAsync(request, cancellationToken).ConfigureAwait(false);
        if (xml is null)
        {
            return Unreadable();
        }

        var problems = DesignerService.Validate(processId, xml);
        return Results.Ok(new { valid = problems.All(p => p.Severity != "error"), problems });
    }

    private static async Task<IResult> DeployAsync(string processId, HttpRequest request, ClaimsPrincipal user, DesignerService designer, IStringLocalizer<DesignerText> words, CancellationToken cancellationToken)
    {
        var xml = await ReadXmlAsync(request, cancellationToken).ConfigureAwait(false);
        if (xml is null)
        {
            return Unreadable();
        }

        var outcome = await designer.DeployAsync(processId, xml, user.UserName(), cancellationToken).ConfigureAwait(false);
        if (outcome.Refused)
        {
            return Refused(StatusCodes.Status422UnprocessableEntity, "The definition was refused: nothing was deployed.", outcome.Problems);
        }

        var deployed = outcome.Result!;
        return Results.Ok(new
        {
            processId,
            deployed.Version,
            deployed.PreviousVersion,
            deployed.Unchanged,
            deployed.Forms,
            message = deployed.Unchanged
                ? words["Deploy.Unchanged", deployed.Version].Value
                : words["Deploy.Done", deployed.Version].Value,
            versionText = words["Bar.Version", deployed.Version].Value,
            draftText = DraftText(words, user, null),
        });
    }

    /// <summary>"Draft saved 2026-03-10 10:00 by lin.na" in the user's zone, or "No draft".</summary>
    public static string DraftText(IStringLocalizer<DesignerText> words, ClaimsPrincipal user, DraftInfo? draft)
    {
        ArgumentNullException.ThrowIfNull(words);
        return draft is null
            ? words["Bar.NoDraft"]
            : words["Bar.DraftSaved", user.FormatInstant(draft.SavedAt), draft.SavedBy];
    }

    /// <summary>Cookie-authenticated changes need the antiforgery header; explicit Basic/Bearer credentials cannot be forged by another site.</summary>
    private static async ValueTask<object?> RequireAntiforgeryAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.Headers.Authorization.Count == 0)
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false))
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "INVALID_ARGUMENT",
                    detail: "The antiforgery token is missing or invalid: reload the designer page and try again.");
            }
        }

        return await next(context).ConfigureAwait(false);
    }

    private static async Task<string?> ReadXmlAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<DesignerXmlBody>(request.Body, JsonSerializerOptions.Web, cancellationToken).ConfigureAwait(false);
            return string.IsNullOrWhiteSpace(body?.Xml) ? null : body.Xml;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Unreadable() =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "INVALID_ARGUMENT", detail: "Send a JSON body {\"xml\": \"<bpmn:definitions …>\"}.");

    private static IResult NotFound(string processId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "NOT_FOUND", detail: $"No process '{processId}' is deployed and there is no draft of it.");

    private static IResult Refused(int status, string detail, IReadOnlyList<DesignerProblem> problems) =>
        Results.Problem(
            statusCode: status,
            title: "INVALID_ARGUMENT",
            detail: detail + " " + string.Join(" ", problems.Where(p => p.Severity == "error").Select(p => p.Message)),
            extensions: new Dictionary<string, object?> { ["problems"] = problems });
}
