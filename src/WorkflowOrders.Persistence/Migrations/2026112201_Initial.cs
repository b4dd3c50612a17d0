using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using WorkflowOrders.Persistence.Keys;

namespace WorkflowOrders.Persistence.Migrations;

/// <summary>The first schema: definitions, forms, instances, tasks, jobs, messages, incidents, audit, key blocks.</summary>
[DbContext(typeof(WorkflowDbContext))]
[Migration("2026112201_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var ts = migrationBuilder.Timestamp();

        migrationBuilder.CreateTable(
            name: "process_definitions",
            columns: table => new
            {
                key = table.Column<long>(nullable: false),
                bpmn_process_id = table.Column<string>(nullable: false),
                version = table.Column<int>(nullable: false),
                name = table.Column<string>(nullable: true),
                resource_name = table.Column<string>(nullable: false),
                xml = table.Column<string>(nullable: false),
                content_hash = table.Column<string>(nullable: false),
                deployment_key = table.Column<long>(nullable: false),
                deployed_by = table.Column<string>(nullable: true),
                deployed_at = table.Column<DateTimeOffset>(type: ts, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_process_definitions", x => x.key));
        migrationBuilder.CreateIndex("ux_process_definitions_bpmn_process_id_version", "process_definitions", ["bpmn_process_id", "version"], unique: true);
        migrationBuilder.CreateIndex("ix_process_definitions_bpmn_process_id_content_hash", "process_definitions", ["bpmn_process_id", "content_hash"]);

        migrationBuilder.CreateTable(
            name: "forms",
            columns: table => new
            {
                key = table.Column<long>(nullable: false),
                form_id = table.Column<string>(nullable: false),
                version = table.Column<int>(nullable: false),
                schema = table.Column<string>(nullable: false),
                content_hash = table.Column<string>(nullable: false),
                deployment_key = table.Column<long>(nullable: false),
                deployed_at = table.Column<DateTimeOffset>(type: ts, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_forms", x => x.key));
        migrationBuilder.CreateIndex("ux_forms_form_id_version", "forms", ["form_id", "version"], unique: true);
        migrationBuilder.CreateIndex("ix_forms_form_id_content_hash", "forms", ["form_id", "content_hash"]);

        migrationBuilder.CreateTable(
            name: "process_instances",
            columns: table => new
            {
                key = table.Column<long>(nullable: false),
                definition_key = table.Column<long>(nullable: false),
                bpmn_process_id = table.Column<string>(nullable: false),
                definition_version = table.Column<int>(nullable: false),
                business_key = table.Column<string>(nullable: true),
                state = table.Column<string>(nullable: false),
                has_incident = table.Column<bool>(nullable: false),
                state_json = table.Column<string>(nullable: false),
                started_at = table.Column<DateTimeOffset>(type: ts, nullable: false),
                ended_at = table.Column<DateTimeOffset>(type: ts, nullable: true),
                parent_instance_key = table.Column<long>(nullable: true),
                parent_element_instance_key = table.Column<long>(nullable: true),
                revision = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_process_instances", x => x.key));
        migrationBuilder.CreateIndex("ix_process_instances_business_key", "process_instances", "business_key");
        migrationBuilder.CreateIndex("ix_process_instances_bpmn_process_id_state", "process_instances", ["bpmn_process_id", "state"]);
        migrationBuilder.CreateIndex("ix_process_instances_parent_instance_key", "process_instances", "parent_instance_key");

        migrationBuilder.CreateTable(
            name: "user_tasks",
            columns: table => new
            {
                key = table.Column<long>(nullable: false),
                instance_key = table.Column<long>(nullable: false),
                element_instance_key = table.Column<long>(nullable: false),
                element_id = table.Column<string>(nullable: false),
                name = table.Column<string>(nullable: true),
                bpmn_process_id = table.Column<string>(nullable: false),
                definition_key = table.Column<long>(nullable: false),
                definition_version = table.Column<int>(nullable: false),
                business_key = table.Column<string>(nullable: true),
                state = table.Column<string>(nullable: false),
                assignee = table.Column<string>(nullable: true),
                candidate_groups = table.Column<string>(nullable: true),
                candidate_users = table.Column<string>(nullable: true),
                due_date = table.Column<DateTimeOffset>(type: ts, nullable: true),
                follow_up_date = table.Column<DateTimeOffset>(type: ts, nullable: true),
                priority = table.Column<int>(nullable: false),
                form_key = table.Column<long>(nullable: true),
                form_id = table.Column<string>(nullable: true),
                custom_headers = table.Column<string>(nullable: true),
                properties = table.Column<string>(nullable: true),
                created_at = table.Column<DateTimeOffset>(type: ts, nullable: false),
                claimed_at = table.Column<DateTimeOffset>(type: ts, nullable: true),
                completed_at = table.Column<DateTimeOffset>(type: ts, nullable: true),
                completed_by = table.Column<string>(nullable: true),
                revision = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_user_tasks", x => x.key));
        migrationBuilder.CreateIndex("ix_user_tasks_state_assignee_due_date", "user_tasks", ["state", "assignee", "due_date"]);
        migrationBuilder.CreateIndex("ix_user_tasks_state_due_date", "user_tasks", ["state", "due_date"]);
        migrationBuilder.CreateIndex("ix_user_tasks_instance_key", "user_tasks", "instance_key");

        migrationBuilder.CreateTable(
            name: "user_task_candidates",
            columns: table => new
            {
                task_key = table.Column<long>(nullable: false),
                kind = table.Column<string>(nullable: false),
                value = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_user_task_candidates", x => new { x.task_key, x.kind, x.value }));
        migrationBuilder.CreateIndex("ix_user_task_candidates_kind_value_task_key", "user_task_candidates", ["kind", "value", "task_key"]);

        migrationBuilder.CreateTable(
            name: "jobs",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                kind = table.Column<string>(nullable: false),
                type = table.Column<string>(nullable: false),
                instance_key = table.Column<long>(nullable: true),
                element_instance_key = table.Column<long>(nullable: true),
                payload = table.Column<string>(nullable: true),
                due_at = table.Column<DateTimeOffset>(type: ts, nullable: true),
                attempts = table.Column<int>(nullable: false),
                max_attempts = table.Column<int>(nullable: false),
                last_error = table.Column<string>(nullable: true),
                lease_owner = table.Column<string>(nullable: true),
                lease_until = table.Column<DateTimeOffset>(type: ts, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: ts, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_jobs", x => x.id));
        migrationBuilder.CreateIndex("ix_jobs_due_at", "jobs", "due_at");
        migrationBuilder.CreateIndex("ix_jobs_instance_key", "jobs", "instance_key");

        migrationBuilder.CreateTable(
            name: "message_subscriptions",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                instance_key = table.Column<long>(nullable: false),
                element_instance_key = table.Column<long>(nullable: false),
                element_id = table.Column<string>(nullable: false),
                message_name = table.Column<string>(nullable: false),
                correlation_key = table.Column<string>(nullable: true),
                created_at = table.Column<DateTimeOffset>(type: ts, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_message_subscriptions", x => x.id));
        migrationBuilder.CreateIndex("ix_message_subscriptions_message_name_correlation_key", "message_subscriptions", ["message_name", "correlation_key"]);
        migrationBuilder.CreateIndex("ix_message_subscriptions_instance_key", "message_subscriptions", "instance_key");

        migrationBuilder.CreateTable(
            name: "buffered_messages",
            columns: table => new
            {
                key = table.Column<long>(nullable: false),
                name = table.Column<string>(nullable: false),
                correlation_key = table.Column<string>(nullable: false),
                variables = table.Column<string>(nullable: true),
                message_id = table.Column<string>(nullable: true),
                correlated_instances = table.Column<string>(nullable: true),
                published_at = table.Column<DateTimeOffset>(type: ts, nullable: false),
                expires_at = table.Column<DateTimeOffset>(type: ts, nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_buffered_messages", x => x.key));
        migrationBuilder.CreateIndex("ix_buffered_messages_name_correlation_key", "buffered_messages", ["name", "correlation_key"]);
        migrationBuilder.CreateIndex("ux_buffered_messages_message_id", "buffered_messages", "message_id", unique: true, filter: "message_id IS NOT NULL");

        migrationBuilder.CreateTable(
            name: "incidents",
            columns: table => new
            {
                key = table.Column<long>(nullable: false),
                instance_key = table.Column<long>(nullable: true),
                element_instance_key = table.Column<long>(nullable: true),
                element_id = table.Column<string>(nullable: true),
                bpmn_process_id = table.Column<string>(nullable: true),
                error_type = table.Column<string>(nullable: false),
                error_message = table.Column<string>(nullable: false),
                state = table.Column<string>(nullable: false),
                job_id = table.Column<long>(nullable: true),
                created_at = table.Column<DateTimeOffset>(type: ts, nullable: false),
                resolved_at = table.Column<DateTimeOffset>(type: ts, nullable: true),
                resolved_by = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_incidents", x => x.key));
        migrationBuilder.CreateIndex("ix_incidents_state", "incidents", "state");
        migrationBuilder.CreateIndex("ix_incidents_instance_key", "incidents", "instance_key");

        migrationBuilder.CreateTable(
            name: "audit_events",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                instance_key = table.Column<long>(nullable: true),
                element_id = table.Column<string>(nullable: true),
                element_instance_key = table.Column<long>(nullable: true),
                kind = table.Column<string>(nullable: false),
                actor = table.Column<string>(nullable: true),
                at = table.Column<DateTimeOffset>(type: ts, nullable: false),
                details = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_audit_events", x => x.id));
        migrationBuilder.CreateIndex("ix_audit_events_instance_key_id", "audit_events", ["instance_key", "id"]);

        // Keys: a PostgreSQL sequence is outside transactions, so a rolled-back block is never handed out twice
        // across nodes; SQLite (one node) keeps the counter in a table. One value = one block of keys.
        if (migrationBuilder.IsSqlite())
        {
            migrationBuilder.CreateTable(
                name: "key_blocks",
                columns: table => new
                {
                    name = table.Column<string>(nullable: false),
                    next_key = table.Column<long>(nullable: false),
                },
                constraints: table => table.PrimaryKey("pk_key_blocks", x => x.name));
            migrationBuilder.InsertData("key_blocks", ["name", "next_key"], ["TEXT", "INTEGER"], ["default", KeyAllocator.FirstKey]);
        }
        else
        {
            migrationBuilder.CreateSequence<long>(KeyAllocator.SequenceName, startValue: KeyAllocator.FirstKey, incrementBy: KeyAllocator.BlockSize);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        foreach (var table in new[]
                 {
                     "audit_events", "incidents", "buffered_messages", "message_subscriptions", "jobs",
                     "user_task_candidates", "user_tasks", "process_instances", "forms", "process_definitions",
                 })
        {
            migrationBuilder.DropTable(table);
        }

        if (migrationBuilder.IsSqlite())
        {
            migrationBuilder.DropTable("key_blocks");
        }
        else
        {
            migrationBuilder.DropSequence(KeyAllocator.SequenceName);
        }
    }
}
