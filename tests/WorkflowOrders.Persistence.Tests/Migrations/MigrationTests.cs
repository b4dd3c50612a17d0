using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Tests.Support;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Persistence.Tests.Migrations;

public abstract class MigrationTests : IAsyncLifetime
{
    private TestDatabase? _database;

    protected TestDatabase Database => _database!;

    public async Task InitializeAsync() => _database = await CreateEmptyDatabaseAsync();

    public async Task DisposeAsync() => await Database.DisposeAsync();

    protected abstract Task<TestDatabase> CreateEmptyDatabaseAsync();

    [Fact]
    public async Task Migrate_EmptyDatabase_CreatesEveryMappedTableColumnAndIndex()
    {
        await Database.Factory.MigrateAsync();

        await using var db = Database.CreateContext();
        var missing = new List<string>();
        var columns = await ReadColumnsAsync(db);
        var indexes = await ReadIndexesAsync(db);
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            foreach (var property in entity.GetProperties())
            {
                if (!columns.Contains((table, property.GetColumnName())))
                {
                    missing.Add($"column {table}.{property.GetColumnName()}");
                }
            }

            foreach (var index in entity.GetIndexes())
            {
                if (!indexes.Contains(index.GetDatabaseName()!))
                {
                    missing.Add($"index {index.GetDatabaseName()}");
                }
            }
        }

        Assert.Empty(missing);
        Assert.Equal(17, db.Model.GetEntityTypes().Count());
    }

    [Fact]
    public async Task Migrate_SecondRun_AppliesNothingAndKeepsRows()
    {
        await Database.Factory.MigrateAsync();
        await using (var db = Database.CreateContext())
        {
            db.AuditEvents.Add(new AuditEventRow { Kind = "probe", At = DateTimeOffset.UnixEpoch });
            await db.SaveChangesAsync();
        }

        await Database.Factory.MigrateAsync();

        await using var check = Database.CreateContext();
        Assert.Equal(1, await check.AuditEvents.CountAsync());
        Assert.Empty(await check.Database.GetPendingMigrationsAsync());
        Assert.Equal(["2026112201_Initial", "2026112202_Orders", "2026112206_Outbox", "2026112207_Calendars", "2026112208_DesignDrafts", "2026112209_OrderDocuments", "2026112210_HotInstanceUpdates", "2026112211_SqliteJobIdSpace"], await check.Database.GetAppliedMigrationsAsync());
    }

    private async Task<HashSet<(string Table, string Column)>> ReadColumnsAsync(WorkflowDbContext db)
    {
        var sql = Database.IsSqlite
            ? "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
            : "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'";
        var result = new HashSet<(string, string)>();
        await foreach (var row in QueryAsync(db, sql))
        {
            result.Add((row.GetString(0), row.GetString(1)));
        }

        return result;
    }

    private async Task<HashSet<string>> ReadIndexesAsync(WorkflowDbContext db)
    {
        var sql = Database.IsSqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'index'"
            : "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'";
        var result = new HashSet<string>();
        await foreach (var row in QueryAsync(db, sql))
        {
            result.Add(row.GetString(0));
        }

        return result;
    }

    private static async IAsyncEnumerable<DbDataReader> QueryAsync(WorkflowDbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            yield return reader;
        }
    }
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresMigrationTests(PostgresCluster cluster) : MigrationTests
{
    protected override Task<TestDatabase> CreateEmptyDatabaseAsync() => TestDatabase.CreatePostgresAsync(cluster, migrate: false);

    [Fact]
    public async Task Migrate_Postgres_ProcessInstancePagesKeepRoomForHotUpdates()
    {
        await Database.Factory.MigrateAsync();

        await using var db = Database.CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'process_instances'";
        Assert.Equal("fillfactor=70", await command.ExecuteScalarAsync() as string);
    }
}

public sealed class SqliteMigrationTests : MigrationTests
{
    protected override Task<TestDatabase> CreateEmptyDatabaseAsync() => TestDatabase.CreateSqliteAsync(migrate: false);
}
