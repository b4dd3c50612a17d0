namespace WorkflowOrders.Web.People;

/// <summary>
/// The demo company of the embedded default (WorkflowOrders:DemoData): every department, its manager, the GM, a
/// director, reviewers for each review role, a merchandiser, a process owner and an admin — all with <see cref="Password"/>.
/// </summary>
public static class DemoCompany
{
    /// <summary>The one password of every demo user; stated in the README for demo mode only.</summary>
    public const string Password = "Demo123!";

    public static IReadOnlyList<Department> Departments { get; } =
    [
        new() { Key = "sales", NameZh = "销售部", NameEn = "Sales" },
        new() { Key = "technical", NameZh = "技术部", NameEn = "Technical" },
        new() { Key = "planning", NameZh = "计划物控部", NameEn = "Planning" },
        new() { Key = "purchasing", NameZh = "采购部", NameEn = "Purchasing" },
        new() { Key = "quality", NameZh = "品质部", NameEn = "Quality" },
        new() { Key = "warehouse", NameZh = "储运部", NameEn = "Warehouse" },
        new() { Key = "finance", NameZh = "财务部", NameEn = "Finance" },
        new() { Key = "gm-office", NameZh = "总经办", NameEn = "General management" },
    ];

    /// <summary>User name, display name, department, roles, and whether they manage their department.</summary>
    public static IReadOnlyList<DemoUser> Users { get; } =
    [
        new("wang.jianguo", "王建国", "gm-office", [Roles.Gm], Manages: true),
        new("zhao.min", "赵敏", "gm-office", [Roles.Director]),
        new("admin", "系统管理员", "gm-office", [Roles.Admin]),
        new("liu.yang", "刘洋", "sales", [Roles.Sales, Roles.DeptManager], Manages: true),
        new("zhang.wei", "张伟", "sales", [Roles.Sales]),
        new("chen.jing", "陈静", "sales", [Roles.Merchandiser]),
        new("sun.lei", "孙磊", "technical", [Roles.Technical, Roles.DeptManager], Manages: true),
        new("zhou.jie", "周杰", "technical", [Roles.Technical]),
        new("wu.hao", "吴昊", "planning", [Roles.Planning, Roles.DeptManager], Manages: true),
        new("zheng.li", "郑丽", "planning", [Roles.Planning]),
        new("feng.tao", "冯涛", "purchasing", [Roles.Purchasing, Roles.DeptManager], Manages: true),
        new("he.xin", "何欣", "purchasing", [Roles.Purchasing]),
        new("lin.fang", "林芳", "quality", [Roles.Quality, Roles.DeptManager], Manages: true),
        new("huang.qiang", "黄强", "quality", [Roles.Quality]),
        new("gao.yan", "高燕", "quality", [Roles.Quality, Roles.ProcessOwner]),
        new("xu.gang", "徐刚", "warehouse", [Roles.Warehouse, Roles.DeptManager], Manages: true),
        new("ma.jun", "马军", "warehouse", [Roles.Warehouse]),
        new("zhu.hong", "朱红", "finance", [Roles.Finance, Roles.DeptManager], Manages: true),
        new("hu.yun", "胡云", "finance", [Roles.Finance]),
    ];
}

public sealed record DemoUser(string UserName, string DisplayName, string Department, IReadOnlyList<string> Roles, bool Manages = false);
