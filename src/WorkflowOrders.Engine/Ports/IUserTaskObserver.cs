using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Engine.Ports;

/// <summary>
/// Told when a user task is created, assigned or ends, inside the unit of work that changes it: what an observer
/// writes through <paramref name="unitOfWork"/> commits with the task or not at all (escalation jobs, emails).
/// </summary>
public interface IUserTaskObserver
{
    /// <param name="instance">The task's instance as the command holds it (new instances are not saved yet); null when not loaded.</param>
    ValueTask OnCreatedAsync(UserTaskRecord task, InstanceState? instance, IWorkflowUnitOfWork unitOfWork);

    ValueTask OnAssignedAsync(UserTaskRecord task, string? previousAssignee, IWorkflowUnitOfWork unitOfWork);

    ValueTask OnEndedAsync(UserTaskRecord task, IWorkflowUnitOfWork unitOfWork);
}
