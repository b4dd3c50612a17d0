using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Ports;

namespace WorkflowOrders.Persistence.Orders;

/// <summary>What the order task handlers share: parameters, finding the order, the timeline entry that makes a re-run a no-op.</summary>
internal static class OrderTaskSupport
{
    /// <summary>A variable or input (FEEL, evaluated) wins over a header (static text) of the same name.</summary>
    public static string? Text(TaskContext context, string name)
    {
        if (context.Variables[name] is JsonValue value)
        {
            return value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        }

        return context.Job.Headers.TryGetValue(name, out var header) ? header : null;
    }

    public static bool Flag(TaskContext context, string name) =>
        bool.TryParse(Text(context, name), out var flag) && flag;

    /// <summary>The order named by the input <c>orderNo</c>, else the instance's business key.</summary>
    public static async Task<(OrderRow? Order, string? OrderNo)> FindOrderAsync(WorkflowDbContext db, TaskContext context, CancellationToken cancellationToken)
    {
        var orderNo = Text(context, "orderNo");
        if (string.IsNullOrWhiteSpace(orderNo))
        {
            orderNo = context.BusinessKey;
        }

        if (string.IsNullOrWhiteSpace(orderNo))
        {
            return (null, null);
        }

        var order = await db.Orders.Include(o => o.Lines).SingleOrDefaultAsync(o => o.OrderNo == orderNo, cancellationToken).ConfigureAwait(false);
        return (order, orderNo);
    }

    /// <summary>
    /// True when this job already wrote its timeline entry. The executor commits a job's effects once, but a handler
    /// can also be run again by hand (an incident retried after a partial fix), and then it must change nothing twice.
    /// </summary>
    public static Task<bool> AlreadyDoneAsync(WorkflowDbContext db, TaskContext context, CancellationToken cancellationToken) =>
        db.OrderEvents.AnyAsync(e => e.JobKey == context.Job.Key, cancellationToken);

    public static OrderEventRow Event(OrderRow order, TaskContext context, DateTimeOffset at, string kind, string? status, JsonObject? details) => new()
    {
        OrderId = order.Id,
        At = at,
        Kind = kind,
        Status = status,
        Details = details?.ToJsonString(),
        Actor = $"{context.Job.ProcessId}/{context.Job.ElementId}",
        InstanceKey = context.Job.InstanceKey,
        JobKey = context.Job.Key,
    };

    public static string Invariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
