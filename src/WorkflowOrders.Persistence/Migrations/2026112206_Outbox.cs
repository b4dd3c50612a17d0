using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WorkflowOrders.Persistence.Migrations;

/// <summary>The email outbox (docs/email.md).</summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("2026112206_Outbox")]
public sealed class Outbox : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var ts = migrationBuilder.Timestamp();
        migrationBuilder.CreateTable(
            name: "outbox_messages",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                message_id = table.Column<string>(nullable: false),
                to_addresses = table.Column<string>(nullable: false),
                cc_addresses = table.Column<string>(nullable: true),
                subject = table.Column<string>(nullable: false),
                html_body = table.Column<string>(nullable: false),
                text_body = table.Column<string>(nullable: false),
                language = table.Column<string>(nullable: false),
                created_at = table.Column<DateTimeOffset>(type: ts, nullable: false),
                status = table.Column<string>(nullable: false),
                attempts = table.Column<int>(nullable: false),
                last_reply = table.Column<string>(nullable: true),
                last_attempt_at = table.Column<DateTimeOffset>(type: ts, nullable: true),
                sent_at = table.Column<DateTimeOffset>(type: ts, nullable: true),
                instance_key = table.Column<long>(nullable: true),
                task_key = table.Column<long>(nullable: true),
                cause_kind = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_outbox_messages", x => x.id));
        migrationBuilder.CreateIndex("ux_outbox_messages_message_id", "outbox_messages", ["message_id"], unique: true);
        migrationBuilder.CreateIndex("ix_outbox_messages_status_created_at", "outbox_messages", ["status", "created_at"]);
        migrationBuilder.CreateIndex("ix_outbox_messages_instance_key", "outbox_messages", ["instance_key"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.DropTable("outbox_messages");
    }
}
