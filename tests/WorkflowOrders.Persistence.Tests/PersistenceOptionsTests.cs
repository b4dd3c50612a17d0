using Npgsql;
using Xunit;

namespace WorkflowOrders.Persistence.Tests;

public sealed class PersistenceOptionsTests
{
    [Fact]
    public void WithPostgresDefaults_ConnectionStringSilent_PreparesStatementsAndSkipsTheReset()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PersistenceOptions.WithPostgresDefaults("Host=db;Database=workflow;Username=app"));

        Assert.Equal(20, tuned.MaxAutoPrepare);
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal("db", tuned.Host);
        Assert.Equal("workflow", tuned.Database);
    }

    [Fact]
    public void WithPostgresDefaults_ConnectionStringSetsBoth_KeepsTheOperatorsValues()
    {
        var tuned = new NpgsqlConnectionStringBuilder(
            PersistenceOptions.WithPostgresDefaults("Host=db;Max Auto Prepare=0;NoResetOnClose=false"));

        Assert.Equal(0, tuned.MaxAutoPrepare);
        Assert.False(tuned.NoResetOnClose);
    }
}
