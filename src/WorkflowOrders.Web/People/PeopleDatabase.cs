using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using WorkflowOrders.Persistence;

namespace WorkflowOrders.Web.People;

/// <summary>Options and migration of the people context, on the runtime's database.</summary>
public static class PeopleDatabase
{
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, PersistenceOptions persistence)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(persistence);
        _ = persistence.Provider switch
        {
            DatabaseProvider.Postgres => builder.UseNpgsql(persistence.ConnectionString, o => o.MigrationsHistoryTable(PeopleDbContext.HistoryTable)),
            DatabaseProvider.Sqlite => builder.UseSqlite(persistence.ConnectionString, o => o.MigrationsHistoryTable(PeopleDbContext.HistoryTable)),
            _ => throw new InvalidOperationException($"Unknown database provider '{persistence.Provider}'."),
        };
        // Hand-written migrations, no model snapshot: a test checks every mapped table, column and index instead.
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        return builder;
    }

    public static PeopleDbContext CreateContext(PersistenceOptions persistence) =>
        new((DbContextOptions<PeopleDbContext>)Configure(new DbContextOptionsBuilder<PeopleDbContext>(), persistence).Options);

    /// <summary>Applies the people migrations; run after the runtime's own (which prepares the SQLite file).</summary>
    public static async Task MigrateAsync(PersistenceOptions persistence, CancellationToken cancellationToken = default)
    {
        await using var db = CreateContext(persistence);
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }
}
