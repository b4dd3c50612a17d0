namespace WorkflowOrders.Persistence;

/// <summary>
/// A save lost a race: the row changed (or vanished) since it was read. Nothing of the save was written.
/// Callers reload and retry when that is safe, otherwise they report the conflict to the user.
/// </summary>
public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException()
    {
    }

    public ConcurrencyConflictException(string message)
        : base(message)
    {
    }

    public ConcurrencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConcurrencyConflictException(string table, object? key, int? expectedRevision, Exception innerException)
        : base(Describe(table, key, expectedRevision), innerException)
    {
        Table = table;
        Key = key;
        ExpectedRevision = expectedRevision;
    }

    /// <summary>Table of the first row in conflict.</summary>
    public string? Table { get; }

    /// <summary>Primary key of the first row in conflict.</summary>
    public object? Key { get; }

    /// <summary>The revision the save expected to replace.</summary>
    public int? ExpectedRevision { get; }

    private static string Describe(string table, object? key, int? expectedRevision) =>
        expectedRevision is { } revision
            ? $"Concurrency conflict: {table} {key} was changed by someone else since it was read (expected revision {revision}). Nothing was saved; reload and try again."
            : $"Concurrency conflict: {table} {key} was changed or removed by someone else since it was read. Nothing was saved; reload and try again.";
}
