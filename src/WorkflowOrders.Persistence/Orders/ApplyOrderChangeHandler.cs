using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Engine;
using static WorkflowOrders.Persistence.Orders.OrderTaskSupport;

namespace WorkflowOrders.Persistence.Orders;

/// <summary>
/// <c>order.apply-change</c>: writes an approved change into the order — <c>newDeliveryDate</c> (<c>yyyy-MM-dd</c>,
/// <c>""</c> when unchanged), <c>newQuantities</c> (per line, see <see cref="ParseQuantities"/>), <c>newAmount</c> —
/// taken from the inputs or the instance's variables, and records it on the timeline.
/// </summary>
/// <remarks>
/// order-change.bpmn sends the new date to the running order procedure with its own send task
/// (<c>Publish_DeliveryDate</c>). A definition without that step sets the header <c>publishDeliveryDate</c> to
/// <c>true</c>, and this handler publishes <c>order-delivery-date-changed</c> itself, in the job's unit of work.
/// </remarks>
public sealed class ApplyOrderChangeHandler(WorkflowRuntime runtime, TimeProvider time) : ITaskHandler
{
    public const string TaskType = "order.apply-change";

    public const string DeliveryDateChangedMessage = "order-delivery-date-changed";

    public string Type => TaskType;

    public async ValueTask<TaskOutcome> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = EfWorkflowStore.ContextOf(context.UnitOfWork);
        var (order, orderNo) = await FindOrderAsync(db, context, cancellationToken).ConfigureAwait(false);
        if (order is null)
        {
            return TaskOutcome.Fail($"No order '{orderNo}' to apply the change to.");
        }

        if (await AlreadyDoneAsync(db, context, cancellationToken).ConfigureAwait(false))
        {
            return TaskOutcome.Complete();
        }

        DateOnly? newDate = null;
        var dateText = Text(context, "newDeliveryDate");
        if (!string.IsNullOrWhiteSpace(dateText) && dateText != "null")
        {
            if (!TryParseDate(dateText, out var parsed))
            {
                return TaskOutcome.Fail($"newDeliveryDate '{dateText}' is not a date (yyyy-MM-dd).");
            }

            newDate = parsed;
        }

        Dictionary<int, decimal> quantities;
        try
        {
            quantities = ParseQuantities(context.Variables["newQuantities"]);
        }
        catch (FormatException e)
        {
            return TaskOutcome.Fail(e.Message);
        }

        var newAmount = context.Variables["newAmount"] is JsonValue amountValue && amountValue.TryGetValue<decimal>(out var amount) && amount > 0 ? amount : (decimal?)null;

        var details = new JsonObject { ["changeType"] = Text(context, "changeType") };
        if (newDate is { } date && date != order.DeliveryDate)
        {
            details["deliveryDate"] = new JsonObject { ["from"] = Iso(order.DeliveryDate), ["to"] = Iso(date) };
            order.DeliveryDate = date;
        }

        var changedLines = new JsonArray();
        foreach (var (lineNo, quantity) in quantities.OrderBy(q => q.Key))
        {
            var line = order.Lines.SingleOrDefault(l => l.LineNo == lineNo);
            if (line is null)
            {
                return TaskOutcome.Fail($"newQuantities names line {lineNo}, but order '{order.OrderNo}' has lines 1–{order.Lines.Count}.");
            }

            if (line.Quantity != quantity)
            {
                changedLines.Add(new JsonObject { ["line"] = lineNo, ["from"] = line.Quantity, ["to"] = quantity });
                line.Quantity = quantity;
            }
        }

        if (changedLines.Count > 0)
        {
            details["quantities"] = changedLines;
        }

        // An explicit new amount (contract supplement) wins; otherwise new quantities reprice the order at its unit prices.
        var total = newAmount ?? (changedLines.Count > 0 ? order.Lines.Sum(l => l.Quantity * l.UnitPrice) : order.TotalAmount);
        if (total != order.TotalAmount)
        {
            details["amount"] = new JsonObject { ["from"] = order.TotalAmount, ["to"] = total };
            order.TotalAmount = total;
        }

        var now = time.GetUtcNow();
        db.OrderEvents.Add(Event(order, context, now, OrderEventKinds.Changed, null, details));

        if (newDate is { } published && Flag(context, "publishDeliveryDate"))
        {
            await runtime.PublishMessageAsync(context.UnitOfWork, DeliveryDateChangedMessage, order.OrderNo,
                new JsonObject { ["deliveryDate"] = Iso(published) }, TimeSpan.Zero).ConfigureAwait(false);
        }

        return TaskOutcome.Complete();
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A date field of a form may carry a time part; the first ten characters are the date.</summary>
    private static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text.Length >= 10 ? text[..10] : text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>
    /// New quantities by line number. Accepted: a JSON array (position = line), a JSON object <c>{"2": 500}</c>, or the
    /// change-request form's text — one entry per line of text or separated by <c>;</c>, each either
    /// <c>2: 500</c> / <c>2=500</c> (line 2) or a bare number (the next line). Empty: no quantity changes.
    /// </summary>
    public static Dictionary<int, decimal> ParseQuantities(JsonNode? node)
    {
        var result = new Dictionary<int, decimal>();
        switch (node)
        {
            case null:
                return result;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    result[i + 1] = Positive(array[i]?.ToJsonString(), i + 1);
                }

                return result;
            case JsonObject map:
                foreach (var (key, value) in map)
                {
                    result[LineNo(key)] = Positive(value?.ToJsonString(), LineNo(key));
                }

                return result;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                break;
            default:
                throw new FormatException($"newQuantities '{node.ToJsonString()}' is neither text nor a list of quantities.");
        }

        var text = node.GetValue<string>();
        var next = 1;
        foreach (var raw in text.Split(['\n', ';', '，', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = raw.IndexOfAny([':', '=', '：']);
            int lineNo;
            string quantity;
            if (separator > 0)
            {
                lineNo = LineNo(raw[..separator]);
                quantity = raw[(separator + 1)..];
            }
            else
            {
                lineNo = next;
                quantity = raw;
            }

            result[lineNo] = Positive(quantity, lineNo);
            next = lineNo + 1;
        }

        return result;
    }

    private static int LineNo(string text)
    {
        var digits = new string([.. text.Where(char.IsDigit)]);
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var lineNo) && lineNo > 0
            ? lineNo
            : throw new FormatException($"newQuantities: '{text}' does not name an order line (1, 2, …).");
    }

    private static decimal Positive(string? text, int lineNo)
    {
        var trimmed = text?.Trim().Trim('"') ?? "";
        return decimal.TryParse(trimmed, NumberStyles.Number, CultureInfo.InvariantCulture, out var quantity) && quantity > 0
            ? quantity
            : throw new FormatException($"newQuantities: line {lineNo} quantity '{trimmed}' is not a positive number.");
    }
}
