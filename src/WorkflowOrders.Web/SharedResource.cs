namespace WorkflowOrders.Web;

/// <summary>
/// Marker of the shared UI text: Resources/SharedResource.resx (English) and Resources/SharedResource.zh-CN.resx.
/// Views get it as <c>T</c> (Features/_ViewImports.cshtml); a test checks both files have the same keys.
/// </summary>
public sealed class SharedResource;
