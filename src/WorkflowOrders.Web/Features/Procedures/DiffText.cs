using Microsoft.Extensions.Localization;
using WorkflowOrders.Engine.Bpmn;

namespace WorkflowOrders.Web.Features.Procedures;

/// <summary>Labels of <see cref="ProcessDiff"/> properties in the UI language.</summary>
public static class DiffText
{
    private static readonly (string Prefix, string Key)[] Prefixed =
    [
        (ProcessDiffKeys.PropertyPrefix, "Prop.Property"),
        (ProcessDiffKeys.HeaderPrefix, "Prop.Header"),
        (ProcessDiffKeys.InputPrefix, "Prop.Input"),
        (ProcessDiffKeys.OutputPrefix, "Prop.Output"),
    ];

    public static string PropertyLabel(IStringLocalizer text, string property)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(property);
        foreach (var (prefix, key) in Prefixed)
        {
            if (property.StartsWith(prefix, StringComparison.Ordinal))
            {
                return text[key, property[prefix.Length..]];
            }
        }

        var label = text["Prop." + property];
        return label.ResourceNotFound ? property : label.Value;
    }
}
