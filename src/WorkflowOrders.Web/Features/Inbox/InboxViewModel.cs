using WorkflowOrders.Web.Features.Work;

namespace WorkflowOrders.Web.Features.Inbox;

/// <summary>Which tasks the inbox lists: the user's own, or those offered to them or their roles.</summary>
public static class InboxViews
{
    public const string Mine = "mine";
    public const string Groups = "groups";

    public static string Normalize(string? view) => view == Groups ? Groups : Mine;
}

/// <summary>The inbox's filters and page, as query string parameters (?view=groups&amp;process=…&amp;order=…&amp;overdue=true&amp;page=2).</summary>
public sealed class InboxFilter
{
    public string? View { get; set; }

    public string? Process { get; set; }

    /// <summary>Order number (the instance's business key); a prefix is enough.</summary>
    public string? Order { get; set; }

    public bool Overdue { get; set; }

    public bool DueToday { get; set; }

    /// <summary>"desc" sorts the latest deadline first; anything else the earliest first (tasks without deadline last).</summary>
    public string? Sort { get; set; }

    public int Page { get; set; } = 1;

    public bool Descending => Sort == "desc";

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Process) || !string.IsNullOrWhiteSpace(Order) || Overdue || DueToday;

    /// <summary>The query string of these filters with some values replaced (links for tabs, sorting and paging).</summary>
    public string With(string? view = null, int? page = null, string? sort = null)
    {
        var values = new List<KeyValuePair<string, string?>>
        {
            new("view", view ?? InboxViews.Normalize(View)),
        };
        if (!string.IsNullOrWhiteSpace(Process))
        {
            values.Add(new("process", Process));
        }

        if (!string.IsNullOrWhiteSpace(Order))
        {
            values.Add(new("order", Order));
        }

        if (Overdue)
        {
            values.Add(new("overdue", "true"));
        }

        if (DueToday)
        {
            values.Add(new("dueToday", "true"));
        }

        var s = sort ?? Sort;
        if (s == "desc")
        {
            values.Add(new("sort", "desc"));
        }

        var p = page ?? 1;
        if (p > 1)
        {
            values.Add(new("page", p.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return Microsoft.AspNetCore.Http.QueryString.Create(values).ToUriComponent();
    }
}

public sealed record ProcessOption(string ProcessId, string Name);

/// <summary>One line of the inbox.</summary>
public sealed record InboxRow(
    long Key,
    string TaskName,
    string ProcessName,
    string? BusinessKey,
    long InstanceKey,
    string? AssigneeUserName,
    string? AssigneeName,
    IReadOnlyList<string> CandidateGroupNames,
    DueInfo Due,
    DateTimeOffset CreatedAt,
    int Priority,
    bool IsMine,
    bool CanClaim,
    bool CanUnclaim,
    bool CanHandOver);

public sealed record InboxPage(
    InboxFilter Filter,
    string View,
    IReadOnlyList<InboxRow> Rows,
    int Total,
    int PageNumber,
    int PageSize,
    int MineCount,
    int GroupsCount,
    IReadOnlyList<ProcessOption> Processes)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public int FirstRow => Total == 0 ? 0 : ((PageNumber - 1) * PageSize) + 1;

    public int LastRow => Math.Min(Total, PageNumber * PageSize);
}
