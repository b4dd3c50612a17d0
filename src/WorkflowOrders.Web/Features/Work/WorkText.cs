namespace WorkflowOrders.Web.Features.Work;

/// <summary>
/// Marker of the text of the work screens (inbox, task page, instance page):
/// Resources/Features/Work/WorkText.resx (English) and WorkText.zh-CN.resx; a test checks both have the same keys.
/// </summary>
public sealed class WorkText;
