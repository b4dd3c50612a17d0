using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WorkflowOrders.Persistence.Migrations;

/// <summary>Files attached to orders, stored in the database (docs/orders.md, "Documents").</summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("2026112209_OrderDocuments")]
public sealed class OrderDocuments : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var ts = migrationBuilder.Timestamp();
        migrationBuilder.CreateTable(
            name: "order_documents",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                order_id = table.Column<long>(nullable: false),
                file_name = table.Column<string>(nullable: false),
                content_type = table.Column<string>(nullable: false),
                size = table.Column<long>(nullable: false),
                category = table.Column<string>(nullable: false),
                sha256 = table.Column<string>(nullable: false),
                content = table.Column<byte[]>(nullable: false),
                uploaded_by = table.Column<string>(nullable: false),
                uploaded_at = table.Column<DateTimeOffset>(type: ts, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_order_documents", x => x.id);
                table.ForeignKey("fk_order_documents_orders_order_id", x => x.order_id, "orders", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_order_documents_order_id_id", "order_documents", ["order_id", "id"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropTable("order_documents");
    }
}
