using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Persistence.Keys;

namespace WorkflowOrders.Persistence.Engine;

/// <summary>
/// The engine's keys, reserved from the database in blocks on a connection of their own (never inside a command's
/// transaction: a reservation must stay reserved even if that transaction rolls back).
/// PostgreSQL: one nextval of the key sequence per <see cref="KeyAllocator.BlockSize"/> keys — any node, any time,
/// never blocking. SQLite (one node, one process): one reservation of 2^40 keys per process start, taken before the
/// first unit of work, because a second connection cannot write while a command holds SQLite's write lock.
/// </summary>
public sealed class EfKeyGenerator(WorkflowDbContextFactory contexts) : IKeyGenerator
{
    private const long SqliteBlockSize = 1L << 40;

    private readonly Lock _gate = new();
    private long _next;
    private long _end;

    private bool IsSqlite => contexts.Options.Provider == DatabaseProvider.Sqlite;

    public long Next()
    {
        lock (_gate)
        {
            if (_next >= _end)
            {
                Refill();
            }

            return _next++;
        }
    }

    /// <summary>Reserves the first block now (call at start-up, before any unit of work).</summary>
    public void Initialize()
    {
        lock (_gate)
        {
            if (_next >= _end)
            {
                Refill();
            }
        }
    }

    private void Refill()
    {
        using var db = contexts.CreateDbContext();
        db.Database.OpenConnection();
        try
        {
            using var command = CreateCommand(db.Database.GetDbConnection());
            var start = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            _next = start;
            _end = start + (IsSqlite ? SqliteBlockSize : KeyAllocator.BlockSize);
        }
        finally
        {
            db.Database.CloseConnection();
        }
    }

    private DbCommand CreateCommand(DbConnection connection)
    {
        var command = connection.CreateCommand();
        if (IsSqlite)
        {
            command.CommandText = "UPDATE key_blocks SET next_key = next_key + @size WHERE name = 'default' RETURNING next_key - @size";
            var size = command.CreateParameter();
            size.ParameterName = "@size";
            size.Value = SqliteBlockSize;
            command.Parameters.Add(size);
        }
        else
        {
            command.CommandText = $"SELECT nextval('{KeyAllocator.SequenceName}')";
        }

        return command;
    }
}
