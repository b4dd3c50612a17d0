using System.Text.Json.Nodes;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.Features.Work;

namespace WorkflowOrders.Web.Features.Tasks;

/// <summary>A labelled value of the business context shown above the form (customer, amount, delivery date …).</summary>
public sealed record ContextItem(string LabelKey, string Value, bool Numeric = false);

/// <summary>Everything the task page shows.</summary>
public sealed record TaskView(
    UserTaskRow Task,
    string TaskName,
    string ProcessName,
    int ProcessVersion,
    DueInfo Due,
    string? AssigneeName,
    string? CompletedByName,
    IReadOnlyList<ContextItem> Context,
    JsonObject Variables,
    string? FormSchema,
    bool CanComplete,
    string? CannotCompleteReason,
    bool CanClaim,
    bool CanUnclaim)
{
    public bool IsOpen => Task.State == UserTaskState.Created;
}
