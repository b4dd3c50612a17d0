namespace WorkflowOrders.Web.Features.Orders;

/// <summary>One labelled input of the order form with its error (a resource key), for the <c>_Field</c> partial.</summary>
public sealed record FieldView(string Field, string Name, string LabelKey, string? Value, string? ErrorKey, bool Required = false, string Type = "text", string ColumnClass = "col-md-4")
{
    public string Id => Name.Replace('.', '_').Replace('[', '_').Replace(']', '_');
}
