using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Persistence.Tests.Support;

/// <summary>A fresh database for one test: its own PostgreSQL database on the shared cluster, or a temp SQLite file.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _sqliteFile;

    private TestDatabase(PersistenceOptions options, string? sqliteFile)
    {
        Options = options;
        Factory = new WorkflowDbContextFactory(options);
        _sqliteFile = sqliteFile;
    }

    public PersistenceOptions Options { get; }

    public WorkflowDbContextFactory Factory { get; }

    public bool IsSqlite => Options.Provider == DatabaseProvider.Sqlite;

    public static async Task<TestDatabase> CreatePostgresAsync(PostgresCluster cluster, bool migrate = true)
    {
        var connectionString = await cluster.CreateDatabaseAsync("wf");
        return await ReadyAsync(new TestDatabase(PersistenceOptions.UsePostgres(connectionString), null), migrate);
    }

    public static async Task<TestDatabase> CreateSqliteAsync(bool migrate = true)
    {
        var file = Path.Combine(Path.GetTempPath(), $"workflow-test-{Guid.NewGuid():N}.db");
        // Default Timeout=30 s is how long a writer waits for SQLite's single write lock.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = true }.ConnectionString;
        return await ReadyAsync(new TestDatabase(PersistenceOptions.UseSqlite(connectionString), file), migrate);
    }

    public WorkflowDbContext CreateContext() => Factory.CreateDbContext();

    /// <summary>Runs plain SQL (test tables, rigging rows) outside any context the test holds.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var db = CreateContext();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqliteFile is null)
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(Options.ConnectionString));
            return;
        }

        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_sqliteFile + suffix);
        }
    }

    private static async Task<TestDatabase> ReadyAsync(TestDatabase database, bool migrate)
    {
        if (migrate)
        {
            await database.Factory.MigrateAsync();
        }

        return database;
    }
}
