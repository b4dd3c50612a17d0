namespace WorkflowOrders.Web.People;

/// <summary>
/// Role keys: the positions of procedures.md §1 plus <c>process-owner</c> (deploys procedure versions) and
/// <c>admin</c> (manages users, departments, calendars). A user task's candidate group is one of these keys.
/// </summary>
public static class Roles
{
    public const string Sales = "sales";
    public const string Merchandiser = "merchandiser";
    public const string Technical = "technical";
    public const string Planning = "planning";
    public const string Purchasing = "purchasing";
    public const string Quality = "quality";
    public const string Warehouse = "warehouse";
    public const string Finance = "finance";
    public const string DeptManager = "dept-manager";
    public const string Director = "director";
    public const string Gm = "gm";
    public const string ProcessOwner = "process-owner";
    public const string Admin = "admin";

    /// <summary>Every role in display order, with its names in zh-CN and en.</summary>
    public static IReadOnlyList<RoleInfo> All { get; } =
    [
        new(Sales, "销售", "Sales"),
        new(Merchandiser, "跟单员", "Merchandiser"),
        new(Technical, "技术", "Technical"),
        new(Planning, "计划物控", "Planning (PMC)"),
        new(Purchasing, "采购", "Purchasing"),
        new(Quality, "品质", "Quality"),
        new(Warehouse, "储运", "Warehouse & logistics"),
        new(Finance, "财务", "Finance"),
        new(DeptManager, "部门经理", "Department manager"),
        new(Director, "总监", "Director"),
        new(Gm, "总经理", "General manager"),
        new(ProcessOwner, "流程负责人", "Process owner"),
        new(Admin, "系统管理员", "Administrator"),
    ];

    /// <summary>Roles that manage people and see overdue work of others (escalation levels).</summary>
    public static IReadOnlyList<string> Managers { get; } = [DeptManager, Director, Gm];

    public static bool IsKnown(string key) => All.Any(r => r.Key == key);

    public static RoleInfo? Find(string key) => All.FirstOrDefault(r => r.Key == key);

    /// <summary>The role's name in the culture (zh… → Chinese, otherwise English); an unknown key is shown as it is.</summary>
    public static string DisplayName(string key, string culture) => Find(key)?.NameFor(culture) ?? key;
}

/// <summary>A role key with its display names.</summary>
public sealed record RoleInfo(string Key, string NameZh, string NameEn)
{
    public string NameFor(string culture) =>
        culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? NameZh : NameEn;
}
