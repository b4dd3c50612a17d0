using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Persistence.Calendars;
using WorkflowOrders.Persistence.Tests.Support;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Persistence.Tests.Calendars;

public abstract class DbCalendarProviderTests : DatabaseTestBase, IDisposable
{
    private const string Plain = """
        { "id": "t", "name": { "en": "Test" }, "timeZone": "Asia/Shanghai",
          "workWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
          "workingHours": [ { "from": "08:30", "to": "17:30" } ] }
        """;

    private static readonly string With2027 = Plain.Replace(
        "\"workingHours\"",
        """
        "years": [ { "year": 2027, "source": { "title": "2027 notice" },
                     "holidays": [ { "name": { "en": "National Day" }, "from": "2027-10-01", "to": "2027-10-07" } ] } ],
        "workingHours"
        """,
        StringComparison.Ordinal);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("calendars-");

    public void Dispose()
    {
        _folder.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    private DbCalendarProvider Node() => new(Database.Factory, Clock);

    private async Task<DbCalendarProvider> SeededNodeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder.FullName, "t.json"), Plain);
        var node = Node();
        await node.SeedAsync(_folder.FullName);
        return node;
    }

    private static IReadOnlyList<int> Missing2027(DbCalendarProvider node) =>
        node.Find("t")!.YearsWithoutHolidayData(new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31));

    [Fact]
    public async Task SeedAsync_IdAlreadyStored_KeepsTheAdministratorsCopy()
    {
        var node = await SeededNodeAsync();
        await node.SaveAsync("t", With2027, "admin");

        await node.SeedAsync(_folder.FullName);

        var row = Assert.Single(await node.ReadRowsAsync());
        Assert.Equal(("admin", With2027), (row.UpdatedBy, row.Json));
        Assert.Empty(Missing2027(node));
    }

    [Fact]
    public async Task Find_EditOnAnotherNode_SeenOnlyAfterTheRefreshInterval()
    {
        var editor = await SeededNodeAsync();
        var other = Node();
        Assert.Equal([2027], Missing2027(other));

        await editor.SaveAsync("t", With2027, "admin");
        Clock.Advance(other.RefreshInterval - TimeSpan.FromSeconds(1));
        var beforeRefresh = Missing2027(other);
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty(Missing2027(editor));
        Assert.Equal([2027], beforeRefresh);
        Assert.Empty(Missing2027(other));
    }

    [Fact]
    public async Task SaveAsync_InvalidOrRenamedCalendar_ThrowsTheLoadersMessageAndStoresNothing()
    {
        var node = await SeededNodeAsync();

        var invalid = await Assert.ThrowsAsync<CalendarFileException>(() => node.SaveAsync("t", With2027.Replace("08:30", "8h30", StringComparison.Ordinal), "admin"));
        var renamed = await Assert.ThrowsAsync<CalendarFileException>(() => node.SaveAsync("t", With2027.Replace("\"t\"", "\"u\"", StringComparison.Ordinal), "admin"));

        Assert.Contains("workingHours[0].from: \"8h30\" is not a time of day", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("the id cannot change", renamed.Message, StringComparison.Ordinal);
        var row = Assert.Single(await node.ReadRowsAsync());
        Assert.Equal((DbCalendarProvider.SeedAuthor, Plain), (row.UpdatedBy, row.Json));
    }
}

[Collection(SharedPostgres.Name)]
public sealed class PostgresDbCalendarProviderTests(PostgresCluster cluster) : DbCalendarProviderTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreatePostgresAsync(cluster);
}

public sealed class SqliteDbCalendarProviderTests : DbCalendarProviderTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateSqliteAsync();
}
