using WorkflowOrders.Email;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Web.People;

namespace WorkflowOrders.Web.Hosting;

/// <summary>The outbox sender, its transport, the notify.email task handler and the escalation ladder and the daily digest (docs/email.md).</summary>
public static class MailHosting
{
    public static WebApplicationBuilder AddWorkflowMail(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(MailOptions.Section).Get<MailOptions>() ?? new MailOptions();
        if (!Path.IsPathRooted(options.PickupDirectory))
        {
            options.PickupDirectory = Path.Combine(builder.Environment.ContentRootPath, options.PickupDirectory);
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<IMailTransport, SystemNetMailTransport>();
        builder.Services.AddSingleton<IMailDirectory, PeopleMailDirectory>();
        builder.Services.AddSingleton<IJobHandler, OutboxSendJobHandler>();
        builder.Services.AddSingleton<ITaskHandler, NotifyEmailHandler>();
        builder.Services.AddSingleton(builder.Configuration.GetSection(EscalationOptions.Section).Get<EscalationOptions>() ?? new EscalationOptions());
        builder.Services.AddSingleton<IUserTaskObserver, EscalationLadder>();
        builder.Services.AddSingleton<IJobHandler, EscalationJobHandler>();
        builder.Services.AddSingleton<IJobHandler, DigestJobHandler>();
        return builder;
    }

    /// <summary>Adds the daily digest job when the database has none (every node runs this at start-up).</summary>
    public static async Task InitializeDigestAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var db = app.Services.GetRequiredService<WorkflowDbContextFactory>().CreateDbContext();
        await using (db.ConfigureAwait(false))
        {
            await DigestJobHandler.EnsureScheduledAsync(
                db, app.Services.GetRequiredService<ICalendarProvider>(), app.Services.GetRequiredService<TimeProvider>().GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }
    }
}
