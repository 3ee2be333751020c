using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace RlsSchema.Cli;

/// <summary>How serious a finding is; <see cref="Error"/> fails <c>rlsschema lint</c>.</summary>
internal enum LintLevel
{
    Info,
    Warning,
    Error,
}

/// <summary>One finding, as Supabase's splinter reports them: what, where, and how to fix it.</summary>
internal sealed record LintFinding(string Id, LintLevel Level, string Object, string Detail, string Fix);

/// <summary>Row-level security checks on a live database, each a catalog query; nothing is changed.</summary>
internal static partial class Linter
{
    private static readonly string[] SessionRoles = ["authenticated", "anonymous"];
    private static readonly string[] Actions = ["SELECT", "INSERT", "UPDATE", "DELETE"];

    public static async Task<IReadOnlyList<LintFinding>> RunAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = await TablesAsync(connection, cancellationToken);
        var policies = await PoliciesAsync(connection, cancellationToken);
        var findings = new List<LintFinding>();
        foreach (var t in tables)
        {
            var own = policies.Where(p => p.Table == t.Name).ToList();
            if (!t.Rls && t.Schema == "public")
            {
                findings.Add(new("rls_disabled_in_public", LintLevel.Error, t.Name,
                    "Row-level security is off on a table in public: any role granted the table, now or later, reads and writes every row.",
                    $"ALTER TABLE {t.Name} ENABLE ROW LEVEL SECURITY; then declare its policies (or move the table out of public)."));
            }
            else if (!t.Rls && t.SessionGrants)
            {
                findings.Add(new("rls_disabled_in_exposed_schema", LintLevel.Warning, t.Name,
                    "Row-level security is off on a table the session roles hold privileges on: they read and write every row.",
                    $"ALTER TABLE {t.Name} ENABLE ROW LEVEL SECURITY; then declare its policies, or revoke the session roles' privileges."));
            }

            if (!t.Rls && own.Count > 0)
            {
                findings.Add(new("policy_exists_rls_disabled", LintLevel.Error, t.Name,
                    $"The table has {own.Count} polic{(own.Count == 1 ? "y" : "ies")} ({string.Join(", ", own.Select(p => p.Policy))}) but row-level security is off, so none of them applies.",
                    $"ALTER TABLE {t.Name} ENABLE ROW LEVEL SECURITY;"));
            }

            if (t.Rls && own.Count == 0)
            {
                findings.Add(new("rls_enabled_no_policy", LintLevel.Info, t.Name,
                    "Row-level security is on but the table has no policy: every session role sees no row and changes none.",
                    "Declare policies for the roles that should reach the table, or leave it owner-only on purpose."));
            }

            foreach (var column in t.PolicyColumns.Except(t.IndexedColumns, StringComparer.Ordinal))
            {
                findings.Add(new("unindexed_policy_column", LintLevel.Warning, t.Name + "." + column,
                    "A policy compares this column with an auth function, and no index starts with it: every query scans the table.",
                    $"CREATE INDEX ON {t.Name} ({column});"));
            }

            foreach (var fk in t.UnindexedForeignKeys)
            {
                findings.Add(new("unindexed_foreign_keys", LintLevel.Info, t.Name + " " + fk,
                    "No index starts with this foreign key's columns: deletes in the referenced table and joins scan this table.",
                    $"CREATE INDEX ON {t.Name} (...the foreign key's columns...);"));
            }

            foreach (var action in new[] { "INSERT", "UPDATE", "DELETE" })
            {
                bool granted = t.AnonymousPrivileges.Contains(action);
                bool admitted = !t.Rls || own.Any(p => p.Permissive && (p.Command == action || p.Command == "ALL") && (p.Roles.Contains("anonymous") || p.Roles.Contains("public")));
                if (granted && admitted)
                {
                    findings.Add(new("anonymous_can_write", LintLevel.Warning, t.Name,
                        $"The anonymous role (callers without a token) may {action} rows{(t.Rls ? " through a permissive policy" : ", and row-level security is off")}.",
                        $"REVOKE {action} ON {t.Name} FROM anonymous; or narrow the policy to authenticated."));
                }
            }
        }

        foreach (var p in policies)
        {
            foreach (var (clause, expression) in new[] { ("USING", p.Using), ("WITH CHECK", p.WithCheck) })
            {
                if (expression is not null && AuthCall().Matches(expression).Count > WrappedAuthCall().Matches(expression).Count)
                {
                    findings.Add(new("auth_rls_initplan", LintLevel.Warning, $"{p.Table} policy \"{p.Policy}\"",
                        $"Its {clause} calls an auth function once per row: {expression}",
                        "Wrap the call in a sub-select, (select auth.user_id()) = user_id, so PostgreSQL evaluates it once per statement."));
                }
            }

            if (p.Permissive && p.Command != "SELECT" && (p.Using == "true" || p.WithCheck == "true") && !p.Roles.SequenceEqual(["anonymous"]))
            {
                findings.Add(new("always_true_modify_policy", LintLevel.Warning, $"{p.Table} policy \"{p.Policy}\"",
                    $"A permissive {p.Command} policy for {string.Join(", ", p.Roles)} whose {(p.Using == "true" ? "USING" : "WITH CHECK")} is true: every such caller changes every row.",
                    "Compare a column with the caller, e.g. (select auth.user_id()) = user_id, or restrict the policy to an admin role."));
            }
        }

        foreach (var group in policies.Where(p => p.Permissive)
            .SelectMany(p => (p.Command == "ALL" ? Actions : [p.Command]).SelectMany(a => p.Roles.Select(r => (p.Table, Role: r, Action: a, p.Policy))))
            .GroupBy(x => (x.Table, x.Role, x.Action))
            .Where(g => g.Count() > 1))
        {
            findings.Add(new("multiple_permissive_policies", LintLevel.Warning, $"{group.Key.Table} {group.Key.Role} {group.Key.Action}",
                $"{group.Count()} permissive policies ({string.Join(", ", group.Select(x => "\"" + x.Policy + "\""))}) apply to one role and command; PostgreSQL evaluates every one for every row.",
                "Merge them into one policy whose expression ORs theirs."));
        }

        await using (var command = new NpgsqlCommand("""
            SELECT p.oid::regprocedure::text
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
              AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(p.proconfig, '{}')) c WHERE c LIKE 'search_path=%')
            ORDER BY 1
            """, connection))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                findings.Add(new("function_search_path_mutable", LintLevel.Warning, reader.GetString(0),
                    "A SECURITY DEFINER function without its own search_path runs with the caller's, who can shadow the objects it names.",
                    $"ALTER FUNCTION {reader.GetString(0)} SET search_path = '';  (and qualify every name in its body)"));
            }
        }

        return findings.OrderByDescending(f => f.Level).ThenBy(f => f.Id, StringComparer.Ordinal).ThenBy(f => f.Object, StringComparer.Ordinal).ToList();
    }

    private sealed record TableInfo(string Schema, string Name, bool Rls, bool SessionGrants, string[] AnonymousPrivileges, string[] PolicyColumns, string[] IndexedColumns, string[] UnindexedForeignKeys);

    private sealed record PolicyInfo(string Table, string Policy, string Command, bool Permissive, string[] Roles, string? Using, string? WithCheck);

    private static async Task<List<TableInfo>> TablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var list = new List<TableInfo>();
        await using var command = new NpgsqlCommand("""
            SELECT n.nspname, c.oid::regclass::text, c.relrowsecurity,
                   EXISTS (SELECT 1 FROM aclexplode(c.relacl) g WHERE pg_get_userbyid(g.grantee) = ANY(@roles)),
                   ARRAY(SELECT g.privilege_type::text FROM aclexplode(c.relacl) g WHERE pg_get_userbyid(g.grantee) = 'anonymous' OR g.grantee = 0),
                   ARRAY(SELECT DISTINCT a.attname::text FROM pg_policy p, pg_attribute a
                         WHERE p.polrelid = c.oid AND a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                           AND (coalesce(pg_get_expr(p.polqual, p.polrelid), '') || ' ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')) ~ 'auth\.'
                           AND (coalesce(pg_get_expr(p.polqual, p.polrelid), '') || ' ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')) ~ ('\m' || a.attname || '\M')),
                   ARRAY(SELECT a.attname::text FROM pg_index x JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0] WHERE x.indrelid = c.oid),
                   ARRAY(SELECT k.conname::text FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f'
                         AND NOT EXISTS (SELECT 1 FROM pg_index x WHERE x.indrelid = c.oid AND (x.indkey::int2[])[0:array_length(k.conkey, 1) - 1] @> k.conkey))
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'rls_schema') AND n.nspname NOT LIKE 'pg\_%'
            ORDER BY 2
            """, connection);
        command.Parameters.AddWithValue("roles", SessionRoles);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new TableInfo(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetFieldValue<string[]>(4),
                reader.GetFieldValue<string[]>(5), reader.GetFieldValue<string[]>(6), reader.GetFieldValue<string[]>(7)));
        }

        return list;
    }

    private static async Task<List<PolicyInfo>> PoliciesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var list = new List<PolicyInfo>();
        await using var command = new NpgsqlCommand("""
            SELECT p.polrelid::regclass::text, p.polname::text,
                   CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                   p.polpermissive,
                   ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END FROM unnest(p.polroles) r ORDER BY 1),
                   pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
            FROM pg_policy p ORDER BY 1, 2
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new PolicyInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetFieldValue<string[]>(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return list;
    }

    [GeneratedRegex(@"\bauth\.[a-z_]+\(")]
    private static partial Regex AuthCall();

    [GeneratedRegex(@"SELECT\s+auth\.[a-z_]+\(", RegexOptions.IgnoreCase)]
    private static partial Regex WrappedAuthCall();
}
