using WorkflowOrders.Persistence;

namespace WorkflowOrders.Email.Tests.Support;

/// <summary>A migrated SQLite database in a temp file, one per test.</summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "wo-mail-" + Guid.NewGuid().ToString("N") + ".db");

    public SqliteDatabase()
    {
        Options = PersistenceOptions.UseSqlite("Data Source=" + _path);
        Factory = new WorkflowDbContextFactory(Options);
        Factory.MigrateAsync().GetAwaiter().GetResult();
    }

    public PersistenceOptions Options { get; }

    public WorkflowDbContextFactory Factory { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
