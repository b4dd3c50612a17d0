using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WorkflowOrders.Persistence.Migrations;

/// <summary>
/// PostgreSQL: process_instances pages keep 30% free, so that the UPDATE of an instance document — one or more per
/// engine command, almost never touching an indexed column — can put the new row version on the same page as a HOT
/// update: no new entries in the table's three indexes, and the old version is pruned without VACUUM. Applies to pages
/// written from now on (existing pages fill up as before until a VACUUM FULL or CLUSTER rewrites them). SQLite has no
/// such setting; nothing to do there.
/// </summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("2026112210_HotInstanceUpdates")]
public sealed class HotInstanceUpdates : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (!migrationBuilder.IsSqlite())
        {
            migrationBuilder.Sql("ALTER TABLE process_instances SET (fillfactor = 70)");
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (!migrationBuilder.IsSqlite())
        {
            migrationBuilder.Sql("ALTER TABLE process_instances RESET (fillfactor)");
        }
    }
}
