namespace WorkflowOrders.Email;

/// <summary>The mail templates named by the definitions (docs/procedures.md, <c>notify.email</c>): subject and lead in both languages.</summary>
internal static class NotifyTemplates
{
    public sealed record Template(string SubjectZh, string SubjectEn, string LeadZh, string LeadEn);

    private static readonly Dictionary<string, Template> Templates = new(StringComparer.Ordinal)
    {
        ["order-declined"] = new("订单已拒绝", "Order declined", "订单评审未通过，订单已拒绝。", "The order review did not pass; the order is declined."),
        ["production-order"] = new("生产通知", "Production order", "订单已评审通过，请安排生产。", "The order passed its review; please schedule production."),
        ["delay-warning"] = new("交期预警", "Delivery delay warning", "订单进度落后，交期有风险。", "The order is behind schedule; the delivery date is at risk."),
        ["inspection-notice"] = new("验货通知", "Inspection notice", "订单即将验货，请安排。", "The order's inspection is coming up; please arrange it."),
        ["order-shipped"] = new("订单已发货", "Order shipped", "订单已发货。", "The order has been shipped."),
        ["change-notice"] = new("订单变更通知", "Order change notice", "订单已变更，请按变更执行。", "The order has changed; please follow the change."),
        ["change-rejected"] = new("订单变更被驳回", "Order change rejected", "订单变更申请被驳回，按原订单执行。", "The change request was rejected; the original order stands."),
        ["order-cancelled"] = new("订单已取消", "Order cancelled", "订单已取消，请停止生产和采购。", "The order is cancelled; please stop production and purchasing."),
        ["cancellation-rejected"] = new("订单取消被驳回", "Cancellation rejected", "订单取消申请被驳回，订单继续执行。", "The cancellation was rejected; the order continues."),
    };

    public static Template? Find(string id) => Templates.GetValueOrDefault(id);

    public static IEnumerable<string> Ids => Templates.Keys;
}
