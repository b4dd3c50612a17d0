namespace WorkflowOrders.Web.People;

/// <summary>A department (销售部 Sales …); its manager is the first escalation level.</summary>
public sealed class Department
{
    /// <summary>Stable key, e.g. <c>sales</c>.</summary>
    public required string Key { get; set; }

    public required string NameZh { get; set; }

    public required string NameEn { get; set; }

    public string? ManagerUserId { get; set; }

    public string NameFor(string culture) =>
        culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? NameZh : NameEn;
}
