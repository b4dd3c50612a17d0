namespace WorkflowOrders.Persistence.Queries;

// The search vocabulary of the REST API (camunda-rest-v2.md §0) in plain C#: filters, sort, page and the result page.
// The API turns request JSON into these; the query classes turn them into SQL.

/// <summary>A string field's condition: equality or Camunda's operators. Every set part must hold (AND).</summary>
public sealed class StringFilter
{
    public string? Eq { get; init; }
    public string? Neq { get; init; }
    public IReadOnlyList<string>? In { get; init; }
    public IReadOnlyList<string>? NotIn { get; init; }

    /// <summary>Camunda's pattern: <c>*</c> any run, <c>?</c> one character, <c>\</c> escapes.</summary>
    public string? Like { get; init; }

    public bool? Exists { get; init; }

    public static StringFilter Equal(string value) => new() { Eq = value };

    /// <summary>Evaluates the filter on a value in memory (for enum-like fields and computed values).</summary>
    public bool Matches(string? value)
    {
        if (Exists is { } exists && exists != (value is not null))
        {
            return false;
        }

        if (Eq is not null && value != Eq)
        {
            return false;
        }

        if (Neq is not null && value == Neq)
        {
            return false;
        }

        if (In is not null && (value is null || !In.Contains(value)))
        {
            return false;
        }

        if (NotIn is not null && value is not null && NotIn.Contains(value))
        {
            return false;
        }

        return Like is null || (value is not null && LikePattern.ToRegex(Like).IsMatch(value));
    }
}

/// <summary>A number (or key) field's condition.</summary>
public sealed class NumberFilter
{
    public long? Eq { get; init; }
    public long? Neq { get; init; }
    public IReadOnlyList<long>? In { get; init; }
    public IReadOnlyList<long>? NotIn { get; init; }
    public long? Gt { get; init; }
    public long? Gte { get; init; }
    public long? Lt { get; init; }
    public long? Lte { get; init; }
    public bool? Exists { get; init; }

    public static NumberFilter Equal(long value) => new() { Eq = value };

    public bool Matches(long? value) =>
        (Exists is not { } exists || exists == value.HasValue)
        && (Eq is null || value == Eq)
        && (Neq is null || value != Neq)
        && (In is null || (value is { } v1 && In.Contains(v1)))
        && (NotIn is null || value is not { } v2 || !NotIn.Contains(v2))
        && (Gt is null || value > Gt)
        && (Gte is null || value >= Gte)
        && (Lt is null || value < Lt)
        && (Lte is null || value <= Lte);
}

/// <summary>A date field's condition: a range, an exact instant, or whether it is set.</summary>
public sealed class DateFilter
{
    public DateTimeOffset? Eq { get; init; }
    public DateTimeOffset? Neq { get; init; }
    public DateTimeOffset? Gt { get; init; }
    public DateTimeOffset? Gte { get; init; }
    public DateTimeOffset? Lt { get; init; }
    public DateTimeOffset? Lte { get; init; }
    public bool? Exists { get; init; }
}

public sealed record SortOrder(string Field, bool Descending = false);

/// <summary>One of the three page forms: from/limit, after a cursor, or before one.</summary>
public sealed record PageRequest(int From = 0, int Limit = PageRequest.DefaultLimit, string? After = null, string? Before = null)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;
}

public sealed record SearchPage<T>(IReadOnlyList<T> Items, long TotalItems, string? StartCursor, string? EndCursor)
{
    /// <summary>The count stopped at a cap: there are more than <see cref="TotalItems"/>.</summary>
    public bool HasMoreTotalItems { get; init; }
}

/// <summary>A request the query cannot answer as asked (an unknown sort field, a cursor from another sort); the API reports 400.</summary>
public sealed class SearchArgumentException(string message) : Exception(message);

/// <summary>
/// Whose tasks a caller may see: tasks assigned to the user, or offered to the user or to one of the groups.
/// <see cref="Everything"/> (null) is for callers who see all (administrators).
/// </summary>
public sealed record TaskVisibility(string UserName, IReadOnlyList<string> Groups)
{
    public static readonly TaskVisibility? Everything;
}
