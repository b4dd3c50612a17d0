using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Keys;
using WorkflowOrders.Persistence.Migrations;
using WorkflowOrders.Persistence.Tests.Support;

namespace WorkflowOrders.Persistence.Tests.Migrations;

/// <summary>Jobs without a key (emails, escalations) and engine jobs (engine keys) in one SQLite table never share an id.</summary>
public sealed class SqliteJobIdSpaceTests
{
    [Fact]
    public async Task Save_EngineJobWithTheNextKeyAfterAnUnkeyedJobInOneSave_BothStoredWithDistinctIds()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        var now = DateTimeOffset.UnixEpoch;
        await using (var db = database.CreateContext())
        {
            db.Jobs.Add(new JobRow { Id = KeyAllocator.FirstKey, Kind = JobKinds.Timer, Type = "timer", DueAt = now, CreatedAt = now });
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            // Before the fix the email job took max(id) + 1 = the engine's next key, then met the engine job under it.
            var email = new JobRow { Kind = JobKinds.Email, Type = "message-id", DueAt = now, CreatedAt = now };
            db.Jobs.Add(email);
            db.Jobs.Add(new JobRow { Id = KeyAllocator.FirstKey + 1, Kind = JobKinds.ServiceTask, Type = "order.apply-change", DueAt = now, CreatedAt = now });
            await db.SaveChangesAsync();

            Assert.True(email.Id > SqliteJobIdSpace.FirstGeneratedJobId, $"generated id {email.Id}");
        }

        await using var check = database.CreateContext();
        Assert.Equal(3, check.Jobs.Count());
    }
}
