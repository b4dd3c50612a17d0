namespace WorkflowOrders.Email;

/// <summary>A person an email goes to, with the language it is written in (zh-CN or en).</summary>
public sealed record MailRecipient(string UserName, string DisplayName, string Email, string Language, string? DepartmentKey);

/// <summary>
/// Who receives mail: the people model lives in the web application, so the email code asks through this port.
/// Only active users with an email address are returned.
/// </summary>
public interface IMailDirectory
{
    Task<IReadOnlyList<MailRecipient>> UsersInRolesAsync(IReadOnlyCollection<string> roles, CancellationToken cancellationToken);

    /// <summary>A user by user name (the engine's assignee and candidate users are user names).</summary>
    Task<MailRecipient?> UserAsync(string userName, CancellationToken cancellationToken);

    /// <summary>The manager of a department (first escalation level), or null when the department has none.</summary>
    Task<MailRecipient?> ManagerOfDepartmentAsync(string departmentKey, CancellationToken cancellationToken);

    /// <summary>The department a role works in: the department most of the role's active holders belong to (ties: smallest key).</summary>
    Task<string?> DepartmentOfRoleAsync(string role, CancellationToken cancellationToken);
}
