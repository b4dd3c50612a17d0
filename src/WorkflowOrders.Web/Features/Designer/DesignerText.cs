namespace WorkflowOrders.Web.Features.Designer;

/// <summary>
/// Marker of the designer's text: Resources/Features/Designer/DesignerText.resx (English) and DesignerText.zh-CN.resx;
/// a test checks both have the same keys. The modeler's own labels are translated in Frontend/designer-zh.js.
/// </summary>
public sealed class DesignerText;
