using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Orders;

namespace WorkflowOrders.Web.Features.Orders;

/// <summary>
/// One line of the order's timeline on the detail page: an order event (created, status, change applied, cancelled,
/// document attached) or an escalation level of one of the order's tasks, which the escalation job records in the
/// instance's audit trail (kinds <c>escalation</c> and <c>escalation-unaddressed</c>, src/WorkflowOrders.Email).
/// </summary>
public sealed record OrderTimelineEntry(DateTimeOffset At, string Kind, string? Actor, string? Status, string? Details)
{
    public const string Escalation = "escalation";

    /// <summary>The escalation level (0 reminder, 1 department manager, 2 general manager).</summary>
    public int? Level { get; init; }

    /// <summary>The escalated task (for its name and link); null for an order event.</summary>
    public UserTaskRow? Task { get; init; }

    /// <summary>User names (or addresses) told by the escalation; empty when nobody could be addressed.</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>The attached document (kind <c>document</c>): its id, name and size from the event's details.</summary>
    public long? DocumentId { get; init; }

    public string? FileName { get; init; }

    public long? Size { get; init; }

    public static OrderTimelineEntry FromEvent(OrderEventRow e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var entry = new OrderTimelineEntry(e.At, e.Kind, e.Actor, e.Status, e.Details);
        if (e.Kind == OrderEventKinds.Document && Parse(e.Details) is { } d)
        {
            entry = entry with { DocumentId = Long(d["documentId"]), FileName = d["fileName"]?.ToString(), Size = Long(d["size"]) };
        }

        return entry;
    }

    /// <summary>An escalation audit event; <paramref name="tasks"/> finds the task by key.</summary>
    public static OrderTimelineEntry FromEscalation(AuditEventRow a, IReadOnlyDictionary<long, UserTaskRow> tasks)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(tasks);
        var d = Parse(a.Details);
        var taskKey = TaskKeyOf(a.Details);
        var recipients = d?["recipients"] is JsonArray list ? list.Select(r => r?.ToString() ?? "").Where(r => r.Length > 0).ToList() : [];
        return new OrderTimelineEntry(a.At, Escalation, a.Actor, null, a.Details)
        {
            Level = (int?)Long(d?["level"]),
            Task = taskKey is { } key && tasks.TryGetValue(key, out var task) ? task : null,
            Recipients = recipients,
        };
    }

    /// <summary>The escalated task's key in an escalation's details (a string, as the escalation job writes it).</summary>
    public static long? TaskKeyOf(string? details) => Long(Parse(details)?["taskKey"]);

    private static JsonObject? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static long? Long(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var n) => n,
        JsonValue v when long.TryParse(v.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };
}
