using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace WorkflowOrders.Persistence;

/// <summary>Creates contexts for one configured database; the job executor opens one per job.</summary>
public sealed class WorkflowDbContextFactory(PersistenceOptions options) : IDbContextFactory<WorkflowDbContext>
{
    // Contexts are pooled: every command and every job takes one, and a pooled context skips building its services.
    private readonly PooledDbContextFactory<WorkflowDbContext> _pool = new(options.BuildContextOptions());

    public PersistenceOptions Options { get; } = options;

    public WorkflowDbContext CreateDbContext() => _pool.CreateDbContext();

    /// <summary>
    /// Brings the schema up to date (idempotent; EF takes a migration lock, so nodes starting together are safe).
    /// On SQLite it first creates the file's folder and switches the file to WAL, so readers never block the writer.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = CreateDbContext();
        if (Options.Provider == DatabaseProvider.Sqlite)
        {
            var dataSource = new SqliteConnectionStringBuilder(Options.ConnectionString).DataSource;
            if (dataSource.Length > 0 && dataSource != ":memory:")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(dataSource))!);
            }

            await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }

        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }
}
