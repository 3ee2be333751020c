using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Todos.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("RlsSchema:Model", "{\n  \"format\": 1,\n  \"blanketGrants\": false,\n  \"functionPrivilegesFollowPolicies\": true,\n  \"roles\": [\"anonymous\", \"authenticated\"],\n  \"functions\": [\n    {\n      \"signature\": \"auth.claim(text)\",\n      \"declaration\": \"auth.claim(name text)\",\n      \"returns\": \"text\",\n      \"securityDefiner\": false,\n      \"body\": \"SELECT auth.session() ->> name\"\n    },\n    {\n      \"signature\": \"auth.has_permission(text)\",\n      \"declaration\": \"auth.has_permission(permission text)\",\n      \"returns\": \"boolean\",\n      \"securityDefiner\": false,\n      \"body\": \"SELECT coalesce(jsonb_typeof(auth.session() -> 'permissions') = 'array' AND (auth.session() -> 'permissions') @> jsonb_build_array(permission), false)\"\n    },\n    {\n      \"signature\": \"auth.jwt()\",\n      \"declaration\": \"auth.jwt()\",\n      \"returns\": \"jsonb\",\n      \"securityDefiner\": false,\n      \"body\": \"SELECT coalesce(nullif(current_setting('request.jwt.claims', true), ''), 'null')::jsonb\"\n    },\n    {\n      \"signature\": \"auth.session()\",\n      \"declaration\": \"auth.session()\",\n      \"returns\": \"jsonb\",\n      \"securityDefiner\": false,\n      \"body\": \"SELECT coalesce(nullif(current_setting('request.jwt.claims', true), ''), 'null')::jsonb\"\n    },\n    {\n      \"signature\": \"auth.uid()\",\n      \"declaration\": \"auth.uid()\",\n      \"returns\": \"uuid\",\n      \"securityDefiner\": false,\n      \"body\": \"SELECT CASE WHEN s.sub ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN s.sub::uuid END\\n        FROM (SELECT coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''), auth.session() ->> 'sub') AS sub) s\"\n    },\n    {\n      \"signature\": \"auth.user_id()\",\n      \"declaration\": \"auth.user_id()\",\n      \"returns\": \"text\",\n      \"securityDefiner\": false,\n      \"body\": \"SELECT coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''), auth.session() ->> 'sub')\"\n    }\n  ],\n  \"tables\": [\n    {\n      \"schema\": \"public\",\n      \"name\": \"todos\",\n      \"columns\": [\n        {\n          \"name\": \"due_on\",\n          \"type\": \"date\",\n          \"nullable\": true,\n          \"identity\": false,\n          \"default\": null\n        },\n        {\n          \"name\": \"id\",\n          \"type\": \"bigint\",\n          \"nullable\": false,\n          \"identity\": true,\n          \"default\": null\n        },\n        {\n          \"name\": \"inserted_at\",\n          \"type\": \"timestamptz\",\n          \"nullable\": false,\n          \"identity\": false,\n          \"default\": \"now()\"\n        },\n        {\n          \"name\": \"is_complete\",\n          \"type\": \"boolean\",\n          \"nullable\": false,\n          \"identity\": false,\n          \"default\": \"false\"\n        },\n        {\n          \"name\": \"task\",\n          \"type\": \"text\",\n          \"nullable\": false,\n          \"identity\": false,\n          \"default\": null\n        },\n        {\n          \"name\": \"user_id\",\n          \"type\": \"text\",\n          \"nullable\": false,\n          \"identity\": false,\n          \"default\": \"auth.user_id()\"\n        }\n      ],\n      \"primaryKey\": [\"id\"],\n      \"checks\": [\n        {\n          \"name\": null,\n          \"sql\": \"char_length(task) > 0\"\n        }\n      ],\n      \"indexes\": [\n        {\n          \"name\": \"todos_user_id_idx\",\n          \"columns\": [\"user_id\"],\n          \"unique\": false\n        }\n      ],\n      \"foreignKeys\": [],\n      \"rowLevelSecurity\": true,\n      \"forceRowLevelSecurity\": false,\n      \"policies\": [\n        {\n          \"name\": \"crud-authenticated-policy-delete\",\n          \"command\": \"DELETE\",\n          \"permissive\": true,\n          \"roles\": [\"authenticated\"],\n          \"using\": \"(select auth.user_id()) = user_id\",\n          \"withCheck\": null\n        },\n        {\n          \"name\": \"crud-authenticated-policy-insert\",\n          \"command\": \"INSERT\",\n          \"permissive\": true,\n          \"roles\": [\"authenticated\"],\n          \"using\": null,\n          \"withCheck\": \"(select auth.user_id()) = user_id\"\n        },\n        {\n          \"name\": \"crud-authenticated-policy-select\",\n          \"command\": \"SELECT\",\n          \"permissive\": true,\n          \"roles\": [\"authenticated\"],\n          \"using\": \"(select auth.user_id()) = user_id\",\n          \"withCheck\": null\n        },\n        {\n          \"name\": \"crud-authenticated-policy-update\",\n          \"command\": \"UPDATE\",\n          \"permissive\": true,\n          \"roles\": [\"authenticated\"],\n          \"using\": \"(select auth.user_id()) = user_id\",\n          \"withCheck\": \"(select auth.user_id()) = user_id\"\n        }\n      ],\n      \"grants\": [\n        {\n          \"role\": \"authenticated\",\n          \"privileges\": [\"DELETE\", \"INSERT\", \"SELECT\", \"UPDATE\"]\n        }\n      ]\n    }\n  ]\n}\n");

            migrationBuilder.CreateTable(
                name: "todos",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false, defaultValueSql: "auth.user_id()"),
                    task = table.Column<string>(type: "text", nullable: false),
                    is_complete = table.Column<bool>(type: "boolean", nullable: false),
                    inserted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    due_on = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_todos", x => x.id);
                    table.CheckConstraint("todos_task_check", "char_length(task) > 0");
                });

            migrationBuilder.CreateIndex(
                name: "ix_todos_user_id",
                table: "todos",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "todos");
        }
    }
}
