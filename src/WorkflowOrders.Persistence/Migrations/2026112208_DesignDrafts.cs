using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WorkflowOrders.Persistence.Migrations;

/// <summary>Drafts of process definitions and task forms edited in the designer (docs/designer.md).</summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("2026112208_DesignDrafts")]
public sealed class DesignDrafts : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var ts = migrationBuilder.Timestamp();
        migrationBuilder.CreateTable(
            name: "design_drafts",
            columns: table => new
            {
                kind = table.Column<string>(nullable: false),
                resource_id = table.Column<string>(nullable: false),
                content = table.Column<string>(nullable: false),
                based_on_version = table.Column<int>(nullable: true),
                saved_at = table.Column<DateTimeOffset>(type: ts, nullable: false),
                saved_by = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_design_drafts", x => new { x.kind, x.resource_id }));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropTable("design_drafts");
    }
}
