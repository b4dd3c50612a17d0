using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Keys;
using WorkflowOrders.Persistence.Tests.Support;

namespace WorkflowOrders.Persistence.Tests.Jobs;

/// <summary>Rigging of job tests: the effect handler and its table, executors on the fake clock, job rows.</summary>
public abstract class JobExecutorTestsBase : DatabaseTestBase, IDisposable
{
    private readonly KeyAllocator _keys = new();

    internal EffectHandler Handler { get; } = new();

    public void Dispose()
    {
        _keys.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override Task OnDatabaseReadyAsync() => Database.ExecuteAsync(EffectHandler.CreateTableSql(Database.IsSqlite));

    internal JobExecutor NewExecutor(string owner, Action<JobExecutorOptions>? configure = null, ListLogger<JobExecutor>? logger = null)
    {
        var options = new JobExecutorOptions { OwnerId = owner, WorkerCount = 1, BatchSize = 50 };
        configure?.Invoke(options);
        return new JobExecutor(Database.Factory, [Handler], options, Clock, _keys, logger);
    }

    protected async Task<long> AddJobAsync(
        string type,
        DateTimeOffset dueAt,
        string kind = EffectHandler.TestKind,
        int maxAttempts = 0,
        long? instanceKey = null,
        string? leaseOwner = null,
        DateTimeOffset? leaseUntil = null)
    {
        await using var db = CreateContext();
        var job = new JobRow
        {
            Kind = kind, Type = type, DueAt = dueAt, MaxAttempts = maxAttempts, InstanceKey = instanceKey,
            LeaseOwner = leaseOwner, LeaseUntil = leaseUntil, CreatedAt = Clock.GetUtcNow(),
        };
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }

    protected async Task<JobRow?> FindJobAsync(long id)
    {
        await using var db = CreateContext();
        return await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id);
    }

    protected async Task<List<(long JobId, string Owner)>> EffectsAsync()
    {
        await using var db = CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT job_id, owner FROM test_effects ORDER BY seq";
        await using var reader = await command.ExecuteReaderAsync();
        var effects = new List<(long, string)>();
        while (await reader.ReadAsync())
        {
            effects.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return effects;
    }

    protected async Task AddInstanceAsync(long key)
    {
        await using var db = CreateContext();
        db.ProcessInstances.Add(new ProcessInstanceRow
        {
            Key = key, DefinitionKey = 1, BpmnProcessId = "order-review", DefinitionVersion = 1, State = ProcessInstanceState.Active,
            StateJson = "{}", StartedAt = Clock.GetUtcNow(),
        });
        await db.SaveChangesAsync();
    }
}

