using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Persistence;
using WorkflowOrders.Testing;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.People;

/// <summary>The people migration on both providers, applied by the app's own start-up, then seeded with the demo company.</summary>
public abstract class PeopleMigrationTests : IAsyncLifetime
{
    private WebAppFactory? _app;

    protected WebAppFactory App => _app!;

    public async Task InitializeAsync()
    {
        _app = await CreateAppAsync();
        _ = _app.Server; // starts the host: migrations and seeding run
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    protected abstract Task<WebAppFactory> CreateAppAsync();

    protected abstract bool IsSqlite { get; }

    [Fact]
    public async Task Migrate_EmptyDatabase_CreatesEveryMappedTableColumnAndIndex()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PeopleDbContext>();
        var columns = await ReadPairsAsync(db, IsSqlite
            ? "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
            : "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'");
        var indexes = (await ReadPairsAsync(db, IsSqlite
            ? "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'"
            : "SELECT indexname, tablename FROM pg_indexes WHERE schemaname = 'public'")).Select(p => p.Item1).ToHashSet();

        var missing = new List<string>();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            missing.AddRange(entity.GetProperties().Where(p => !columns.Contains((table, p.GetColumnName()))).Select(p => $"column {table}.{p.GetColumnName()}"));
            missing.AddRange(entity.GetIndexes().Where(i => !indexes.Contains(i.GetDatabaseName()!)).Select(i => $"index {i.GetDatabaseName()}"));
        }

        Assert.Empty(missing);
        Assert.Equal(
            ["api_tokens", "departments", "role_claims", "roles", "user_claims", "user_logins", "user_roles", "user_tokens", "users"],
            db.Model.GetEntityTypes().Select(e => e.GetTableName()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Migrate_SecondRun_AppliesNothingAndKeepsTheRuntimeHistorySeparate()
    {
        var persistence = App.Services.GetRequiredService<PersistenceOptions>();

        await PeopleDatabase.MigrateAsync(persistence);

        await using var people = PeopleDatabase.CreateContext(persistence);
        Assert.Equal(["2026112301_People"], await people.Database.GetAppliedMigrationsAsync());
        await using var runtime = persistence.CreateContext();
        Assert.DoesNotContain("2026112301_People", await runtime.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await runtime.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Start_DemoData_SeedsEveryDepartmentWithItsManagerAndEveryRole()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PeopleDbContext>();

        var departments = await db.Departments.ToListAsync();
        Assert.Equal(DemoCompany.Departments.Count, departments.Count);
        Assert.All(departments, d => Assert.NotNull(d.ManagerUserId));
        Assert.Equal(Roles.All.Select(r => r.Key).Order(StringComparer.Ordinal), (await db.Roles.Select(r => r.Name!).ToListAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(DemoCompany.Users.Count, await db.Users.CountAsync());
    }

    private static async Task<HashSet<(string, string)>> ReadPairsAsync(DbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var result = new HashSet<(string, string)>();
        while (await reader.ReadAsync())
        {
            result.Add((reader.GetString(0), reader.GetString(1)));
        }

        return result;
    }
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresPeopleMigrationTests(PostgresCluster cluster) : PeopleMigrationTests
{
    protected override bool IsSqlite => false;

    protected override async Task<WebAppFactory> CreateAppAsync() => WebAppFactory.OnPostgres(await cluster.CreateDatabaseAsync("web"));
}

public sealed class SqlitePeopleMigrationTests : PeopleMigrationTests
{
    protected override bool IsSqlite => true;

    protected override Task<WebAppFactory> CreateAppAsync() => Task.FromResult(WebAppFactory.OnSqlite());
}
