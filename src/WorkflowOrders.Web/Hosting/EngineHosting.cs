using WorkflowOrders.Engine.Handlers;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Calendars;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Orders;

namespace WorkflowOrders.Web.Hosting;

/// <summary>Wires the database, the engine and the job executor into the host.</summary>
public static class EngineHosting
{
    public static WebApplicationBuilder AddWorkflowEngine(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(WorkflowOrdersOptions.Section);
        builder.Services.Configure<WorkflowOrdersOptions>(section);
        var options = section.Get<WorkflowOrdersOptions>() ?? new WorkflowOrdersOptions();

        var provider = Enum.TryParse<DatabaseProvider>(options.Database.Provider, ignoreCase: true, out var p)
            ? p
            : throw new InvalidOperationException($"WorkflowOrders:Database:Provider '{options.Database.Provider}' is unknown: use Sqlite or Postgres.");
        var persistence = new PersistenceOptions { Provider = provider, ConnectionString = options.Database.ConnectionString };
        if (provider == DatabaseProvider.Sqlite)
        {
            // A relative SQLite file lives under the content root, whatever the working directory.
            persistence.ConnectionString = SqliteUnderContentRoot(persistence.ConnectionString, builder.Environment.ContentRootPath);
        }

        builder.AddWorkflowMail();
        builder.Services.AddWorkflowPersistence(persistence, jobs =>
        {
            jobs.OwnerId = options.NodeName ?? jobs.OwnerId;
            jobs.WorkerCount = options.Jobs.WorkerCount;
            jobs.PollInterval = TimeSpan.FromMilliseconds(options.Jobs.PollIntervalMilliseconds);
            jobs.MinPollInterval = TimeSpan.FromMilliseconds(options.Jobs.MinPollIntervalMilliseconds);
            jobs.BatchSize = options.Jobs.BatchSize;
            jobs.GroupSize = options.Jobs.GroupSize;
            jobs.LeaseDuration = TimeSpan.FromSeconds(options.Jobs.LeaseSeconds);
        });

        var workflows = ResolveWorkflowsDirectory(options.WorkflowsDirectory, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(new WorkflowsFolder(workflows));
        builder.Services.AddSingleton<DbCalendarProvider>();
        builder.Services.AddSingleton<ICalendarProvider>(sp => sp.GetRequiredService<DbCalendarProvider>());
        builder.Services.AddSingleton<EfKeyGenerator>();
        builder.Services.AddSingleton<IKeyGenerator>(sp => sp.GetRequiredService<EfKeyGenerator>());
        builder.Services.AddSingleton<EfWorkflowStore>();
        builder.Services.AddSingleton<IWorkflowStore>(sp => sp.GetRequiredService<EfWorkflowStore>());
        builder.Services.AddSingleton(sp => new EngineServices
        {
            Time = sp.GetRequiredService<TimeProvider>(),
            Keys = sp.GetRequiredService<IKeyGenerator>(),
            Calendars = sp.GetRequiredService<ICalendarProvider>(),
        });
        builder.Services.AddSingleton<WorkflowEngine>();
        builder.Services.AddSingleton<WorkflowRuntime>();
        builder.Services.AddSingleton<IJobHandler, TimerJobHandler>();
        builder.Services.AddSingleton<IJobHandler, ServiceTaskJobHandler>();
        builder.Services.AddSingleton<ITaskHandler, PublishMessageHandler>();
        builder.Services.AddSingleton<ITaskHandler, SetOrderStatusHandler>();
        builder.Services.AddSingleton<ITaskHandler, ApplyOrderChangeHandler>();
        builder.Services.AddSingleton<ITaskHandler, CancelOrderHandler>();
        builder.Services.AddSingleton<WorkflowsDeployer>();
        builder.Services.AddHealthChecks().AddCheck<WorkflowOrders.Persistence.Health.WorkflowDatabaseHealthCheck>("database");
        return builder;
    }

    /// <summary>Migrates the database, seeds the calendars and deploys the definitions of the workflows folder (a new version only when changed).</summary>
    public static async Task InitializeWorkflowsAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.Services.GetRequiredService<WorkflowDbContextFactory>().MigrateAsync().ConfigureAwait(false);
        app.Services.GetRequiredService<EfKeyGenerator>().Initialize();
        // The files seed only calendars the database lacks; an administrator's edit stays (docs/calendar.md).
        var workflows = app.Services.GetRequiredService<WorkflowsFolder>().Path;
        await app.Services.GetRequiredService<DbCalendarProvider>().SeedAsync(Path.Combine(workflows, "calendars")).ConfigureAwait(false);
        await app.Services.GetRequiredService<WorkflowsDeployer>().DeployFolderAsync().ConfigureAwait(false);
    }

    private static string ResolveWorkflowsDirectory(string configured, string contentRoot)
    {
        var path = Path.IsPathRooted(configured) ? configured : Path.GetFullPath(Path.Combine(contentRoot, configured));
        if (Directory.Exists(path))
        {
            return path;
        }

        // Published or test layouts carry a copy next to the app.
        var beside = Path.Combine(AppContext.BaseDirectory, "workflows");
        return Directory.Exists(beside)
            ? beside
            : throw new DirectoryNotFoundException($"The workflows folder '{path}' does not exist: set WorkflowOrders:WorkflowsDirectory.");
    }

    private static string SqliteUnderContentRoot(string connectionString, string contentRoot)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:")
        {
            builder.DataSource = Path.Combine(contentRoot, builder.DataSource);
        }

        return builder.ConnectionString;
    }
}

/// <summary>Where the definitions, forms, templates and calendars live.</summary>
public sealed record WorkflowsFolder(string Path);
