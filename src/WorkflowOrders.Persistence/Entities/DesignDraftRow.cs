namespace WorkflowOrders.Persistence.Entities;

/// <summary>
/// Work in progress of a process owner: a process definition (kind "process", keyed by BPMN process id) or a task form
/// (kind "form", keyed by form id) saved from the designer or the form editor but not yet deployed. At most one draft
/// per resource; deploying removes it. Deployed versions live in process_definitions and forms, never here.
/// </summary>
public sealed class DesignDraftRow
{
    /// <summary>"process" or "form" (<see cref="DesignDraftKinds"/>).</summary>
    public required string Kind { get; set; }
    /// <summary>The BPMN process id or the form id.</summary>
    public required string ResourceId { get; set; }
    /// <summary>BPMN XML or Camunda Forms JSON, as the editor produced it.</summary>
    public required string Content { get; set; }
    /// <summary>The deployed version the draft was started from; null for a resource never deployed.</summary>
    public int? BasedOnVersion { get; set; }
    public DateTimeOffset SavedAt { get; set; }
    public required string SavedBy { get; set; }
}

public static class DesignDraftKinds
{
    public const string Process = "process";
    public const string Form = "form";
}
