using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WorkflowOrders.Persistence.Migrations;

/// <summary>The order model: orders, their lines and their timeline (procedures.md §2).</summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("2026112202_Orders")]
public sealed class Orders : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var ts = migrationBuilder.Timestamp();

        migrationBuilder.CreateTable(
            name: "orders",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                order_no = table.Column<string>(nullable: false),
                customer_name = table.Column<string>(nullable: false),
                customer_contact = table.Column<string>(nullable: true),
                customer_phone = table.Column<string>(nullable: true),
                customer_email = table.Column<string>(nullable: true),
                currency = table.Column<string>(nullable: false),
                total_amount = table.Column<decimal>(precision: 18, scale: 2, nullable: false),
                delivery_date = table.Column<DateOnly>(nullable: false),
                delivery_place = table.Column<string>(nullable: true),
                quality_requirements = table.Column<string>(nullable: true),
                packaging_requirements = table.Column<string>(nullable: true),
                transport_requirements = table.Column<string>(nullable: true),
                payment_terms = table.Column<string>(nullable: false),
                order_type = table.Column<string>(nullable: false),
                inspection_mode = table.Column<string>(nullable: false),
                merchandiser = table.Column<string>(nullable: true),
                has_prepayment_clause = table.Column<bool>(nullable: false),
                has_commission_clause = table.Column<bool>(nullable: false),
                status = table.Column<string>(nullable: false),
                created_at = table.Column<DateTimeOffset>(type: ts, nullable: false),
                created_by = table.Column<string>(nullable: true),
                closed_at = table.Column<DateTimeOffset>(type: ts, nullable: true),
                cancelled_at = table.Column<DateTimeOffset>(type: ts, nullable: true),
                cancellation_reason = table.Column<string>(nullable: true),
                revision = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_orders", x => x.id));
        migrationBuilder.CreateIndex("ux_orders_order_no", "orders", "order_no", unique: true);
        migrationBuilder.CreateIndex("ix_orders_status", "orders", "status");
        migrationBuilder.CreateIndex("ix_orders_delivery_date", "orders", "delivery_date");
        migrationBuilder.CreateIndex("ix_orders_merchandiser", "orders", "merchandiser");

        migrationBuilder.CreateTable(
            name: "order_lines",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                order_id = table.Column<long>(nullable: false),
                line_no = table.Column<int>(nullable: false),
                product = table.Column<string>(nullable: false),
                specification = table.Column<string>(nullable: true),
                quantity = table.Column<decimal>(precision: 18, scale: 3, nullable: false),
                unit_price = table.Column<decimal>(precision: 18, scale: 4, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_order_lines", x => x.id);
                table.ForeignKey("fk_order_lines_orders_order_id", x => x.order_id, "orders", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ux_order_lines_order_id_line_no", "order_lines", ["order_id", "line_no"], unique: true);

        migrationBuilder.CreateTable(
            name: "order_events",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                order_id = table.Column<long>(nullable: false),
                at = table.Column<DateTimeOffset>(type: ts, nullable: false),
                kind = table.Column<string>(nullable: false),
                status = table.Column<string>(nullable: true),
                details = table.Column<string>(nullable: true),
                actor = table.Column<string>(nullable: true),
                instance_key = table.Column<long>(nullable: true),
                job_key = table.Column<long>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_order_events", x => x.id));
        migrationBuilder.CreateIndex("ix_order_events_order_id_id", "order_events", ["order_id", "id"]);
        migrationBuilder.CreateIndex("ux_order_events_job_key", "order_events", "job_key", unique: true, filter: "job_key IS NOT NULL");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropTable("order_events");
        migrationBuilder.DropTable("order_lines");
        migrationBuilder.DropTable("orders");
    }
}
