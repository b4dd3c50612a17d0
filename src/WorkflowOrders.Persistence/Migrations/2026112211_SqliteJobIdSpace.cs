using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WorkflowOrders.Persistence.Migrations;

/// <summary>
/// SQLite only: the <c>jobs</c> table holds engine jobs under engine keys (from 2^51, handed out in order) and jobs
/// written without a key (emails, escalation levels, the digest) numbered by AUTOINCREMENT, which takes the largest
/// id + 1 — the engine's next key. An engine job inserted later with that key collided ("another instance with the
/// same key value is already being tracked" inside one save, a UNIQUE failure across saves). Starting the
/// AUTOINCREMENT counter at 2^62 puts those ids above every engine key. PostgreSQL's identity sequence starts at 1,
/// below the engine keys, and needs nothing.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("2026112211_SqliteJobIdSpace")]
public sealed class SqliteJobIdSpace : Migration
{
    /// <summary>2^62: engine keys (2^51 plus 2^40 per process start on SQLite) stay below it.</summary>
    public const long FirstGeneratedJobId = 4611686018427387904;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (!migrationBuilder.IsSqlite())
        {
            return;
        }

        // Ids already given out stay: they are either engine keys or below the next engine key, and collide no more
        // once new ones come from above.
        migrationBuilder.Sql("INSERT INTO sqlite_sequence (name, seq) SELECT 'jobs', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'jobs');");
        migrationBuilder.Sql($"UPDATE sqlite_sequence SET seq = {FirstGeneratedJobId} WHERE name = 'jobs' AND seq < {FirstGeneratedJobId};");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // The counter cannot be put back below ids already given out; leaving it is harmless.
    }
}
