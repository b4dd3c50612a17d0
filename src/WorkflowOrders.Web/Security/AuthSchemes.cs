namespace WorkflowOrders.Web.Security;

/// <summary>
/// Authentication scheme names. <see cref="Default"/> is a policy scheme that forwards by the Authorization header:
/// <c>Basic …</c> → <see cref="Basic"/>, <c>Bearer …</c> → <see cref="Bearer"/>, none → the Identity cookie. So one
/// <c>[Authorize]</c> serves the UI and the API alike.
/// </summary>
public static class AuthSchemes
{
    public const string Default = "WorkflowOrders";

    /// <summary>The Identity application cookie (<c>IdentityConstants.ApplicationScheme</c>).</summary>
    public const string Cookie = "Identity.Application";

    public const string Basic = "Basic";

    public const string Bearer = "Bearer";
}

/// <summary>Authorization policy names; register them with <c>AddWorkflowOrdersAuthorization</c>.</summary>
public static class Policies
{
    /// <summary>
    /// Edits and deploys procedures (designer, form editor, upload, <c>/v2/deployments</c>): the process-owner role only.
    /// Admins are not let in by their admin role; an admin who edits procedures is given the process-owner role too.
    /// </summary>
    public const string ProcessOwner = "ProcessOwner";

    /// <summary>Manages users, departments and calendars: admin.</summary>
    public const string Admin = "Admin";

    /// <summary>Sees overdue work of others: dept-manager, director, gm or admin.</summary>
    public const string Manager = "Manager";
}
