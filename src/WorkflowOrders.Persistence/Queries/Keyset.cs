using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace WorkflowOrders.Persistence.Queries;

/// <summary>A column a search can sort on, by its API name.</summary>
public sealed class SortKey<T>
{
    public required string Name { get; init; }

    /// <summary>The column: <c>T → DateTimeOffset(?)</c>, <c>long(?)</c>, <c>int(?)</c> or <c>string?</c>.</summary>
    public required LambdaExpression Column { get; init; }

    public bool Nullable => Column.ReturnType == typeof(string) || System.Nullable.GetUnderlyingType(Column.ReturnType) is not null;

    /// <summary>Reads the column's value from a loaded row (for the cursor of the first and last item).</summary>
    public required Func<T, object?> Read { get; init; }
}

public static class SortKey
{
    /// <summary>Write the lambda's parameter type (<c>(UserTaskRow t) =&gt; t.DueDate</c>) so both types are inferred.</summary>
    public static SortKey<T> Of<T, TValue>(string name, Expression<Func<T, TValue>> column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var compiled = column.Compile();
        return new SortKey<T> { Name = name, Column = column, Read = row => compiled(row) };
    }
}

/// <summary>
/// Sorting and paging for the searches: offset pages (from/limit) and keyset pages (after/before an opaque cursor).
/// A cursor holds the sort values of an item plus its key, so the next page is a range condition the indexes serve,
/// not an OFFSET that reads and drops every earlier row. NULL sorts as the largest value on both databases
/// (PostgreSQL's own rule; on SQLite an extra IS NULL term orders it so).
/// </summary>
internal static class Keyset
{
    public static async Task<SearchPage<T>> PageAsync<T>(
        IQueryable<T> filtered,
        IReadOnlyDictionary<string, SortKey<T>> sortable,
        IReadOnlyList<SortOrder> sort,
        SortKey<T> tieBreaker,
        PageRequest page,
        bool sqlite,
        CancellationToken cancellationToken,
        int? totalCap = null)
    {
        var keys = new List<(SortKey<T> Key, bool Descending)>();
        foreach (var order in sort)
        {
            if (!sortable.TryGetValue(order.Field, out var key))
            {
                throw new SearchArgumentException($"Cannot sort by '{order.Field}'; sortable fields are: {string.Join(", ", sortable.Keys)}.");
            }

            if (keys.TrueForAll(k => k.Key.Name != key.Name))
            {
                keys.Add((key, order.Descending));
            }
        }

        if (keys.TrueForAll(k => k.Key.Name != tieBreaker.Name))
        {
            keys.Add((tieBreaker, false));
        }

        var signature = string.Join(',', keys.Select(k => k.Key.Name + (k.Descending ? "-" : "+")));
        var total = totalCap is { } cap
            ? await filtered.Take(cap + 1).LongCountAsync(cancellationToken).ConfigureAwait(false)
            : await filtered.LongCountAsync(cancellationToken).ConfigureAwait(false);
        var capped = totalCap is { } limit && total > limit;

        var query = filtered;
        var backwards = page.Before is not null;
        var direction = keys;
        if (page.After is not null)
        {
            query = query.Where(After(keys, Decode(page.After, signature, keys)));
        }
        else if (page.Before is not null)
        {
            direction = [.. keys.Select(k => (k.Key, !k.Descending))];
            query = query.Where(After(direction, Decode(page.Before, signature, keys)));
        }

        query = Order(query, direction, sqlite);
        if (page.After is null && page.Before is null && page.From > 0)
        {
            query = query.Skip(page.From);
        }

        var items = await query.Take(page.Limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (backwards)
        {
            items.Reverse();
        }

        return new SearchPage<T>(
            items,
            capped ? totalCap!.Value : total,
            items.Count == 0 ? null : Encode(items[0], signature, keys),
            items.Count == 0 ? null : Encode(items[^1], signature, keys))
        {
            HasMoreTotalItems = capped,
        };
    }

    private static IQueryable<T> Order<T>(IQueryable<T> query, List<(SortKey<T> Key, bool Descending)> keys, bool sqlite)
    {
        var first = true;
        foreach (var (key, descending) in keys)
        {
            if (sqlite && key.Nullable)
            {
                // SQLite puts NULL first; (column IS NULL) ahead of the column makes it last (ASC) or first (DESC).
                var p = key.Column.Parameters[0];
                var isNull = Expression.Lambda(Expression.Equal(key.Column.Body, Expression.Constant(null, key.Column.ReturnType)), p);
                query = OrderBy(query, isNull, descending, first);
                first = false;
            }

            query = OrderBy(query, key.Column, descending, first);
            first = false;
        }

        return query;
    }

    private static IOrderedQueryable<T> OrderBy<T>(IQueryable<T> query, LambdaExpression key, bool descending, bool first)
    {
        var method = (first, descending) switch
        {
            (true, false) => nameof(Queryable.OrderBy),
            (true, true) => nameof(Queryable.OrderByDescending),
            (false, false) => nameof(Queryable.ThenBy),
            _ => nameof(Queryable.ThenByDescending),
        };
        var call = Expression.Call(typeof(Queryable), method, [typeof(T), key.ReturnType], query.Expression, Expression.Quote(key));
        return (IOrderedQueryable<T>)query.Provider.CreateQuery<T>(call);
    }

    /// <summary>Rows strictly after the cursor in the given order: (k1 &gt; v1) OR (k1 = v1 AND k2 &gt; v2) OR …</summary>
    private static Expression<Func<T, bool>> After<T>(List<(SortKey<T> Key, bool Descending)> keys, object?[] values)
    {
        var p = Expression.Parameter(typeof(T), "row");
        Expression? any = null;
        Expression? prefix = null;
        for (var i = 0; i < keys.Count; i++)
        {
            var (key, descending) = keys[i];
            var column = QueryExpressions.Rebind(key.Column, p);
            var value = values[i];
            var parameter = value is null ? Expression.Constant(null, column.Type) : QueryExpressions.Param(value, column.Type);

            // NULL is the largest value: nothing follows it ascending; every non-null value follows it descending.
            Expression? beyond = (value, descending) switch
            {
                (null, false) => null,
                (null, true) => Expression.NotEqual(column, Expression.Constant(null, column.Type)),
                (_, false) when key.Nullable => Expression.OrElse(QueryExpressions.GreaterThan(column, parameter), Expression.Equal(column, Expression.Constant(null, column.Type))),
                (_, false) => QueryExpressions.GreaterThan(column, parameter),
                _ => QueryExpressions.LessThan(column, parameter),
            };
            if (beyond is not null)
            {
                var term = prefix is null ? beyond : Expression.AndAlso(prefix, beyond);
                any = any is null ? term : Expression.OrElse(any, term);
            }

            var equal = value is null ? Expression.Equal(column, Expression.Constant(null, column.Type)) : Expression.Equal(column, parameter);
            prefix = prefix is null ? equal : Expression.AndAlso(prefix, equal);
        }

        return Expression.Lambda<Func<T, bool>>(any ?? Expression.Constant(false), p);
    }

    private static string Encode<T>(T item, string signature, List<(SortKey<T> Key, bool Descending)> keys)
    {
        var values = new JsonArray();
        foreach (var (key, _) in keys)
        {
            var value = key.Read(item);
            values.Add(value switch
            {
                null => null,
                DateTimeOffset d => JsonValue.Create(d.UtcTicks),
                string s => JsonValue.Create(s),
                int n => JsonValue.Create((long)n),
                long n => JsonValue.Create(n),
                _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
            });
        }

        var json = new JsonObject { ["s"] = signature, ["v"] = values }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    private static object?[] Decode<T>(string cursor, string signature, List<(SortKey<T> Key, bool Descending)> keys)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new SearchArgumentException("The page cursor is not one this API issued.");
        }

        if (node?["s"]?.GetValueKind() != JsonValueKind.String || node["s"]!.GetValue<string>() != signature || node["v"] is not JsonArray values || values.Count != keys.Count)
        {
            throw new SearchArgumentException("The page cursor belongs to another sort order; send the same sort as the request that returned it.");
        }

        var result = new object?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            var type = Nullable.GetUnderlyingType(keys[i].Key.Column.ReturnType) ?? keys[i].Key.Column.ReturnType;
            var v = values[i];
            try
            {
                // Each branch boxed on its own: a shared conditional type would widen an int to long.
                result[i] = v is null ? null
                    : type == typeof(DateTimeOffset) ? (object)new DateTimeOffset(v.GetValue<long>(), TimeSpan.Zero)
                    : type == typeof(string) ? (object)v.GetValue<string>()
                    : type == typeof(int) ? (object)checked((int)v.GetValue<long>())
                    : type == typeof(long) ? (object)v.GetValue<long>()
                    : throw new SearchArgumentException("The page cursor is not one this API issued.");
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or ArgumentOutOfRangeException)
            {
                throw new SearchArgumentException("The page cursor is not one this API issued.");
            }
        }

        return result;
    }
}
