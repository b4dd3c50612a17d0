namespace WorkflowOrders.Web.Features.Orders;

/// <summary>Resource keys made from a value (a status, a payment term, a process id): <c>Orders.Status.in-review</c>.</summary>
public static class OrderText
{
    public static string Key(string prefix, string value) => $"{prefix}.{value}";
}
