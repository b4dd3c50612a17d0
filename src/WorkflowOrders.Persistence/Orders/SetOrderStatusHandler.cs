using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Persistence.Engine;
using static WorkflowOrders.Persistence.Orders.OrderTaskSupport;

namespace WorkflowOrders.Persistence.Orders;

/// <summary>
/// <c>order.set-status</c>: writes the order's status (header or input <c>status</c>) and a timeline entry, in the
/// job's transaction. A cancelled order keeps its status: the cancellation is final.
/// </summary>
public sealed class SetOrderStatusHandler(TimeProvider time) : ITaskHandler
{
    public const string TaskType = "order.set-status";

    public string Type => TaskType;

    public async ValueTask<TaskOutcome> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var status = Text(context, "status");
        if (status is null || !OrderVocabulary.Statuses.Contains(status) || status == OrderVocabulary.Cancelled)
        {
            return TaskOutcome.Fail($"The task '{context.Job.ElementId}' sets status '{status}': use one of {string.Join(", ", OrderVocabulary.Statuses.Where(s => s != OrderVocabulary.Cancelled))} (cancel with order.cancel).");
        }

        var db = EfWorkflowStore.ContextOf(context.UnitOfWork);
        var (order, orderNo) = await FindOrderAsync(db, context, cancellationToken).ConfigureAwait(false);
        if (order is null)
        {
            return TaskOutcome.Fail($"No order '{orderNo}' to set to '{status}'.");
        }

        if (await AlreadyDoneAsync(db, context, cancellationToken).ConfigureAwait(false) || order.Status == OrderVocabulary.Cancelled)
        {
            return TaskOutcome.Complete();
        }

        var now = time.GetUtcNow();
        var previous = order.Status;
        order.Status = status;
        if (status == OrderVocabulary.Closed)
        {
            order.ClosedAt ??= now;
        }

        db.OrderEvents.Add(Event(order, context, now, OrderEventKinds.Status, status, new JsonObject { ["from"] = previous, ["to"] = status }));
        return TaskOutcome.Complete();
    }
}
