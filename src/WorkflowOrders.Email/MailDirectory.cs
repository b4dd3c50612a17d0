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
}
