using Microsoft.Extensions.DependencyInjection.Extensions;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Queries;

namespace WorkflowOrders.Web.Api;

/// <summary>
/// The Camunda 8 REST API v2 compatible subset under <c>/v2</c> (../shared/camunda-rest-v2.md), its OpenAPI document
/// (<c>/openapi/v1.json</c>) and a browsable UI (<c>/swagger</c>).
/// </summary>
public static partial class CamundaApi
{
    /// <summary>What the subset serves; the catch-all answer lists it.</summary>
    public static IReadOnlyList<string> Supported { get; } =
    [
        "POST /v2/deployments",
        "POST /v2/process-instances", "GET /v2/process-instances/{key}", "POST /v2/process-instances/search", "POST /v2/process-instances/{key}/cancellation",
        "POST /v2/user-tasks/search", "GET /v2/user-tasks/{key}", "GET /v2/user-tasks/{key}/form", "POST /v2/user-tasks/{key}/assignment",
        "DELETE /v2/user-tasks/{key}/assignee", "POST /v2/user-tasks/{key}/completion",
        "POST /v2/messages/publication", "POST /v2/messages/correlation",
        "POST /v2/incidents/search", "POST /v2/incidents/{key}/resolution",
        "POST /v2/variables/search", "GET /v2/variables/{key}",
        "POST /v2/process-definitions/search", "GET /v2/process-definitions/{key}", "GET /v2/process-definitions/{key}/xml",
    ];

    public static IServiceCollection AddCamundaApi(this IServiceCollection services)
    {
        services.AddSingleton<UserTaskQueries>();
        services.AddSingleton<ProcessQueries>();
        services.AddSingleton<IncidentQueries>();
        services.AddSingleton<VariableQueries>();
        services.TryAddSingleton<IApiAccess, RoleApiAccess>();
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "WorkflowOrders — Camunda 8 REST API v2 compatible subset";
            document.Info.Description = "Same paths, shapes and problem details as Camunda 8.8's Orchestration Cluster REST API, for the endpoints listed here. Sign in with HTTP Basic or a personal API token (Bearer).";
            return Task.CompletedTask;
        }));
        return services;
    }

    public static WebApplication MapCamundaApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var v2 = app.MapGroup("/v2").AddEndpointFilter(GuardAsync);
        CommandEndpoints.Map(v2);
        UserTaskEndpoints.Map(v2);
        v2.Map("/{**rest}", (HttpContext http) => ApiProblems.Result(http, StatusCodes.Status404NotFound, "NOT_FOUND",
                $"{http.Request.Method} {http.Request.Path} is not supported by WorkflowOrders; supported endpoints: {string.Join(", ", Supported)}."))
            .ExcludeFromDescription();

        app.MapOpenApi().AllowAnonymous();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/openapi/v1.json", "WorkflowOrders API v2 subset");
            options.RoutePrefix = "swagger";
        });
        return app;
    }

    /// <summary>Authentication check and the mapping of every failure to problem details: no request ends in a bare 500.</summary>
    private static async ValueTask<object?> GuardAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Identity?.IsAuthenticated != true)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"WorkflowOrders\", Bearer";
            return ApiProblems.Result(http, StatusCodes.Status401Unauthorized, "UNAUTHORIZED",
                "Sign in to use the API: send HTTP Basic credentials or a personal API token (Authorization: Bearer …).");
        }

        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (ApiProblemException e)
        {
            return ApiProblems.Result(http, e.Status, e.Title, e.Message);
        }
        catch (SearchArgumentException e)
        {
            return ApiProblems.Result(http, StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", e.Message);
        }
        catch (BpmnValidationException e)
        {
            var detail = string.Join(". ", e.Problems.Select(p => p.Message.TrimEnd('.')));
            return ApiProblems.Result(http, StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", detail + ".");
        }
        catch (CommandRejectedException e)
        {
            var problem = ApiProblemException.Rejected("EXECUTE", e);
            return ApiProblems.Result(http, problem.Status, problem.Title, problem.Message);
        }
        catch (BadHttpRequestException e)
        {
            return ApiProblems.Result(http, StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", e.Message);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            LogFailure(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CamundaApi)), e, http.Request.Method, http.Request.Path);
            return ApiProblems.Result(http, StatusCodes.Status500InternalServerError, "INTERNAL", "The request failed on the server; the error was logged.");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "API request {Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, Exception exception, string method, string path);
}
