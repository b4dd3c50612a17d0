namespace WorkflowOrders.Persistence.Entities;

// Stored as upper-case text (ACTIVE, COMPLETED …) so the rows read the same as Camunda's REST API and in psql.

public enum ProcessInstanceState
{
    Active,
    Completed,
    Terminated,
}

public enum UserTaskState
{
    Created,
    Completed,
    Canceled,
}

public enum IncidentState
{
    Active,
    Resolved,
}

/// <summary>Values of <see cref="UserTaskCandidateRow.Kind"/>.</summary>
public static class CandidateKinds
{
    public const string Group = "group";
    public const string User = "user";
}
