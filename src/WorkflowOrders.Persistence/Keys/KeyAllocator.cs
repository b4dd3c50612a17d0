using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace WorkflowOrders.Persistence.Keys;

/// <summary>
/// Hands out 64-bit keys unique across nodes, reserving <see cref="BlockSize"/> at a time so that most keys cost no
/// round trip. PostgreSQL: one <c>nextval</c> of a sequence that steps by the block size (sequences ignore rollbacks,
/// so no block is ever handed out twice). SQLite (one node): a counter row in <c>key_blocks</c>, updated on the
/// caller's connection and transaction so a command holding SQLite's single write lock can still refill.
/// Register one allocator per database per process.
/// </summary>
public sealed class KeyAllocator : IDisposable
{
    /// <summary>Keys per reservation; also the sequence's increment on PostgreSQL.</summary>
    public const int BlockSize = 1000;

    /// <summary>2^51 + 1, where Camunda 8's keys of partition 1 begin: keys are 16 digits from the first one, so every
    /// client treats them as the decimal strings the REST API sends (they exceed JavaScript's exact integers).</summary>
    public const long FirstKey = 2251799813685249;

    public const string SequenceName = "workflow_keys";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _next;
    private long _end;

    /// <summary>Next key; refills through <paramref name="db"/> (within its current transaction, if any).</summary>
    public async ValueTask<long> NextAsync(WorkflowDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_next >= _end)
            {
                var start = await ReserveBlockAsync(db, cancellationToken).ConfigureAwait(false);
                _next = start;
                _end = start + BlockSize;
            }

            return _next++;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<long> ReserveBlockAsync(WorkflowDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var mustOpen = connection.State != ConnectionState.Open;
        if (mustOpen)
        {
            await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            if (db.IsSqlite)
            {
                // max(…, high-water mark): if the transaction that reserved our current block rolled back, the row
                // still holds that block's start; never hand it out again.
                command.CommandText =
                    "UPDATE key_blocks SET next_key = max(next_key, @end) + @size WHERE name = 'default' RETURNING next_key - @size";
                AddParameter(command, "@end", _end);
                AddParameter(command, "@size", (long)BlockSize);
            }
            else
            {
                command.CommandText = $"SELECT nextval('{SequenceName}')";
            }

            var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("Key allocation returned no value: is the database migrated?");
            return Convert.ToInt64(result, CultureInfo.InvariantCulture);
        }
        finally
        {
            if (mustOpen)
            {
                await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
    }

    private static void AddParameter(DbCommand command, string name, long value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
