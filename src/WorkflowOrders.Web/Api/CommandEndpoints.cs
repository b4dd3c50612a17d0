using Microsoft.AspNetCore.Http.Features;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Queries;

namespace WorkflowOrders.Web.Api;

/// <summary>Deployments, process instances, messages, incidents and process definitions (camunda-rest-v2.md §1–3, §5, §6, §8).</summary>
internal static class CommandEndpoints
{
    public const long MaxDeploymentBytes = 4 * 1024 * 1024;

    public static void Map(RouteGroupBuilder v2)
    {
        v2.MapPost("/deployments", DeployAsync).DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data").Produces<DeploymentResponse>().WithTags("Deployments")
            .WithSummary("Deploy .bpmn process definitions and .form task forms (multipart part 'resources'; atomic; 4 MB)");

        v2.MapPost("/process-instances", CreateInstanceAsync)
            .Accepts<CreateProcessInstanceRequest>("application/json").Produces<CreateProcessInstanceResponse>().WithTags("Process instances");
        v2.MapGet("/process-instances/{processInstanceKey}", GetInstanceAsync).Produces<ProcessInstanceItem>().WithTags("Process instances");
        v2.MapPost("/process-instances/search", SearchInstancesAsync)
            .Accepts<SearchQueryRequest>("application/json").Produces<SearchResponse<ProcessInstanceItem>>().WithTags("Process instances");
        v2.MapPost("/process-instances/{processInstanceKey}/cancellation", CancelInstanceAsync).Produces(StatusCodes.Status204NoContent).WithTags("Process instances");

        v2.MapPost("/messages/publication", PublishAsync)
            .Accepts<PublishMessageRequest>("application/json").Produces<PublishMessageResponse>().WithTags("Messages");
        v2.MapPost("/messages/correlation", CorrelateAsync)
            .Accepts<CorrelateMessageRequest>("application/json").Produces<CorrelateMessageResponse>().WithTags("Messages");

        v2.MapPost("/incidents/search", SearchIncidentsAsync)
            .Accepts<SearchQueryRequest>("application/json").Produces<SearchResponse<IncidentItem>>().WithTags("Incidents");
        v2.MapPost("/incidents/{incidentKey}/resolution", ResolveIncidentAsync).Produces(StatusCodes.Status204NoContent).WithTags("Incidents");

        v2.MapPost("/process-definitions/search", SearchDefinitionsAsync)
            .Accepts<SearchQueryRequest>("application/json").Produces<SearchResponse<ProcessDefinitionItem>>().WithTags("Process definitions");
        v2.MapGet("/process-definitions/{processDefinitionKey}", GetDefinitionAsync).Produces<ProcessDefinitionItem>().WithTags("Process definitions");
        v2.MapGet("/process-definitions/{processDefinitionKey}/xml", GetDefinitionXmlAsync).Produces<string>(200, "text/xml").WithTags("Process definitions");
    }

    /// <summary>Runs an engine command; a rejection becomes Camunda's problem (<c>Command 'X' rejected with code …</c>).</summary>
    public static async Task<T> Command<T>(string intent, Func<Task<T>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (CommandRejectedException e)
        {
            throw ApiProblemException.Rejected(intent, e);
        }
    }

    public static Task Command(string intent, Func<Task> run) =>
        Command(intent, async () =>
        {
            await run().ConfigureAwait(false);
            return true;
        });

    public static string? Actor(HttpContext http) => http.User.Identity?.Name;

    /// <summary>This server has one tenant; another tenant id is refused rather than ignored.</summary>
    public static void RequireDefaultTenant(string? tenantId)
    {
        if (tenantId is not null && tenantId != ApiJson.Tenant)
        {
            throw ApiProblemException.InvalidArgument($"Tenant '{tenantId}' does not exist: WorkflowOrders has one tenant, '{ApiJson.Tenant}'.");
        }
    }

    // ------------------------------------------------------------------ deployments

    private static async Task<IResult> DeployAsync(HttpContext http, WorkflowRuntime runtime, IApiAccess access)
    {
        access.CanDeploy(http.User).ThrowIfDenied();
        if (http.Request.ContentLength > MaxDeploymentBytes)
        {
            throw ApiProblemException.InvalidArgument("The deployment exceeds the 4 MB request size limit.");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxDeploymentBytes;
        }

        if (!http.Request.HasFormContentType)
        {
            throw ApiProblemException.InvalidArgument("A deployment is multipart/form-data with one or more file parts named 'resources'.");
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = MaxDeploymentBytes, ValueCountLimit = 64 }, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            throw ApiProblemException.InvalidArgument($"The multipart request could not be read (the limit is 4 MB): {e.Message}");
        }

        RequireDefaultTenant(form.TryGetValue("tenantId", out var tenant) ? tenant.ToString() : null);
        var files = form.Files.GetFiles("resources");
        if (files.Count == 0)
        {
            throw ApiProblemException.InvalidArgument("No resources given: send each .bpmn or .form file as a multipart part named 'resources'.");
        }

        var resources = new List<DeploymentResource>();
        foreach (var file in files)
        {
            using var reader = new StreamReader(file.OpenReadStream());
            resources.Add(new DeploymentResource(file.FileName, await reader.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false)));
        }

        var result = await Command("CREATE", () => runtime.DeployAsync(resources, Actor(http), http.RequestAborted)).ConfigureAwait(false);
        var entries = result.Definitions
            .Select(d => new DeploymentEntry(new DeployedProcessDefinition(d.ProcessId, d.Version, ApiJson.Key(d.Key), d.ResourceName, ApiJson.Tenant), null))
            .Concat(result.Forms.Select((f, i) => new DeploymentEntry(null, new DeployedForm(f.FormId, f.Version, ApiJson.Key(f.Key), FormResourceName(f, i, resources), ApiJson.Tenant))))
            .ToList();
        return Results.Json(new DeploymentResponse(ApiJson.Key(result.DeploymentKey), ApiJson.Tenant, entries), ApiJson.Options);
    }

    /// <summary>
    /// An unchanged form comes back as the stored version, which does not keep its file name; the forms of a result
    /// are in the order of the request's .form files.
    /// </summary>
    private static string FormResourceName(FormRecord form, int index, List<DeploymentResource> resources)
    {
        if (form.ResourceName.Length > 0)
        {
            return form.ResourceName;
        }

        var formFiles = resources.Where(r => r.Name.EndsWith(".form", StringComparison.OrdinalIgnoreCase)).ToList();
        return index < formFiles.Count ? formFiles[index].Name : "";
    }

    // ------------------------------------------------------------------ process instances

    private static async Task<IResult> CreateInstanceAsync(HttpContext http, WorkflowRuntime runtime, IApiAccess access)
    {
        access.CanStartInstance(http.User).ThrowIfDenied();
        var body = await ApiBody.ReadAsync(http, required: true).ConfigureAwait(false);
        SearchRequest.Reject(body, ["processDefinitionId", "processDefinitionVersion", "processDefinitionKey", "variables", "tenantId", "awaitCompletion",
            "fetchVariables", "requestTimeout", "startInstructions", "operationReference", "tags"], "");
        var processId = body.Text("processDefinitionId");
        var version = body.SmallNumber("processDefinitionVersion");
        var definitionKey = body.Key("processDefinitionKey");
        var variables = body.Map("variables");
        RequireDefaultTenant(body.Text("tenantId"));
        _ = body.StringArray("fetchVariables");
        _ = body.Number("requestTimeout");
        _ = body.Number("operationReference");
        if (body.Bool("awaitCompletion") == true)
        {
            throw ApiProblemException.InvalidArgument("awaitCompletion is not supported by WorkflowOrders: start the instance, then search its state or variables.");
        }

        if (body.Array("startInstructions") is { Count: > 0 })
        {
            throw ApiProblemException.InvalidArgument("startInstructions are not supported by WorkflowOrders: instances start at their none start event.");
        }

        if (body.StringArray("tags") is { Count: > 0 })
        {
            throw ApiProblemException.InvalidArgument("Process instance tags are not supported by WorkflowOrders.");
        }

        if ((processId is null) == (definitionKey is null))
        {
            throw ApiProblemException.InvalidArgument("Send either processDefinitionId (with an optional processDefinitionVersion) or processDefinitionKey, not both and not neither.");
        }

        if (definitionKey is not null && version is not null)
        {
            throw ApiProblemException.InvalidArgument("processDefinitionVersion goes with processDefinitionId; a processDefinitionKey already names one version.");
        }

        var state = await Command("CREATE", () => definitionKey is { } key
            ? runtime.StartInstanceByKeyAsync(key, variables, actor: Actor(http), cancellationToken: http.RequestAborted)
            : runtime.StartInstanceAsync(processId!, variables, actor: Actor(http), version: version is null or -1 ? null : version, cancellationToken: http.RequestAborted)).ConfigureAwait(false);
        return Results.Json(new CreateProcessInstanceResponse(
            ApiJson.Key(state.Key), ApiJson.Key(state.DefinitionKey), state.ProcessId, state.Version, ApiJson.Tenant, [], []), ApiJson.Options);
    }

    private static async Task<IResult> GetInstanceAsync(HttpContext http, string processInstanceKey, ProcessQueries queries, IApiAccess access)
    {
        var key = ApiJson.ParseKey(processInstanceKey, "processInstanceKey");
        var view = await queries.FindInstanceAsync(key, http.RequestAborted).ConfigureAwait(false)
            ?? throw ApiProblemException.NotFound($"Process instance with key '{key}' not found.");
        (await access.CanSeeInstanceAsync(http.User, key, http.RequestAborted).ConfigureAwait(false)).ThrowIfDenied();
        return Results.Json(ToItem(view), ApiJson.Options);
    }

    private static async Task<IResult> SearchInstancesAsync(HttpContext http, ProcessQueries queries, IApiAccess access)
    {
        var search = await SearchRequest.ReadAsync(http).ConfigureAwait(false);
        var filter = ReadInstanceFilter(search.Filter, allowOr: true);
        var page = await queries.SearchInstancesAsync(filter, access.VisibilityOf(http.User), search.Sort, search.Page, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(SearchResponse.From(page, ToItem), ApiJson.Options);
    }

    private static ProcessInstanceFilter ReadInstanceFilter(FilterReader f, bool allowOr)
    {
        f.Unsupported("variables", "errorMessage", "hasRetriesLeft", "elementId", "elementInstanceState", "hasElementInstanceIncident",
            "incidentErrorHashCode", "batchOperationId", "tags", "processDefinitionVersionTag");
        List<ProcessInstanceFilter>? alternatives = null;
        if (allowOr && f.Body.Array("$or") is { } or)
        {
            alternatives = [.. or.Select((e, i) => ReadInstanceFilter(new FilterReader(ApiBody.Of(e, $"filter.$or[{i}]")), allowOr: false))];
        }

        f.MarkRead("$or");
        var filter = new ProcessInstanceFilter
        {
            ProcessInstanceKey = f.Key("processInstanceKey"),
            ProcessDefinitionId = f.Text("processDefinitionId"),
            ProcessDefinitionName = f.Text("processDefinitionName"),
            ProcessDefinitionVersion = f.Number("processDefinitionVersion"),
            ProcessDefinitionKey = f.Key("processDefinitionKey"),
            StartDate = f.Date("startDate"),
            EndDate = f.Date("endDate"),
            State = f.Text("state"),
            HasIncident = f.Bool("hasIncident"),
            TenantId = f.Text("tenantId"),
            ParentProcessInstanceKey = f.Key("parentProcessInstanceKey"),
            ParentElementInstanceKey = f.Key("parentElementInstanceKey"),
            Or = alternatives,
        };
        f.Done();
        return filter;
    }

    private static ProcessInstanceItem ToItem(ProcessInstanceView view)
    {
        var i = view.Instance;
        return new ProcessInstanceItem(
            ApiJson.Key(i.Key), i.BpmnProcessId, view.DefinitionName, i.DefinitionVersion, null, ApiJson.Key(i.DefinitionKey),
            ApiJson.Date(i.StartedAt), ApiJson.Date(i.EndedAt), i.State.ToString().ToUpperInvariant(), i.HasIncident, ApiJson.Tenant,
            ApiJson.Key(i.ParentInstanceKey), ApiJson.Key(i.ParentElementInstanceKey), []);
    }

    private static async Task<IResult> CancelInstanceAsync(HttpContext http, string processInstanceKey, WorkflowRuntime runtime, IApiAccess access)
    {
        var key = ApiJson.ParseKey(processInstanceKey, "processInstanceKey");
        var body = await ApiBody.ReadAsync(http, required: false).ConfigureAwait(false);
        SearchRequest.Reject(body, ["operationReference"], "");
        _ = body.Number("operationReference");
        access.CanCancelInstance(http.User).ThrowIfDenied();
        await Command("CANCEL", () => runtime.CancelInstanceAsync(key, Actor(http), http.RequestAborted)).ConfigureAwait(false);
        return Results.NoContent();
    }

    // ------------------------------------------------------------------ messages

    private static async Task<IResult> PublishAsync(HttpContext http, WorkflowRuntime runtime, IApiAccess access)
    {
        access.CanPublishMessage(http.User).ThrowIfDenied();
        var body = await ApiBody.ReadAsync(http, required: true).ConfigureAwait(false);
        SearchRequest.Reject(body, ["name", "correlationKey", "timeToLive", "messageId", "variables", "tenantId"], "");
        var name = body.RequiredString("name");
        var correlationKey = body.Text("correlationKey");
        var ttl = body.Number("timeToLive") ?? 0;
        if (ttl < 0)
        {
            throw ApiProblemException.InvalidArgument($"The field 'timeToLive' must not be negative, but was {ttl}.");
        }

        var messageId = body.Text("messageId");
        var variables = body.Map("variables");
        RequireDefaultTenant(body.Text("tenantId"));
        var result = await Command("PUBLISH", () => runtime.PublishMessageAsync(name, correlationKey, variables, TimeSpan.FromMilliseconds(ttl), messageId, http.RequestAborted)).ConfigureAwait(false);
        return Results.Json(new PublishMessageResponse(ApiJson.Key(result.MessageKey), ApiJson.Tenant), ApiJson.Options);
    }

    private static async Task<IResult> CorrelateAsync(HttpContext http, WorkflowRuntime runtime, IApiAccess access)
    {
        access.CanPublishMessage(http.User).ThrowIfDenied();
        var body = await ApiBody.ReadAsync(http, required: true).ConfigureAwait(false);
        SearchRequest.Reject(body, ["name", "correlationKey", "variables", "tenantId"], "");
        var name = body.RequiredString("name");
        var correlationKey = body.Text("correlationKey");
        var variables = body.Map("variables");
        RequireDefaultTenant(body.Text("tenantId"));
        var result = await Command("CORRELATE", () => runtime.CorrelateMessageAsync(name, correlationKey, variables, http.RequestAborted)).ConfigureAwait(false);
        return Results.Json(new CorrelateMessageResponse(ApiJson.Key(result.MessageKey), ApiJson.Tenant, ApiJson.Key(result.CorrelatedInstances[0])), ApiJson.Options);
    }

    // ------------------------------------------------------------------ incidents

    private static async Task<IResult> SearchIncidentsAsync(HttpContext http, IncidentQueries queries, IApiAccess access)
    {
        var search = await SearchRequest.ReadAsync(http).ConfigureAwait(false);
        var f = search.Filter;
        var filter = new IncidentFilter
        {
            IncidentKey = f.Key("incidentKey"),
            ProcessDefinitionId = f.Text("processDefinitionId"),
            ProcessDefinitionKey = f.Key("processDefinitionKey"),
            ProcessInstanceKey = f.Key("processInstanceKey"),
            ErrorType = f.Text("errorType"),
            ErrorMessage = f.Text("errorMessage"),
            ElementId = f.Text("elementId"),
            ElementInstanceKey = f.Key("elementInstanceKey"),
            CreationTime = f.Date("creationTime"),
            State = f.Text("state"),
            JobKey = f.Key("jobKey"),
            TenantId = f.Text("tenantId"),
        };
        f.Done();
        var page = await queries.SearchAsync(filter, access.VisibilityOf(http.User), search.Sort, search.Page, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(SearchResponse.From(page, v => new IncidentItem(
            ApiJson.Key(v.Incident.Key), v.Incident.BpmnProcessId, ApiJson.Key(v.ProcessDefinitionKey), ApiJson.Key(v.Incident.InstanceKey),
            v.Incident.ErrorType, v.Incident.ErrorMessage, v.Incident.ElementId, ApiJson.Key(v.Incident.ElementInstanceKey),
            ApiJson.Date(v.Incident.CreatedAt), v.Incident.State.ToString().ToUpperInvariant(), ApiJson.Key(v.Incident.JobId), ApiJson.Tenant)), ApiJson.Options);
    }

    private static async Task<IResult> ResolveIncidentAsync(HttpContext http, string incidentKey, WorkflowRuntime runtime, IApiAccess access)
    {
        var key = ApiJson.ParseKey(incidentKey, "incidentKey");
        var body = await ApiBody.ReadAsync(http, required: false).ConfigureAwait(false);
        SearchRequest.Reject(body, ["operationReference"], "");
        _ = body.Number("operationReference");
        access.CanResolveIncident(http.User).ThrowIfDenied();
        await Command("RESOLVE", () => runtime.ResolveIncidentAsync(key, Actor(http), http.RequestAborted)).ConfigureAwait(false);
        return Results.NoContent();
    }

    // ------------------------------------------------------------------ process definitions

    private static async Task<IResult> SearchDefinitionsAsync(HttpContext http, ProcessQueries queries)
    {
        var search = await SearchRequest.ReadAsync(http).ConfigureAwait(false);
        var f = search.Filter;
        var filter = new ProcessDefinitionFilter
        {
            ProcessDefinitionKey = f.Key("processDefinitionKey"),
            ProcessDefinitionId = f.Text("processDefinitionId"),
            Name = f.Text("name"),
            ResourceName = f.Text("resourceName"),
            Version = f.Number("version"),
            VersionTag = f.Text("versionTag"),
            TenantId = f.Text("tenantId"),
            HasStartForm = f.Bool("hasStartForm"),
            IsLatestVersion = f.Bool("isLatestVersion"),
        };
        f.Done();
        var page = await queries.SearchDefinitionsAsync(filter, search.Sort, search.Page, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(SearchResponse.From(page, ToItem), ApiJson.Options);
    }

    private static ProcessDefinitionItem ToItem(Persistence.Entities.ProcessDefinitionRow d) =>
        new(ApiJson.Key(d.Key), d.BpmnProcessId, d.Name, d.ResourceName, d.Version, null, ApiJson.Tenant, false);

    private static async Task<IResult> GetDefinitionAsync(HttpContext http, string processDefinitionKey, ProcessQueries queries)
    {
        var key = ApiJson.ParseKey(processDefinitionKey, "processDefinitionKey");
        var definition = await queries.FindDefinitionAsync(key, http.RequestAborted).ConfigureAwait(false)
            ?? throw ApiProblemException.NotFound($"Process definition with key '{key}' not found.");
        return Results.Json(ToItem(definition), ApiJson.Options);
    }

    private static async Task<IResult> GetDefinitionXmlAsync(HttpContext http, string processDefinitionKey, ProcessQueries queries)
    {
        var key = ApiJson.ParseKey(processDefinitionKey, "processDefinitionKey");
        var definition = await queries.FindDefinitionAsync(key, http.RequestAborted).ConfigureAwait(false)
            ?? throw ApiProblemException.NotFound($"Process definition with key '{key}' not found.");
        return Results.Text(definition.Xml, "text/xml", System.Text.Encoding.UTF8);
    }
}
