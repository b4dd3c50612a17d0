using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WorkflowOrders.Persistence.Migrations;

/// <summary>Working-time calendars an administrator edits (docs/calendar.md).</summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("2026112207_Calendars")]
public sealed class Calendars : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var ts = migrationBuilder.Timestamp();
        migrationBuilder.CreateTable(
            name: "calendars",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                json = table.Column<string>(nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: ts, nullable: false),
                updated_by = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_calendars", x => x.id));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropTable("calendars");
    }
}
