using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace RlsSchema.Schema
{
    /// <summary>
    /// The one place that writes the model's DDL: renders operations as PostgreSQL statements. A migration renders them
    /// as they are; the full script renders them idempotent (IF NOT EXISTS, DROP ... IF EXISTS, guarded DO blocks), so
    /// that running it twice changes nothing. One file per object kind holds its statements.
    /// </summary>
    internal static partial class PostgresSqlWriter
    {
        /// <summary>Renders one operation.</summary>
        /// <param name="operation">The operation.</param>
        /// <param name="idempotent">Whether the statement must do nothing when what it creates is already there (the full script).</param>
        /// <returns>The SQL, ending with <c>;</c>; may span lines.</returns>
        public static string Write(MigrationOperation operation, bool idempotent = false) => operation switch
        {
            PrepareAuthOperation => PrepareAuth(),
            CreateSchemaOperation o => "CREATE SCHEMA IF NOT EXISTS " + SqlSyntax.Identifier(o.Name) + ";",
            CreateRoleOperation o => CreateRole(o),
            ForgetRoleOperation o => ForgetRole(o),
            DefaultPrivilegesOperation o => DefaultPrivileges(o),
            GrantAllTablesOperation o => "GRANT SELECT, UPDATE, INSERT, DELETE ON ALL TABLES IN SCHEMA public TO " + SqlSyntax.Identifier(o.Role) + ";",
            CreateTableOperation o => CreateTable(o, idempotent),
            DropTableOperation o => "DROP TABLE IF EXISTS " + Table(o.Table) + ";",
            RenameTableOperation o => "ALTER TABLE " + Table(o.Table) + " RENAME TO " + SqlSyntax.Identifier(o.NewName) + ";",
            CommentOperation o => Comment(o),
            RowLevelSecurityOperation o => RowLevelSecurity(o),
            ForceRowLevelSecurityOperation o => "ALTER TABLE " + Table(o.Table) + (o.Force ? " FORCE" : " NO FORCE") + " ROW LEVEL SECURITY;",
            AddColumnOperation o => AddColumn(o),
            DropColumnOperation o => "ALTER TABLE " + Table(o.Table) + " DROP COLUMN IF EXISTS " + SqlSyntax.Identifier(o.Column) + ";",
            RenameColumnOperation o => "ALTER TABLE " + Table(o.Table) + " RENAME COLUMN " + SqlSyntax.Identifier(o.Column) + " TO " + SqlSyntax.Identifier(o.NewName) + ";",
            AlterColumnTypeOperation o => AlterColumn(o.Table, o.Column) + " TYPE " + o.Type + " USING " + SqlSyntax.Identifier(o.Column) + "::" + o.Type + ";",
            AlterColumnOperation o => AlterColumn(o),
            FillNullsOperation o => FillNulls(o),
            AddPrimaryKeyOperation o => "ALTER TABLE " + Table(o.Table) + " ADD PRIMARY KEY (" + Names(o.Columns) + ");",
            DropPrimaryKeyOperation o => DropConstraints(o.Table, "p"),
            AddCheckOperation o => "ALTER TABLE " + Table(o.Table) + " ADD " + Check(o.Check) + ";",
            DropChecksOperation o => DropConstraints(o.Table, "c"),
            AddForeignKeyOperation o => AddForeignKey(o, idempotent),
            DropForeignKeyOperation o => "ALTER TABLE " + Table(o.Table) + " DROP CONSTRAINT IF EXISTS " + SqlSyntax.Identifier(o.Name) + ";",
            CreateIndexOperation o => CreateIndex(o, idempotent),
            DropIndexOperation o => "DROP INDEX IF EXISTS " + SqlSyntax.Identifier(o.Schema) + "." + SqlSyntax.Identifier(o.Name) + ";",
            RenameIndexOperation o => "ALTER INDEX " + SqlSyntax.Identifier(o.Schema) + "." + SqlSyntax.Identifier(o.Name) + " RENAME TO " + SqlSyntax.Identifier(o.NewName) + ";",
            CreatePolicyOperation o => CreatePolicy(o, idempotent),
            AlterPolicyOperation o => AlterPolicy(o),
            DropPolicyOperation o => DropPolicy(o.Table, o.Name),
            GrantOperation o => Grant(o, idempotent),
            RevokeOperation o => "REVOKE " + (o.Privileges.Count == 0 ? "ALL" : string.Join(", ", o.Privileges)) + " ON " + Table(o.Table) + " FROM " + SqlSyntax.Identifier(o.Role) + ";",
            GrantSchemaUsageOperation o => "GRANT USAGE ON SCHEMA " + SqlSyntax.Identifier(o.Schema) + " TO " + string.Join(", ", o.Roles.Select(SqlSyntax.Identifier)) + ";",
            CreateFunctionOperation o => CreateFunction(o, idempotent),
            DropFunctionOperation o => DropFunction(o),
            _ => throw new ArgumentException("No SQL is written for " + operation.GetType().Name + ".", nameof(operation)),
        };

        /// <summary>Renders a migration: a header, then each operation; a destructive one is preceded by a comment saying what it loses.</summary>
        /// <param name="header">The first line.</param>
        /// <param name="operations">The operations, in order.</param>
        /// <returns>The SQL with <c>\n</c> line ends, ending with a newline; empty when there are no operations.</returns>
        public static string WriteMigration(string header, IReadOnlyList<MigrationOperation> operations)
        {
            if (operations.Count == 0)
            {
                return "";
            }

            var b = new StringBuilder();
            b.Append(header).Append('\n');
            foreach (MigrationOperation operation in operations)
            {
                if (operation.DataLoss is not null)
                {
                    b.Append("-- DESTRUCTIVE: ").Append(operation.DataLoss.Replace("\n", " ").Replace("\r", " ")).Append('\n');
                }

                b.Append(Write(operation)).Append('\n');
            }

            return b.ToString();
        }

        /// <summary>A table's SQL name, qualified by its schema unless that is <c>public</c>.</summary>
        /// <param name="table">The table.</param>
        /// <returns>The SQL name.</returns>
        public static string Table(TableName table) => SqlSyntax.Table(table.Schema == "public" ? null : table.Schema, table.Name);

        private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(SqlSyntax.Identifier));

        // Wraps statements in a DO block: the guard the full script needs where PostgreSQL has no IF NOT EXISTS.
        private static string Block(string body) => "DO $rls$\nBEGIN\n" + body + "\nEND\n$rls$;";
    }
}
