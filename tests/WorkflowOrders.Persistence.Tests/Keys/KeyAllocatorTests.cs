using WorkflowOrders.Persistence.Keys;
using WorkflowOrders.Persistence.Tests.Support;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Persistence.Tests.Keys;

public abstract class KeyAllocatorTests : DatabaseTestBase
{
    [Fact]
    public async Task NextAsync_TwoAllocatorsInterleaved_NeverHandOutTheSameKey()
    {
        using var nodeA = new KeyAllocator();
        using var nodeB = new KeyAllocator();

        async Task<List<long>> TakeAsync(KeyAllocator allocator)
        {
            await using var db = CreateContext();
            var keys = new List<long>();
            for (var i = 0; i < 2500; i++)
            {
                keys.Add(await allocator.NextAsync(db));
            }

            return keys;
        }

        var results = await Task.WhenAll(TakeAsync(nodeA), TakeAsync(nodeB));
        var all = results.SelectMany(k => k).ToList();

        Assert.Equal(5000, all.Distinct().Count());
        Assert.All(all, k => Assert.True(k >= KeyAllocator.FirstKey));
    }

    [Fact]
    public async Task NextAsync_RefillInsideRolledBackTransaction_NeverRepeatsAKey()
    {
        using var allocator = new KeyAllocator();
        var seen = new List<long>();
        await using (var db = CreateContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            seen.Add(await allocator.NextAsync(db));
            await tx.RollbackAsync();
        }

        await using (var db = CreateContext())
        {
            for (var i = 0; i < KeyAllocator.BlockSize + 5; i++)
            {
                seen.Add(await allocator.NextAsync(db));
            }
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
    }
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresKeyAllocatorTests(PostgresCluster cluster) : KeyAllocatorTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreatePostgresAsync(cluster);
}

public sealed class SqliteKeyAllocatorTests : KeyAllocatorTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateSqliteAsync();
}
