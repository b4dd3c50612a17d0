using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.Features.Work;
using WorkflowOrders.Web.Localization;
using WorkflowOrders.Web.Security;

using UserTaskState = WorkflowOrders.Persistence.Entities.UserTaskState;

namespace WorkflowOrders.Web.Features.Tasks;

/// <summary>Loads a task with its instance's variables, its form and the business context the page shows above the form.</summary>
public sealed class TaskQuery(IDbContextFactory<WorkflowDbContext> contexts, WorkflowRuntime runtime, DueCalculator due, PeopleNames people)
{
    public async Task<UserTaskRow?> FindAsync(long taskKey, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.UserTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Key == taskKey, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TaskView> LoadAsync(ClaimsPrincipal user, UserTaskRow task, string culture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(task);
        var record = EfWorkflowStoreRows.ToRecord(task);
        InstanceState? instance;
        ProcessDefinition? definition;
        FormRecord? form = null;
        await using (var uow = await runtime.Store.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            instance = await uow.LoadInstanceAsync(task.InstanceKey).ConfigureAwait(false);
            definition = await uow.FindDefinitionAsync(task.DefinitionKey).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(task.FormId))
            {
                form = await uow.FindLatestFormAsync(task.FormId).ConfigureAwait(false);
            }
        }

        var variables = Variables(instance, task.ElementInstanceKey);
        var names = await people.ResolveAsync([task.Assignee, task.CompletedBy], cancellationToken).ConfigureAwait(false);
        var zone = InstantFormatter.FindZone(user.TimeZoneOf());
        var complete = AccessPolicy.CanCompleteTask(user, task);
        return new TaskView(
            task,
            InstanceFacts.TaskName(task.Name, record.Properties, task.ElementId, culture),
            definition is null ? task.BpmnProcessId : InstanceFacts.ProcessName(definition, culture),
            task.DefinitionVersion,
            due.Describe(task.DueDate, instance?.CalendarId, zone, culture, done: task.State == UserTaskState.Completed),
            task.Assignee is null ? null : names[task.Assignee],
            task.CompletedBy is null ? null : names[task.CompletedBy],
            BusinessContext(variables),
            variables,
            form?.Schema,
            complete.Allowed,
            complete.Allowed ? null : complete.Code,
            task.State == UserTaskState.Created && task.Assignee is null && AccessPolicy.CanClaimTask(user, task).Allowed,
            task.State == UserTaskState.Created && task.Assignee is not null && (task.Assignee == user.UserName() || AccessPolicy.IsAdmin(user)));
    }

    /// <summary>The instance's root variables overlaid with the task element's local ones (its input mappings).</summary>
    public static JsonObject Variables(InstanceState? instance, long elementInstanceKey)
    {
        var variables = instance is null ? [] : (JsonObject)instance.Variables.DeepClone();
        if (instance?.FindElement(elementInstanceKey)?.Local is { } local)
        {
            foreach (var (key, value) in local)
            {
                variables[key] = value?.DeepClone();
            }
        }

        return variables;
    }

    /// <summary>
    /// Key facts of the order above the form: from an <c>order</c> object variable (customer, amount, currency,
    /// delivery date, type, payment terms) when there is one, else from same-named root variables.
    /// </summary>
    public static IReadOnlyList<ContextItem> BusinessContext(JsonObject variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var source = variables["order"] as JsonObject ?? variables;
        var items = new List<ContextItem>();
        Add(items, "Context.Customer", source, "customer", "customerName");
        var amount = First(source, "amount", "totalAmount", "total");
        if (amount is not null)
        {
            var currency = Text(First(source, "currency")) ?? "";
            items.Add(new ContextItem("Context.Amount", $"{FormatNumber(amount)} {currency}".Trim(), Numeric: true));
        }

        Add(items, "Context.DeliveryDate", source, "deliveryDate", "delivery_date");
        Add(items, "Context.OrderType", source, "orderType", "type");
        Add(items, "Context.PaymentTerms", source, "paymentTerms");
        Add(items, "Context.Inspection", source, "inspectionMode");
        return items;
    }

    private static void Add(List<ContextItem> items, string label, JsonObject source, params string[] names)
    {
        var node = First(source, names);
        if (node is JsonObject obj)
        {
            node = First(obj, "name", "title") ?? node;
        }

        if (Text(node) is { Length: > 0 } text)
        {
            items.Add(new ContextItem(label, text));
        }
    }

    private static JsonNode? First(JsonObject source, params string[] names)
    {
        foreach (var name in names)
        {
            if (source.TryGetPropertyValue(name, out var value) && value is not null)
            {
                return value;
            }
        }

        return null;
    }

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    private static string FormatNumber(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && Forms.FormSchemaValidator.ReadNumber(v) is { } d
            ? d.ToString("#,##0.##", CultureInfo.InvariantCulture)
            : Text(node) ?? "";
}
