using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Engine.Handlers;

/// <summary>
/// The built-in <c>message.publish</c> task type: a send task publishes a message that reaches another procedure
/// (a waiting catch or boundary event, or a message start event). It runs inside the job's unit of work, so the
/// message's effects commit or roll back together with the job — a retried job never publishes twice.
/// </summary>
/// <remarks>
/// Parameters, each from the task's <c>zeebe:ioMapping</c> input of that name (FEEL, evaluated on entry) or else its
/// <c>zeebe:taskHeaders</c> entry (static text): <c>messageName</c> (required), <c>correlationKey</c> (default: the
/// instance's business key, i.e. the order number), <c>timeToLive</c> (ISO-8601 duration, default <c>PT0S</c>: only
/// what waits now receives it), <c>messageId</c> (optional, refuses a second publication while buffered). The entries of
/// an input <c>variables</c> (a FEEL context, what the element template offers) and every other input become the
/// message's variables.
/// </remarks>
public sealed class PublishMessageHandler(WorkflowRuntime runtime) : ITaskHandler
{
    public const string TaskType = "message.publish";

    public const string MessageNameParameter = "messageName";

    public const string CorrelationKeyParameter = "correlationKey";

    public const string TimeToLiveParameter = "timeToLive";

    public const string MessageIdParameter = "messageId";

    public const string VariablesParameter = "variables";

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        MessageNameParameter, CorrelationKeyParameter, TimeToLiveParameter, MessageIdParameter, VariablesParameter,
    };

    public string Type => TaskType;

    public async ValueTask<TaskOutcome> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var state = await context.UnitOfWork.LoadInstanceAsync(context.Job.InstanceKey).ConfigureAwait(false);
        var inputs = state?.FindElement(context.Job.ElementInstanceKey)?.Local ?? [];

        var name = Parameter(inputs, context.Job.Headers, MessageNameParameter);
        if (string.IsNullOrWhiteSpace(name))
        {
            return TaskOutcome.Fail($"The send task '{context.Job.ElementId}' has no message name: set the header or input '{MessageNameParameter}'.");
        }

        var correlationKey = Parameter(inputs, context.Job.Headers, CorrelationKeyParameter) ?? context.BusinessKey;
        var timeToLive = TimeSpan.Zero;
        var ttlText = Parameter(inputs, context.Job.Headers, TimeToLiveParameter);
        if (!string.IsNullOrWhiteSpace(ttlText) && (!IsoDurations.TryParseTimeSpan(ttlText, out timeToLive) || timeToLive < TimeSpan.Zero))
        {
            return TaskOutcome.Fail($"The send task '{context.Job.ElementId}' has time-to-live '{ttlText}', which is not an ISO-8601 duration such as PT1H.");
        }

        var variables = new JsonObject();
        if (inputs[VariablesParameter] is JsonObject given)
        {
            foreach (var (key, value) in given)
            {
                variables[key] = value?.DeepClone();
            }
        }

        foreach (var (key, value) in inputs)
        {
            if (!Reserved.Contains(key))
            {
                variables[key] = value?.DeepClone();
            }
        }

        try
        {
            await runtime.PublishMessageAsync(context.UnitOfWork, name, correlationKey, variables, timeToLive, Parameter(inputs, context.Job.Headers, MessageIdParameter)).ConfigureAwait(false);
        }
        catch (CommandRejectedException e)
        {
            return TaskOutcome.Fail(e.Message);
        }

        return TaskOutcome.Complete();
    }

    /// <summary>An input wins over a header of the same name; a non-string input (e.g. a number) is used as its JSON text.</summary>
    private static string? Parameter(JsonObject inputs, IReadOnlyDictionary<string, string> headers, string name)
    {
        if (inputs[name] is { } node)
        {
            return node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node.ToJsonString();
        }

        return headers.TryGetValue(name, out var header) ? header : null;
    }
}
