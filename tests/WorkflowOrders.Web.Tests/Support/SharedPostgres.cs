using WorkflowOrders.Testing;

namespace WorkflowOrders.Web.Tests.Support;

/// <summary>PostgreSQL test classes join this collection: one throwaway cluster for the assembly.</summary>
[CollectionDefinition(Name)]
public sealed class SharedPostgres : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres";
}
