namespace WorkflowOrders.Engine.Runtime;

/// <summary>Rejection codes, as the REST API reports them (camunda-rest-v2.md §9).</summary>
public static class RejectionCodes
{
    public const string NotFound = "NOT_FOUND";
    public const string InvalidState = "INVALID_STATE";
    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string AlreadyExists = "ALREADY_EXISTS";
    public const string Forbidden = "FORBIDDEN";
}

/// <summary>A command the engine refuses, with a plain reason; nothing was changed.</summary>
public sealed class CommandRejectedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    public static CommandRejectedException NotFound(string message) => new(RejectionCodes.NotFound, message);

    public static CommandRejectedException InvalidState(string message) => new(RejectionCodes.InvalidState, message);

    public static CommandRejectedException InvalidArgument(string message) => new(RejectionCodes.InvalidArgument, message);
}

/// <summary>Another writer changed the instance first; the command may be retried on fresh state.</summary>
public sealed class ConcurrencyConflictException(long instanceKey, Exception? innerException = null)
    : Exception($"Process instance {instanceKey} was changed by someone else at the same time; the command was not applied.", innerException)
{
    public long InstanceKey { get; } = instanceKey;
}
