using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WorkflowOrders.Persistence;

public enum DatabaseProvider
{
    /// <summary>The zero-setup embedded default: one file, one node.</summary>
    Sqlite,
    /// <summary>Production and CI; required for more than one node.</summary>
    Postgres,
}

/// <summary>Which database the runtime uses (configuration section <c>Persistence</c>).</summary>
public sealed class PersistenceOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    public string ConnectionString { get; set; } = "Data Source=data/workflow.db";

    public static PersistenceOptions UsePostgres(string connectionString) =>
        new() { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString };

    public static PersistenceOptions UseSqlite(string connectionString) =>
        new() { Provider = DatabaseProvider.Sqlite, ConnectionString = connectionString };

    /// <summary>Applies the provider to an options builder (for <c>AddDbContextFactory</c> and tests alike).</summary>
    public DbContextOptionsBuilder Apply(DbContextOptionsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        _ = Provider switch
        {
            DatabaseProvider.Postgres => builder.UseNpgsql(ConnectionString),
            DatabaseProvider.Sqlite => builder.UseSqlite(ConnectionString),
            _ => throw new InvalidOperationException($"Unknown database provider '{Provider}'."),
        };
        // The migrations are hand-written and there is no model snapshot to compare with (EF Design cannot be
        // restored here); a test checks instead that every mapped table, column and index exists after migrating.
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        return builder;
    }

    public DbContextOptions<WorkflowDbContext> BuildContextOptions() =>
        (DbContextOptions<WorkflowDbContext>)Apply(new DbContextOptionsBuilder<WorkflowDbContext>()).Options;

    public WorkflowDbContext CreateContext() => new(BuildContextOptions());
}
