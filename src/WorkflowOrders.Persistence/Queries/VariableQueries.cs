using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence.Engine;

namespace WorkflowOrders.Persistence.Queries;

/// <summary>The variable search's filter (camunda-rest-v2.md §7).</summary>
public sealed class VariableFilter
{
    public StringFilter? Name { get; init; }

    /// <summary>Matched against the value's JSON text.</summary>
    public StringFilter? Value { get; init; }

    public NumberFilter? VariableKey { get; init; }
    public NumberFilter? ScopeKey { get; init; }
    public NumberFilter? ProcessInstanceKey { get; init; }
    public StringFilter? TenantId { get; init; }
    public bool? IsTruncated { get; init; }
}

/// <summary>A variable as the API shows it: the value is JSON text, cut to <see cref="VariableQueries.TruncateAt"/> characters in searches.</summary>
public sealed record VariableItem(long VariableKey, string Name, string Value, bool IsTruncated, long ScopeKey, long ProcessInstanceKey);

/// <summary>
/// Variables live inside the instance document (root variables and element-local ones), not in rows of their own;
/// a search reads the documents of the instances it may look at and filters in memory. A variable's key is derived
/// from its scope and name, so it is stable for as long as the variable exists.
/// </summary>
public sealed class VariableQueries(WorkflowDbContextFactory contexts)
{
    /// <summary>Longer values are cut in search results (Camunda's default threshold).</summary>
    public const int TruncateAt = 8191;

    private static readonly Dictionary<string, Func<VariableItem, IComparable?>> Sortable = new(StringComparer.Ordinal)
    {
        ["name"] = v => v.Name,
        ["value"] = v => v.Value,
        ["variableKey"] = v => v.VariableKey,
        ["scopeKey"] = v => v.ScopeKey,
        ["processInstanceKey"] = v => v.ProcessInstanceKey,
        ["tenantId"] = _ => null,
    };

    public async Task<SearchPage<VariableItem>> SearchAsync(VariableFilter filter, TaskVisibility? visibility, IReadOnlyList<SortOrder> sort, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(sort);
        ArgumentNullException.ThrowIfNull(page);
        foreach (var order in sort)
        {
            if (!Sortable.ContainsKey(order.Field))
            {
                throw new SearchArgumentException($"Cannot sort by '{order.Field}'; sortable fields are: {string.Join(", ", Sortable.Keys)}.");
            }
        }

        if (filter.TenantId is not null && !filter.TenantId.Matches(UserTaskQueries.DefaultTenant))
        {
            return new SearchPage<VariableItem>([], 0, null, null);
        }

        var all = new List<VariableItem>();
        foreach (var (key, json) in await LoadDocumentsAsync(filter.ProcessInstanceKey, visibility, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in Flatten(key, json))
            {
                var full = item.Value;
                var truncated = full.Length > TruncateAt;
                var shown = item with { Value = truncated ? full[..TruncateAt] : full, IsTruncated = truncated };
                if ((filter.Name?.Matches(item.Name) ?? true)
                    && (filter.Value?.Matches(full) ?? true)
                    && (filter.VariableKey?.Matches(item.VariableKey) ?? true)
                    && (filter.ScopeKey?.Matches(item.ScopeKey) ?? true)
                    && (filter.IsTruncated is null || filter.IsTruncated == truncated))
                {
                    all.Add(shown);
                }
            }
        }

        IOrderedEnumerable<VariableItem> ordered = all.OrderBy(_ => 0);
        foreach (var order in sort)
        {
            var read = Sortable[order.Field];
            ordered = order.Descending ? ordered.ThenByDescending(read) : ordered.ThenBy(read);
        }

        var list = ordered.ThenBy(v => v.VariableKey).ToList();
        var signature = string.Join(',', sort.Select(s => s.Field + (s.Descending ? "-" : "+")));
        int start;
        int count = page.Limit;
        if (page.After is not null)
        {
            start = DecodeOffset(page.After, signature) + 1;
        }
        else if (page.Before is not null)
        {
            var end = DecodeOffset(page.Before, signature);
            start = Math.Max(0, end - page.Limit);
            count = end - start;
        }
        else
        {
            start = page.From;
        }

        var items = list.Skip(start).Take(count).ToList();
        return new SearchPage<VariableItem>(items, list.Count,
            items.Count == 0 ? null : EncodeOffset(start, signature),
            items.Count == 0 ? null : EncodeOffset(start + items.Count - 1, signature));
    }

    /// <summary>One variable with its full value, or null; <paramref name="visibility"/> limits the instances read.</summary>
    public async Task<VariableItem?> FindAsync(long variableKey, TaskVisibility? visibility, CancellationToken cancellationToken = default)
    {
        foreach (var (key, json) in await LoadDocumentsAsync(null, visibility, cancellationToken).ConfigureAwait(false))
        {
            var found = Flatten(key, json).FirstOrDefault(v => v.VariableKey == variableKey);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    private async Task<List<(long Key, string Json)>> LoadDocumentsAsync(NumberFilter? instanceKey, TaskVisibility? visibility, CancellationToken cancellationToken)
    {
        var db = contexts.CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            var query = db.ProcessInstances.AsNoTracking();
            if (visibility is not null)
            {
                query = ProcessQueries.VisibleTo(db, query, visibility);
            }

            var rows = await query.Filter(i => i.Key, instanceKey).OrderBy(i => i.Key)
                .Select(i => new { i.Key, i.StateJson }).ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(r => (r.Key, r.StateJson))];
        }
    }

    private static IEnumerable<VariableItem> Flatten(long instanceKey, string stateJson)
    {
        var state = InstanceJson.Read(stateJson);
        foreach (var (name, value) in state.Variables)
        {
            yield return Item(instanceKey, instanceKey, name, value);
        }

        foreach (var element in state.Elements)
        {
            foreach (var (name, value) in element.Local ?? [])
            {
                yield return Item(element.Key, instanceKey, name, value);
            }
        }
    }

    private static VariableItem Item(long scopeKey, long instanceKey, string name, JsonNode? value) =>
        new(KeyOf(scopeKey, name), name, value?.ToJsonString() ?? "null", false, scopeKey, instanceKey);

    /// <summary>A positive 63-bit key from scope and name: stable, and the same on every node.</summary>
    public static long KeyOf(long scopeKey, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(scopeKey.ToString(CultureInfo.InvariantCulture) + "/" + name));
        return BitConverter.ToInt64(hash, 0) & long.MaxValue;
    }

    private static string EncodeOffset(int offset, string signature) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["s"] = signature, ["o"] = offset }.ToJsonString()));

    private static int DecodeOffset(string cursor, string signature)
    {
        try
        {
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)));
            if (node?["s"]?.GetValue<string>() == signature && node["o"] is JsonValue o && o.GetValue<int>() >= 0)
            {
                return o.GetValue<int>();
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            // reported below
        }

        throw new SearchArgumentException("The page cursor is not one this API issued for this sort order.");
    }
}
