using WorkflowOrders.Conformance;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Persistence.Tests.Support;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Persistence.Tests.Engine;

/// <summary>The engine conformance scenarios through the EF store and the job executor, on PostgreSQL.</summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresConformanceTests(PostgresCluster cluster) : EngineConformanceScenarios
{
    protected override IHarnessFactory Factory { get; } = new Harnesses(() => TestDatabase.CreatePostgresAsync(cluster));
}

/// <summary>The engine conformance scenarios through the EF store and the job executor, on SQLite (the embedded default).</summary>
public sealed class SqliteConformanceTests : EngineConformanceScenarios
{
    protected override IHarnessFactory Factory { get; } = new Harnesses(() => TestDatabase.CreateSqliteAsync());
}

internal sealed class Harnesses(Func<Task<TestDatabase>> database) : IHarnessFactory
{
    public async Task<WorkflowHarness> CreateAsync(FakeClock clock, IReadOnlyList<ITaskHandler> handlers) =>
        await EfHarness.CreateAsync(await database(), clock, handlers);
}
