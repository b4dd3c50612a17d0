using System.Text.Json;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Queries;

namespace WorkflowOrders.Web.Api;

/// <summary>User tasks (camunda-rest-v2.md §4) and variables (§7).</summary>
internal static class UserTaskEndpoints
{
    public static void Map(RouteGroupBuilder v2)
    {
        v2.MapPost("/user-tasks/search", SearchAsync)
            .Accepts<SearchQueryRequest>("application/json").Produces<SearchResponse<UserTaskItem>>().WithTags("User tasks");
        v2.MapGet("/user-tasks/{userTaskKey}", GetAsync).Produces<UserTaskItem>().WithTags("User tasks");
        v2.MapGet("/user-tasks/{userTaskKey}/form", GetFormAsync).Produces<UserTaskFormResponse>().Produces(StatusCodes.Status204NoContent).WithTags("User tasks");
        v2.MapPost("/user-tasks/{userTaskKey}/assignment", AssignAsync)
            .Accepts<UserTaskAssignmentRequest>("application/json").Produces(StatusCodes.Status204NoContent).WithTags("User tasks");
        v2.MapDelete("/user-tasks/{userTaskKey}/assignee", UnassignAsync).Produces(StatusCodes.Status204NoContent).WithTags("User tasks");
        v2.MapPost("/user-tasks/{userTaskKey}/completion", CompleteAsync)
            .Accepts<UserTaskCompletionRequest>("application/json").Produces(StatusCodes.Status204NoContent).WithTags("User tasks");

        v2.MapPost("/variables/search", SearchVariablesAsync)
            .Accepts<SearchQueryRequest>("application/json").Produces<SearchResponse<VariableItemResponse>>().WithTags("Variables");
        v2.MapGet("/variables/{variableKey}", GetVariableAsync).Produces<VariableItemResponse>().WithTags("Variables");
    }

    private static async Task<IResult> SearchAsync(HttpContext http, UserTaskQueries tasks, ProcessQueries processes, IApiAccess access)
    {
        var search = await SearchRequest.ReadAsync(http).ConfigureAwait(false);
        var f = search.Filter;
        f.Unsupported("processInstanceVariables", "localVariables");
        var filter = new UserTaskFilter
        {
            UserTaskKey = f.Key("userTaskKey"),
            ElementId = f.Text("elementId"),
            ElementInstanceKey = f.Key("elementInstanceKey"),
            Name = f.Text("name"),
            ProcessDefinitionId = f.Text("processDefinitionId"),
            ProcessDefinitionKey = f.Key("processDefinitionKey"),
            ProcessInstanceKey = f.Key("processInstanceKey"),
            State = f.Text("state"),
            Assignee = f.Text("assignee"),
            // The spec says candidateGroup / candidateUser; some of Camunda's examples write the plural.
            CandidateGroup = f.Text("candidateGroup") ?? f.Text("candidateGroups"),
            CandidateUser = f.Text("candidateUser") ?? f.Text("candidateUsers"),
            Priority = f.Number("priority"),
            TenantId = f.Text("tenantId"),
            CreationDate = f.Date("creationDate"),
            CompletionDate = f.Date("completionDate"),
            DueDate = f.Date("dueDate"),
            FollowUpDate = f.Date("followUpDate"),
        };
        f.Done();
        var page = await tasks.SearchAsync(filter, access.VisibilityOf(http.User), search.Sort, search.Page, http.RequestAborted).ConfigureAwait(false);
        var names = await processes.DefinitionNamesAsync(page.Items.Select(t => t.DefinitionKey), http.RequestAborted).ConfigureAwait(false);
        var forms = await tasks.FormKeysAsync(page.Items.Select(t => t.FormId), http.RequestAborted).ConfigureAwait(false);
        return Results.Json(SearchResponse.From(page, t => ToItem(t, names.GetValueOrDefault(t.DefinitionKey), FormKeyOf(t, forms))), ApiJson.Options);
    }

    private static long? FormKeyOf(UserTaskRow task, IReadOnlyDictionary<string, long> forms) =>
        task.FormKey ?? (task.FormId is not null && forms.TryGetValue(task.FormId, out var key) ? key : null);

    public static UserTaskItem ToItem(UserTaskRow t, string? processName, long? formKey) => new(
        ApiJson.Key(t.Key), t.Name, t.State.ToString().ToUpperInvariant(), t.Assignee, t.ElementId, ApiJson.Key(t.ElementInstanceKey),
        Split(t.CandidateGroups), Split(t.CandidateUsers), t.BpmnProcessId, ApiJson.Key(t.DefinitionKey), t.DefinitionVersion, processName,
        ApiJson.Key(t.InstanceKey), ApiJson.Date(t.CreatedAt), ApiJson.Date(t.CompletedAt), ApiJson.Date(t.DueDate), ApiJson.Date(t.FollowUpDate),
        ApiJson.Key(formKey), null, t.Priority, Headers(t.CustomHeaders), ApiJson.Tenant);

    private static string[] Split(string? list) =>
        string.IsNullOrWhiteSpace(list) ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Dictionary<string, string> Headers(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The task, if it exists and the caller may see it (404 / 403 otherwise).</summary>
    private static async Task<UserTaskRow> VisibleTaskAsync(HttpContext http, long key, UserTaskQueries tasks, IApiAccess access)
    {
        var task = await tasks.FindAsync(key, http.RequestAborted).ConfigureAwait(false)
            ?? throw ApiProblemException.NotFound($"User task with key '{key}' not found.");
        access.CanSeeTask(http.User, task).ThrowIfDenied();
        return task;
    }

    private static async Task<IResult> GetAsync(HttpContext http, string userTaskKey, UserTaskQueries tasks, ProcessQueries processes, IApiAccess access)
    {
        var key = ApiJson.ParseKey(userTaskKey, "userTaskKey");
        var task = await VisibleTaskAsync(http, key, tasks, access).ConfigureAwait(false);
        var names = await processes.DefinitionNamesAsync([task.DefinitionKey], http.RequestAborted).ConfigureAwait(false);
        var form = await tasks.FindFormAsync(task, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(ToItem(task, names.GetValueOrDefault(task.DefinitionKey), form?.Key), ApiJson.Options);
    }

    private static async Task<IResult> GetFormAsync(HttpContext http, string userTaskKey, UserTaskQueries tasks, IApiAccess access)
    {
        var key = ApiJson.ParseKey(userTaskKey, "userTaskKey");
        var task = await VisibleTaskAsync(http, key, tasks, access).ConfigureAwait(false);
        var form = await tasks.FindFormAsync(task, http.RequestAborted).ConfigureAwait(false);
        return form is null
            ? Results.NoContent()
            : Results.Json(new UserTaskFormResponse(ApiJson.Key(form.Key), form.FormId, form.Version, form.Schema, ApiJson.Tenant), ApiJson.Options);
    }

    /// <summary>
    /// Unknown tasks go to the engine, which answers NOT_FOUND in Camunda's words; a task the caller may not see or act on
    /// is a 403 with the reason; a finished task reaches the engine, which says who finished it and when.
    /// </summary>
    private static async Task<UserTaskRow?> TaskForCommandAsync(HttpContext http, long key, UserTaskQueries tasks, IApiAccess access)
    {
        var task = await tasks.FindAsync(key, http.RequestAborted).ConfigureAwait(false);
        if (task is not null)
        {
            access.CanSeeTask(http.User, task).ThrowIfDenied();
        }

        return task;
    }

    private static async Task<IResult> AssignAsync(HttpContext http, string userTaskKey, WorkflowRuntime runtime, UserTaskQueries tasks, IApiAccess access)
    {
        var key = ApiJson.ParseKey(userTaskKey, "userTaskKey");
        var body = await ApiBody.ReadAsync(http, required: true).ConfigureAwait(false);
        SearchRequest.Reject(body, ["assignee", "allowOverride", "action"], "");
        var assignee = body.RequiredString("assignee");
        var allowOverride = body.Bool("allowOverride") ?? true;
        _ = body.Text("action");
        var task = await TaskForCommandAsync(http, key, tasks, access).ConfigureAwait(false);
        var refusedByEngine = !allowOverride && task?.Assignee is { } holder && holder != assignee;
        if (task is not null && !refusedByEngine)
        {
            access.CanAssign(http.User, task, assignee).ThrowIfDenied();
        }

        await Command("ASSIGN", () => runtime.AssignUserTaskAsync(key, assignee, CommandEndpoints.Actor(http), allowOverride, http.RequestAborted)).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> UnassignAsync(HttpContext http, string userTaskKey, WorkflowRuntime runtime, UserTaskQueries tasks, IApiAccess access)
    {
        var key = ApiJson.ParseKey(userTaskKey, "userTaskKey");
        var task = await TaskForCommandAsync(http, key, tasks, access).ConfigureAwait(false);
        if (task is not null)
        {
            access.CanUnassign(http.User, task).ThrowIfDenied();
        }

        await Command("ASSIGN", () => runtime.AssignUserTaskAsync(key, null, CommandEndpoints.Actor(http), cancellationToken: http.RequestAborted)).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> CompleteAsync(HttpContext http, string userTaskKey, WorkflowRuntime runtime, UserTaskQueries tasks, IApiAccess access)
    {
        var key = ApiJson.ParseKey(userTaskKey, "userTaskKey");
        var body = await ApiBody.ReadAsync(http, required: false).ConfigureAwait(false);
        SearchRequest.Reject(body, ["variables", "action"], "");
        var variables = body.Map("variables");
        _ = body.Text("action");
        var task = await TaskForCommandAsync(http, key, tasks, access).ConfigureAwait(false);
        if (task is not null)
        {
            access.CanComplete(http.User, task).ThrowIfDenied();
        }

        await Command("COMPLETE", () => runtime.CompleteUserTaskAsync(key, variables, CommandEndpoints.Actor(http), http.RequestAborted)).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static Task<T> Command<T>(string intent, Func<Task<T>> run) => CommandEndpoints.Command(intent, run);

    private static Task Command(string intent, Func<Task> run) => CommandEndpoints.Command(intent, run);

    // ------------------------------------------------------------------ variables

    private static async Task<IResult> SearchVariablesAsync(HttpContext http, VariableQueries variables, IApiAccess access)
    {
        var search = await SearchRequest.ReadAsync(http).ConfigureAwait(false);
        var f = search.Filter;
        var filter = new VariableFilter
        {
            Name = f.Text("name"),
            Value = f.Text("value"),
            VariableKey = f.Key("variableKey"),
            ScopeKey = f.Key("scopeKey"),
            ProcessInstanceKey = f.Key("processInstanceKey"),
            TenantId = f.Text("tenantId"),
            IsTruncated = f.Bool("isTruncated"),
        };
        f.Done();
        var page = await variables.SearchAsync(filter, access.VisibilityOf(http.User), search.Sort, search.Page, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(SearchResponse.From(page, ToItem), ApiJson.Options);
    }

    private static VariableItemResponse ToItem(VariableItem v) =>
        new(ApiJson.Key(v.VariableKey), v.Name, v.Value, v.IsTruncated, ApiJson.Key(v.ScopeKey), ApiJson.Key(v.ProcessInstanceKey), ApiJson.Tenant);

    private static async Task<IResult> GetVariableAsync(HttpContext http, string variableKey, VariableQueries variables, IApiAccess access)
    {
        var key = ApiJson.ParseKey(variableKey, "variableKey");
        var variable = await variables.FindAsync(key, access.VisibilityOf(http.User), http.RequestAborted).ConfigureAwait(false)
            ?? throw ApiProblemException.NotFound($"Variable with key '{key}' not found.");
        return Results.Json(ToItem(variable), ApiJson.Options);
    }
}
