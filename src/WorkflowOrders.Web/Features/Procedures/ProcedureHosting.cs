using WorkflowOrders.Web.People;

namespace WorkflowOrders.Web.Features.Procedures;

/// <summary>The procedures screens' part of the host: their services and who may read them.</summary>
public static class ProcedureHosting
{
    /// <summary>
    /// Reads the procedures page, versions, diffs and diagrams: process owners (who change procedures), admins, and
    /// managers (who answer for the work the procedures route). Changing anything needs <c>Policies.ProcessOwner</c>,
    /// which admits the process-owner role only.
    /// </summary>
    public const string ReaderPolicy = "ProcedureReader";

    public static WebApplicationBuilder AddProcedures(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<ProceduresQuery>();
        builder.Services.AddScoped<ProcedureUpload>();
        builder.Services.AddScoped<FormDrafts>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ReaderPolicy, p => p.RequireRole(Roles.ProcessOwner, Roles.Admin, Roles.DeptManager, Roles.Director, Roles.Gm));
        return builder;
    }
}

/// <summary>
/// Marker of the procedures screens' text: Resources/Features/Procedures/ProcedureText.resx (English) and
/// ProcedureText.zh-CN.resx; a test checks both have the same keys.
/// </summary>
public sealed class ProcedureText;
