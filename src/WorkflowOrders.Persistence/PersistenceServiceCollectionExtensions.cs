using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WorkflowOrders.Persistence.Health;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Keys;

namespace WorkflowOrders.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// The database, key allocator, job executor (as a hosted service) and its health check. Job handlers are
    /// registered as <see cref="IJobHandler"/> singletons by the projects that own them. Migrate at start-up with
    /// <see cref="WorkflowDbContextFactory.MigrateAsync"/> before the host starts.
    /// </summary>
    public static IServiceCollection AddWorkflowPersistence(
        this IServiceCollection services,
        PersistenceOptions persistence,
        Action<JobExecutorOptions>? configureJobs = null)
    {
        var jobOptions = new JobExecutorOptions();
        configureJobs?.Invoke(jobOptions);
        if (persistence.Provider == DatabaseProvider.Sqlite)
        {
            // SQLite has one writer: more workers only queue for its lock.
            jobOptions.WorkerCount = 1;
        }

        var factory = new WorkflowDbContextFactory(persistence);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(persistence);
        services.AddSingleton(factory);
        services.AddSingleton<IDbContextFactory<WorkflowDbContext>>(factory);
        services.AddSingleton<KeyAllocator>();
        services.AddSingleton(jobOptions);
        services.AddSingleton<JobExecutor>();
        services.AddSingleton<JobExecutorService>();
        services.AddHostedService(sp => sp.GetRequiredService<JobExecutorService>());
        services.AddSingleton<WorkflowDatabaseHealthCheck>();
        return services;
    }
}
