using WorkflowOrders.Testing;

namespace WorkflowOrders.Persistence.Tests.Support;

/// <summary>Every PostgreSQL test class joins this collection: one throwaway cluster for the whole assembly.</summary>
[CollectionDefinition(Name)]
public sealed class SharedPostgres : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres";
}
