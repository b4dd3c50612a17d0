using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace WorkflowOrders.Web.Api;

// Response shapes of the Camunda 8.8 REST API (camunda-rest-v2.md): keys as strings, dates as RFC 3339 text.

public sealed record DeploymentResponse(string DeploymentKey, string TenantId, IReadOnlyList<DeploymentEntry> Deployments);

/// <summary>Exactly one of the parts is set; the other is left out of the JSON.</summary>
public sealed record DeploymentEntry(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DeployedProcessDefinition? ProcessDefinition,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DeployedForm? Form);

public sealed record DeployedProcessDefinition(string ProcessDefinitionId, int ProcessDefinitionVersion, string ProcessDefinitionKey, string ResourceName, string TenantId);

public sealed record DeployedForm(string FormId, int Version, string FormKey, string ResourceName, string TenantId);

public sealed record CreateProcessInstanceResponse(
    string ProcessInstanceKey, string ProcessDefinitionKey, string ProcessDefinitionId, int ProcessDefinitionVersion,
    string TenantId, JsonObject Variables, IReadOnlyList<string> Tags);

public sealed record ProcessInstanceItem(
    string ProcessInstanceKey, string ProcessDefinitionId, string? ProcessDefinitionName, int ProcessDefinitionVersion,
    string? ProcessDefinitionVersionTag, string ProcessDefinitionKey, string? StartDate, string? EndDate, string State,
    bool HasIncident, string TenantId, string? ParentProcessInstanceKey, string? ParentElementInstanceKey, IReadOnlyList<string> Tags);

public sealed record UserTaskItem(
    string UserTaskKey, string? Name, string State, string? Assignee, string ElementId, string ElementInstanceKey,
    IReadOnlyList<string> CandidateGroups, IReadOnlyList<string> CandidateUsers, string ProcessDefinitionId,
    string ProcessDefinitionKey, int ProcessDefinitionVersion, string? ProcessName, string ProcessInstanceKey,
    string? CreationDate, string? CompletionDate, string? DueDate, string? FollowUpDate, string? FormKey,
    string? ExternalFormReference, int Priority, IReadOnlyDictionary<string, string> CustomHeaders, string TenantId);

public sealed record UserTaskFormResponse(string FormKey, string FormId, int Version, string Schema, string TenantId);

public sealed record PublishMessageResponse(string MessageKey, string TenantId);

public sealed record CorrelateMessageResponse(string MessageKey, string TenantId, string ProcessInstanceKey);

public sealed record IncidentItem(
    string IncidentKey, string? ProcessDefinitionId, string? ProcessDefinitionKey, string? ProcessInstanceKey,
    string ErrorType, string ErrorMessage, string? ElementId, string? ElementInstanceKey, string? CreationTime,
    string State, string? JobKey, string TenantId);

public sealed record VariableItemResponse(
    string VariableKey, string Name, string Value, bool IsTruncated, string ScopeKey, string ProcessInstanceKey, string TenantId);

public sealed record ProcessDefinitionItem(
    string ProcessDefinitionKey, string ProcessDefinitionId, string? Name, string ResourceName, int Version,
    string? VersionTag, string TenantId, bool HasStartForm);

// Request shapes, for the OpenAPI document; the endpoints read bodies field by field (ApiBody) to answer bad input with a 400.

public sealed record CreateProcessInstanceRequest(
    string? ProcessDefinitionId, int? ProcessDefinitionVersion, string? ProcessDefinitionKey, JsonObject? Variables, string? TenantId);

public sealed record UserTaskAssignmentRequest(string Assignee, bool? AllowOverride, string? Action);

public sealed record UserTaskCompletionRequest(JsonObject? Variables, string? Action);

public sealed record PublishMessageRequest(string Name, string? CorrelationKey, long? TimeToLive, string? MessageId, JsonObject? Variables, string? TenantId);

public sealed record CorrelateMessageRequest(string Name, string? CorrelationKey, JsonObject? Variables, string? TenantId);

public sealed record SearchQueryRequest(JsonObject? Filter, IReadOnlyList<SortRequest>? Sort, PageRequestBody? Page);

public sealed record SortRequest(string Field, string? Order);

public sealed record PageRequestBody(int? From, int? Limit, string? After, string? Before);
