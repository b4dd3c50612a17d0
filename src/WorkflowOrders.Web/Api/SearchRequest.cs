using System.Text.Json;
using WorkflowOrders.Persistence.Queries;

namespace WorkflowOrders.Web.Api;

/// <summary>The search envelope <c>{filter, sort, page}</c> (camunda-rest-v2.md §0); every part optional.</summary>
public sealed class SearchRequest
{
    private SearchRequest(FilterReader filter, IReadOnlyList<SortOrder> sort, PageRequest page)
    {
        Filter = filter;
        Sort = sort;
        Page = page;
    }

    public FilterReader Filter { get; }

    public IReadOnlyList<SortOrder> Sort { get; }

    public PageRequest Page { get; }

    public static async Task<SearchRequest> ReadAsync(HttpContext context)
    {
        var body = await ApiBody.ReadAsync(context, required: false).ConfigureAwait(false);
        Reject(body, ["filter", "sort", "page"], "");
        var filter = new FilterReader(body.Child("filter") ?? ApiBody.Empty);
        var sort = new List<SortOrder>();
        foreach (var (item, i) in (body.Array("sort") ?? []).Select((e, i) => (e, i)))
        {
            var entry = ApiBody.Of(item, $"sort[{i}]");
            Reject(entry, ["field", "order"], $"sort[{i}]");
            var field = entry.RequiredString("field");
            var order = entry.Text("order")?.ToUpperInvariant() ?? "ASC";
            if (order is not ("ASC" or "DESC"))
            {
                throw ApiProblemException.InvalidArgument($"The field 'sort[{i}].order' must be ASC or DESC, but was \"{entry.Text("order")}\".");
            }

            sort.Add(new SortOrder(field, order == "DESC"));
        }

        return new SearchRequest(filter, sort, ReadPage(body.Child("page")));
    }

    private static PageRequest ReadPage(ApiBody? page)
    {
        if (page is null)
        {
            return new PageRequest();
        }

        Reject(page, ["from", "limit", "after", "before"], "page");
        var limit = page.SmallNumber("limit") ?? PageRequest.DefaultLimit;
        if (limit is < 0 or > PageRequest.MaxLimit)
        {
            throw ApiProblemException.InvalidArgument($"The field 'page.limit' must be between 0 and {PageRequest.MaxLimit}, but was {limit}.");
        }

        var from = page.SmallNumber("from");
        var after = page.Text("after");
        var before = page.Text("before");
        if ((from is not null ? 1 : 0) + (after is not null ? 1 : 0) + (before is not null ? 1 : 0) > 1)
        {
            throw ApiProblemException.InvalidArgument("Use one page form: {from, limit}, {after, limit} or {before, limit}.");
        }

        if (from is < 0)
        {
            throw ApiProblemException.InvalidArgument($"The field 'page.from' must not be negative, but was {from}.");
        }

        return new PageRequest(from ?? 0, limit, after, before);
    }

    /// <summary>Fields this API does not know are refused, so a typo does not silently widen a search.</summary>
    public static void Reject(ApiBody body, IReadOnlyCollection<string> known, string path)
    {
        ArgumentNullException.ThrowIfNull(body);
        foreach (var name in body.Names)
        {
            if (!known.Contains(name))
            {
                throw ApiProblemException.InvalidArgument($"Unknown field '{(path.Length == 0 ? name : $"{path}.{name}")}'; known fields are: {string.Join(", ", known)}.");
            }
        }
    }
}

/// <summary>Reads filter fields as plain values or operator objects; fields left unread at <see cref="Done"/> are refused.</summary>
public sealed class FilterReader(ApiBody filter)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public ApiBody Body { get; } = filter;

    public StringFilter? Text(string name)
    {
        var value = Take(name);
        if (value is not { } v)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.String)
        {
            return StringFilter.Equal(v.GetString()!);
        }

        var ops = Operators(name, v, "a string", ["$eq", "$neq", "$in", "$notIn", "$like", "$exists"]);
        return new StringFilter
        {
            Eq = ops.Text("$eq"),
            Neq = ops.Text("$neq"),
            In = ops.StringArray("$in"),
            NotIn = ops.StringArray("$notIn"),
            Like = ops.Text("$like"),
            Exists = ops.Bool("$exists"),
        };
    }

    /// <summary>A key field: a key (string of digits, or a number) or operators over keys.</summary>
    public NumberFilter? Key(string name) => ReadNumber(name, isKey: true);

    public NumberFilter? Number(string name) => ReadNumber(name, isKey: false);

    private NumberFilter? ReadNumber(string name, bool isKey)
    {
        var value = Take(name);
        if (value is not { } v)
        {
            return null;
        }

        var field = Body.FieldName(name);
        long Read(JsonElement e, string path) => isKey ? ApiJson.ReadKey(e, path)
            : e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n) ? n
            : throw ApiProblemException.InvalidArgument($"The field '{path}' must be an integer, but was {ApiJson.Describe(e)}.");

        if (v.ValueKind != JsonValueKind.Object)
        {
            return NumberFilter.Equal(Read(v, field));
        }

        var ops = Operators(name, v, isKey ? "a key" : "an integer", ["$eq", "$neq", "$in", "$notIn", "$exists", "$gt", "$gte", "$lt", "$lte"]);
        long? One(string op) => ops.Get(op) is { } e ? Read(e, $"{field}.{op}") : null;
        IReadOnlyList<long>? Many(string op) => ops.Array(op)?.Select((e, i) => Read(e, $"{field}.{op}[{i}]")).ToList();
        return new NumberFilter
        {
            Eq = One("$eq"),
            Neq = One("$neq"),
            In = Many("$in"),
            NotIn = Many("$notIn"),
            Exists = ops.Bool("$exists"),
            Gt = One("$gt"),
            Gte = One("$gte"),
            Lt = One("$lt"),
            Lte = One("$lte"),
        };
    }

    public DateFilter? Date(string name)
    {
        var value = Take(name);
        if (value is not { } v)
        {
            return null;
        }

        var field = Body.FieldName(name);
        if (v.ValueKind == JsonValueKind.String)
        {
            return new DateFilter { Eq = ApiJson.ReadDate(v, field) };
        }

        var ops = Operators(name, v, "a date-time", ["$eq", "$neq", "$exists", "$gt", "$gte", "$lt", "$lte"]);
        DateTimeOffset? One(string op) => ops.Get(op) is { } e ? ApiJson.ReadDate(e, $"{field}.{op}") : null;
        return new DateFilter
        {
            Eq = One("$eq"),
            Neq = One("$neq"),
            Exists = ops.Bool("$exists"),
            Gt = One("$gt"),
            Gte = One("$gte"),
            Lt = One("$lt"),
            Lte = One("$lte"),
        };
    }

    public bool? Bool(string name)
    {
        _read.Add(name);
        return Body.Bool(name);
    }

    /// <summary>Fields of Camunda's filter this server cannot apply: refused with a plain reason rather than ignored.</summary>
    public void Unsupported(params string[] names)
    {
        foreach (var name in names)
        {
            if (Body.Has(name))
            {
                throw ApiProblemException.InvalidArgument($"The filter field '{Body.FieldName(name)}' is not supported by WorkflowOrders.");
            }

            _read.Add(name);
        }
    }

    public void Done()
    {
        SearchRequest.Reject(Body, _read, Body.Path);
    }

    public void MarkRead(string name) => _read.Add(name);

    private JsonElement? Take(string name)
    {
        _read.Add(name);
        return Body.Get(name);
    }

    private ApiBody Operators(string name, JsonElement value, string expected, string[] allowed)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw ApiProblemException.InvalidArgument($"The field '{Body.FieldName(name)}' must be {expected} or an operator object, but was {ApiJson.Describe(value)}.");
        }

        var ops = ApiBody.Of(value, Body.FieldName(name));
        foreach (var op in ops.Names)
        {
            if (!allowed.Contains(op))
            {
                throw ApiProblemException.InvalidArgument($"The operator '{op}' is not allowed on '{Body.FieldName(name)}'; use one of {string.Join(", ", allowed)}.");
            }
        }

        return ops;
    }
}

/// <summary>The page part of a search response.</summary>
public sealed record SearchPageInfo(long TotalItems, string? StartCursor, string? EndCursor, bool HasMoreTotalItems);

public sealed record SearchResponse<T>(IReadOnlyList<T> Items, SearchPageInfo Page);

public static class SearchResponse
{
    public static SearchResponse<T> From<TRow, T>(SearchPage<TRow> page, Func<TRow, T> map)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(map);
        return new([.. page.Items.Select(map)], new SearchPageInfo(page.TotalItems, page.StartCursor, page.EndCursor, page.HasMoreTotalItems));
    }
}
