using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

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
            DatabaseProvider.Postgres => builder.UseNpgsql(WithPostgresDefaults(ConnectionString)),
            DatabaseProvider.Sqlite => builder.UseSqlite(ConnectionString),
            _ => throw new InvalidOperationException($"Unknown database provider '{Provider}'."),
        };
        // The migrations are hand-written and there is no model snapshot to compare with (EF Design cannot be
        // restored here); a test checks instead that every mapped table, column and index exists after migrating.
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        return builder;
    }

    /// <summary>
    /// The product's PostgreSQL connection defaults, where the connection string leaves them at Npgsql's own:
    /// <c>Max Auto Prepare=20</c> (every command repeats the same dozen statements; prepared, PostgreSQL skips parsing
    /// and planning them) and <c>No Reset On Close=true</c> (no session reset each time a pooled connection is
    /// returned; nothing here sets session state, and every unit of work ends its transaction before closing).
    /// </summary>
    public static string WithPostgresDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = given.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!keys.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 20;
        }

        if (!keys.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    public DbContextOptions<WorkflowDbContext> BuildContextOptions() =>
        (DbContextOptions<WorkflowDbContext>)Apply(new DbContextOptionsBuilder<WorkflowDbContext>()).Options;

    public WorkflowDbContext CreateContext() => new(BuildContextOptions());
}
