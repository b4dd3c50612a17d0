using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Persistence.Engine;
using static WorkflowOrders.Persistence.Orders.OrderTaskSupport;

namespace WorkflowOrders.Persistence.Orders;

/// <summary>
/// <c>order.cancel</c>: the order becomes <c>cancelled</c> with the instant and reason (inputs <c>orderNo</c>,
/// <c>reason</c>, <c>allowedByContract</c>). Ending the order procedure is the definition's next step (message
/// <c>order-cancelled</c>). An order already cancelled stays as it was.
/// </summary>
public sealed class CancelOrderHandler(TimeProvider time) : ITaskHandler
{
    public const string TaskType = "order.cancel";

    public string Type => TaskType;

    public async ValueTask<TaskOutcome> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = EfWorkflowStore.ContextOf(context.UnitOfWork);
        var (order, orderNo) = await FindOrderAsync(db, context, cancellationToken).ConfigureAwait(false);
        if (order is null)
        {
            return TaskOutcome.Fail($"No order '{orderNo}' to cancel.");
        }

        if (order.Status == OrderVocabulary.Cancelled || await AlreadyDoneAsync(db, context, cancellationToken).ConfigureAwait(false))
        {
            return TaskOutcome.Complete();
        }

        var now = time.GetUtcNow();
        var reason = Text(context, "reason");
        var previous = order.Status;
        order.Status = OrderVocabulary.Cancelled;
        order.CancelledAt = now;
        order.CancellationReason = string.IsNullOrWhiteSpace(reason) ? null : reason;
        db.OrderEvents.Add(Event(order, context, now, OrderEventKinds.Cancelled, OrderVocabulary.Cancelled, new JsonObject
        {
            ["from"] = previous,
            ["reason"] = order.CancellationReason,
            ["allowedByContract"] = Flag(context, "allowedByContract"),
        }));
        return TaskOutcome.Complete();
    }
}
