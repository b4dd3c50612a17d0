using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using WorkflowOrders.Persistence.Migrations;

namespace WorkflowOrders.Web.People.Migrations;

/// <summary>
/// Identity's tables (users, roles and their claims, logins, tokens), departments and personal API tokens.
/// Hand-written like the runtime's migrations (docs/persistence.md); history in <c>__people_migrations_history</c>.
/// </summary>
[DbContext(typeof(PeopleDbContext))]
[Migration("2026112301_People")]
public sealed class People : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var ts = migrationBuilder.Timestamp();
        var sqlite = MigrationSql.IsSqlite(migrationBuilder);

        // departments ↔ users point at each other. SQLite accepts a foreign key to a table created later, and cannot
        // add one to an existing table without a rebuild; PostgreSQL needs the target first: it gets the key below.
        migrationBuilder.CreateTable(
            name: "departments",
            columns: table => new
            {
                key = table.Column<string>(maxLength: 64, nullable: false),
                name_zh = table.Column<string>(maxLength: 100, nullable: false),
                name_en = table.Column<string>(maxLength: 100, nullable: false),
                manager_user_id = table.Column<string>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_departments", x => x.key);
                if (sqlite)
                {
                    table.ForeignKey("fk_departments_manager_user_id", x => x.manager_user_id, "users", "id", onDelete: ReferentialAction.SetNull);
                }
            });

        migrationBuilder.CreateTable(
            name: "users",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                user_name = table.Column<string>(maxLength: 256, nullable: true),
                normalized_user_name = table.Column<string>(maxLength: 256, nullable: true),
                email = table.Column<string>(maxLength: 256, nullable: true),
                normalized_email = table.Column<string>(maxLength: 256, nullable: true),
                email_confirmed = table.Column<bool>(nullable: false),
                password_hash = table.Column<string>(nullable: true),
                security_stamp = table.Column<string>(nullable: true),
                concurrency_stamp = table.Column<string>(nullable: true),
                phone_number = table.Column<string>(nullable: true),
                phone_number_confirmed = table.Column<bool>(nullable: false),
                two_factor_enabled = table.Column<bool>(nullable: false),
                lockout_end = table.Column<DateTimeOffset>(type: ts, nullable: true),
                lockout_enabled = table.Column<bool>(nullable: false),
                access_failed_count = table.Column<int>(nullable: false),
                display_name = table.Column<string>(maxLength: 100, nullable: false),
                department_key = table.Column<string>(maxLength: 64, nullable: true),
                preferred_language = table.Column<string>(maxLength: 16, nullable: false),
                time_zone = table.Column<string>(maxLength: 64, nullable: false),
                deactivated_at = table.Column<DateTimeOffset>(type: ts, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_users", x => x.id);
                table.ForeignKey("fk_users_department_key", x => x.department_key, "departments", "key", onDelete: ReferentialAction.SetNull);
            });
        migrationBuilder.CreateIndex("ux_users_normalized_user_name", "users", "normalized_user_name", unique: true);
        migrationBuilder.CreateIndex("ix_users_normalized_email", "users", "normalized_email");
        migrationBuilder.CreateIndex("ix_users_department_key", "users", "department_key");

        if (!sqlite)
        {
            migrationBuilder.AddForeignKey("fk_departments_manager_user_id", "departments", "manager_user_id", "users", principalColumn: "id", onDelete: ReferentialAction.SetNull);
        }

        migrationBuilder.CreateIndex("ix_departments_manager_user_id", "departments", "manager_user_id");

        migrationBuilder.CreateTable(
            name: "roles",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                name = table.Column<string>(maxLength: 256, nullable: true),
                normalized_name = table.Column<string>(maxLength: 256, nullable: true),
                concurrency_stamp = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_roles", x => x.id));
        migrationBuilder.CreateIndex("ux_roles_normalized_name", "roles", "normalized_name", unique: true);

        migrationBuilder.CreateTable(
            name: "user_roles",
            columns: table => new
            {
                user_id = table.Column<string>(nullable: false),
                role_id = table.Column<string>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_user_roles", x => new { x.user_id, x.role_id });
                table.ForeignKey("fk_user_roles_user_id", x => x.user_id, "users", "id", onDelete: ReferentialAction.Cascade);
                table.ForeignKey("fk_user_roles_role_id", x => x.role_id, "roles", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_user_roles_role_id", "user_roles", "role_id");

        migrationBuilder.CreateTable(
            name: "user_claims",
            columns: table => new
            {
                id = table.Column<int>(nullable: false).Identity(),
                user_id = table.Column<string>(nullable: false),
                claim_type = table.Column<string>(nullable: true),
                claim_value = table.Column<string>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_user_claims", x => x.id);
                table.ForeignKey("fk_user_claims_user_id", x => x.user_id, "users", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_user_claims_user_id", "user_claims", "user_id");

        migrationBuilder.CreateTable(
            name: "role_claims",
            columns: table => new
            {
                id = table.Column<int>(nullable: false).Identity(),
                role_id = table.Column<string>(nullable: false),
                claim_type = table.Column<string>(nullable: true),
                claim_value = table.Column<string>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_role_claims", x => x.id);
                table.ForeignKey("fk_role_claims_role_id", x => x.role_id, "roles", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_role_claims_role_id", "role_claims", "role_id");

        migrationBuilder.CreateTable(
            name: "user_logins",
            columns: table => new
            {
                login_provider = table.Column<string>(nullable: false),
                provider_key = table.Column<string>(nullable: false),
                provider_display_name = table.Column<string>(nullable: true),
                user_id = table.Column<string>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_user_logins", x => new { x.login_provider, x.provider_key });
                table.ForeignKey("fk_user_logins_user_id", x => x.user_id, "users", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ix_user_logins_user_id", "user_logins", "user_id");

        migrationBuilder.CreateTable(
            name: "user_tokens",
            columns: table => new
            {
                user_id = table.Column<string>(nullable: false),
                login_provider = table.Column<string>(nullable: false),
                name = table.Column<string>(nullable: false),
                value = table.Column<string>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                table.ForeignKey("fk_user_tokens_user_id", x => x.user_id, "users", "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "api_tokens",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).Identity(),
                user_id = table.Column<string>(nullable: false),
                name = table.Column<string>(maxLength: 100, nullable: false),
                token_hash = table.Column<string>(maxLength: 64, nullable: false),
                prefix = table.Column<string>(maxLength: 16, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: ts, nullable: false),
                last_used_at = table.Column<DateTimeOffset>(type: ts, nullable: true),
                revoked_at = table.Column<DateTimeOffset>(type: ts, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_api_tokens", x => x.id);
                table.ForeignKey("fk_api_tokens_user_id", x => x.user_id, "users", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("ux_api_tokens_token_hash", "api_tokens", "token_hash", unique: true);
        migrationBuilder.CreateIndex("ix_api_tokens_user_id", "api_tokens", "user_id");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (!MigrationSql.IsSqlite(migrationBuilder))
        {
            migrationBuilder.DropForeignKey("fk_departments_manager_user_id", "departments");
        }

        foreach (var table in new[] { "api_tokens", "user_tokens", "user_logins", "role_claims", "user_claims", "user_roles", "roles", "users", "departments" })
        {
            migrationBuilder.DropTable(table);
        }
    }
}
