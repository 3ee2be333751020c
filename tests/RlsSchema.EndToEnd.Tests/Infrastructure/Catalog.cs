using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace RlsSchema.EndToEnd.Tests.Infrastructure;

/// <summary>A column as the server holds it.</summary>
public sealed record ColumnShape(string Name, string Type, bool NotNull, string? Default, string Identity);

/// <summary>A policy as <c>pg_policies</c> shows it once the server has normalised its expressions.</summary>
public sealed record PolicyShape(string Name, string Command, string Permissive, string Roles, string? Using, string? WithCheck);

/// <summary>Reads what the server holds for a table, as the owner, in a stable order.</summary>
public static class Catalog
{
    public static async Task<IReadOnlyList<ColumnShape>> ColumnsAsync(SchemaDatabase db, string table) =>
        await db.OwnerQueryAsync<ColumnShape>(
            """
            SELECT a.attname::text AS "Name", format_type(a.atttypid, a.atttypmod) AS "Type", a.attnotnull AS "NotNull",
                   pg_get_expr(d.adbin, d.adrelid) AS "Default", a.attidentity::text AS "Identity"
            FROM pg_attribute a
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """,
            new { table = "public." + table });

    /// <summary>Primary key, unique and check constraints by definition (their names are the server's choice).</summary>
    public static async Task<IReadOnlyList<string>> ConstraintsAsync(SchemaDatabase db, string table) =>
        await db.OwnerQueryAsync<string>(
            """
            SELECT contype::text || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE conrelid = to_regclass(@table) ORDER BY 1
            """,
            new { table = "public." + table });

    public static async Task<(bool Enabled, bool Forced)> RowLevelSecurityAsync(SchemaDatabase db, string table) =>
        (await db.OwnerQueryAsync<(bool, bool)>(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = to_regclass(@table)",
            new { table = "public." + table })).Single();

    public static async Task<IReadOnlyList<PolicyShape>> PoliciesAsync(SchemaDatabase db, string table) =>
        await db.OwnerQueryAsync<PolicyShape>(
            """
            SELECT policyname::text AS "Name", cmd AS "Command", permissive AS "Permissive",
                   array_to_string(roles, ',') AS "Roles", qual AS "Using", with_check AS "WithCheck"
            FROM pg_policies WHERE schemaname = 'public' AND tablename = @table
            ORDER BY cmd, array_to_string(roles, ','), policyname
            """,
            new { table });

    /// <summary>Table privileges of the two session roles, as <c>role:PRIVILEGE</c>.</summary>
    public static async Task<IReadOnlyList<string>> SessionRoleGrantsAsync(SchemaDatabase db, string table) =>
        await db.OwnerQueryAsync<string>(
            """
            SELECT grantee::text || ':' || privilege_type
            FROM information_schema.role_table_grants
            WHERE table_schema = 'public' AND table_name = @table AND grantee IN ('authenticated', 'anonymous')
            ORDER BY 1
            """,
            new { table });

    public static async Task<IReadOnlyList<string>> IndexesAsync(SchemaDatabase db, string table) =>
        await db.OwnerQueryAsync<string>(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = @table ORDER BY indexdef",
            new { table });

    /// <summary>Everything above for every table in <c>public</c>, plus the <c>auth</c> functions, as lines to compare.</summary>
    public static async Task<IReadOnlyList<string>> SnapshotAsync(SchemaDatabase db)
    {
        var lines = new List<string>();
        var tables = await db.OwnerQueryAsync<string>(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
        foreach (var table in tables)
        {
            lines.Add("table " + table + " " + await RowLevelSecurityAsync(db, table));
            lines.AddRange((await ColumnsAsync(db, table)).Select(c => "  " + c));
            lines.AddRange((await ConstraintsAsync(db, table)).Select(c => "  constraint " + c));
            lines.AddRange((await IndexesAsync(db, table)).Select(i => "  " + i));
            lines.AddRange((await PoliciesAsync(db, table)).Select(p => "  " + p));
            lines.AddRange((await SessionRoleGrantsAsync(db, table)).Select(g => "  grant " + g));
        }

        lines.AddRange(await db.OwnerQueryAsync<string>(
            """
            SELECT 'function ' || p.oid::regprocedure::text || ' returns ' || format_type(p.prorettype, NULL) || ' ' || p.provolatile::text
            FROM pg_proc p WHERE p.pronamespace = 'auth'::regnamespace ORDER BY 1
            """));
        return lines;
    }
}
