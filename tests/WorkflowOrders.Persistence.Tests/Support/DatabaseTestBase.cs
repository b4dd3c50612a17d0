using WorkflowOrders.Testing;

namespace WorkflowOrders.Persistence.Tests.Support;

/// <summary>
/// Base of tests that run on both providers: each test gets a fresh migrated database. Concrete classes are
/// one <c>Postgres…</c> (in the shared-cluster collection) and one <c>Sqlite…</c> per subject.
/// </summary>
public abstract class DatabaseTestBase : IAsyncLifetime
{
    private TestDatabase? _database;

    protected TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised yet.");

    protected FakeTimeProvider Clock { get; } = FakeTimeProvider.At("2026-11-23T09:00:00Z");

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        await OnDatabaseReadyAsync();
    }

    /// <summary>Rigging a subject needs in its fresh database (test tables …).</summary>
    protected virtual Task OnDatabaseReadyAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    protected WorkflowDbContext CreateContext() => Database.CreateContext();
}
