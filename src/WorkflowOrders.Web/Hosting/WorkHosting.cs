using WorkflowOrders.Web.Features.Inbox;
using WorkflowOrders.Web.Features.Instance;
using WorkflowOrders.Web.Features.Tasks;
using WorkflowOrders.Web.Features.Work;
using WorkflowOrders.Web.Forms;

namespace WorkflowOrders.Web.Hosting;

/// <summary>The work screens: inbox, task page with its form, process-instance page; and the demo instances.</summary>
public static class WorkHosting
{
    public static WebApplicationBuilder AddWorkScreens(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<FormSchemaValidator>();
        services.AddSingleton<DueCalculator>();
        services.AddSingleton<InstanceFacts>();
        services.AddScoped<PeopleNames>();
        services.AddScoped<TaskAssignment>();
        services.AddScoped<InboxQuery>();
        services.AddScoped<TaskQuery>();
        services.AddScoped<CompleteTaskCommand>();
        services.AddScoped<InstanceQuery>();
        services.AddSingleton<DemoInstances>();
        return builder;
    }

    /// <summary>With DemoData on and no instance yet, starts a few instances of a review procedure so a demo reviewer sees tasks.</summary>
    public static async Task SeedDemoInstancesAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.Services.GetRequiredService<DemoInstances>().SeedAsync().ConfigureAwait(false);
    }
}
