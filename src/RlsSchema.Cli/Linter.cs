using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Schema;

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

/// <summary>Row-level security checks on what the catalog reader reads of a live database; each fix is the SQL writer's statement where it is one. Nothing is changed.</summary>
internal static partial class Linter
{
    private static readonly string[] SessionRoles = ["authenticated", "anonymous"];
    private static readonly string[] Actions = ["SELECT", "INSERT", "UPDATE", "DELETE"];

    public static async Task<IReadOnlyList<LintFinding>> RunAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var model = await CatalogReader.ReadAsync(connection, null, CatalogScope.Everything, cancellationToken);
        var tables = model.Tables.Select(Table).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var policies = model.Tables
            .SelectMany(t => t.Policies.Select(p => new PolicyInfo(Name(t), p.Name, p.Command, p.Permissive, [.. p.Roles], p.Using, p.WithCheck)))
            .OrderBy(p => p.Table, StringComparer.Ordinal).ThenBy(p => p.Policy, StringComparer.Ordinal)
            .ToList();
        var findings = new List<LintFinding>();
        foreach (var t in tables)
        {
            var own = policies.Where(p => p.Table == t.Name).ToList();
            if (!t.Rls && t.Key.Schema == "public")
            {
                findings.Add(new("rls_disabled_in_public", LintLevel.Error, t.Name,
                    "Row-level security is off on a table in public: any role granted the table, now or later, reads and writes every row.",
                    $"{EnableRowLevelSecurity(t)} then declare its policies (or move the table out of public)."));
            }
            else if (!t.Rls && t.SessionGrants)
            {
                findings.Add(new("rls_disabled_in_exposed_schema", LintLevel.Warning, t.Name,
                    "Row-level security is off on a table the session roles hold privileges on: they read and write every row.",
                    $"{EnableRowLevelSecurity(t)} then declare its policies, or revoke the session roles' privileges."));
            }

            if (!t.Rls && own.Count > 0)
            {
                findings.Add(new("policy_exists_rls_disabled", LintLevel.Error, t.Name,
                    $"The table has {own.Count} polic{(own.Count == 1 ? "y" : "ies")} ({string.Join(", ", own.Select(p => p.Policy))}) but row-level security is off, so none of them applies.",
                    EnableRowLevelSecurity(t)));
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
                    PostgresSqlWriter.Write(new CreateIndexOperation(t.Key, new IndexDefinition
                    {
                        Name = SqlSyntax.Truncate(t.Key.Name + "_" + column + "_idx"),
                        Columns = new[] { column }.ToImmutableEquatableArray(),
                        Unique = false,
                    }))));
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
                        PostgresSqlWriter.Write(new RevokeOperation(t.Key, "anonymous", new[] { action }.ToImmutableEquatableArray())) + " or narrow the policy to authenticated."));
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

    private sealed record TableInfo(TableName Key, string Name, bool Rls, bool SessionGrants, string[] AnonymousPrivileges, string[] PolicyColumns, string[] IndexedColumns, string[] UnindexedForeignKeys);

    private sealed record PolicyInfo(string Table, string Policy, string Command, bool Permissive, string[] Roles, string? Using, string? WithCheck);

    // The table as the messages name it: as PostgreSQL prints a regclass, unqualified in public.
    private static string Name(TableModel table) => PostgresSqlWriter.Table(TableName.Of(table));

    private static string EnableRowLevelSecurity(TableInfo table) => PostgresSqlWriter.Write(new RowLevelSecurityOperation(table.Key, true));

    private static TableInfo Table(TableModel t)
    {
        // Every index's first column, the primary key's included (the catalog reader lists it as the key, not as an index).
        var leading = t.Indexes.Select(i => i.Columns).Concat(t.PrimaryKey.Count > 0 ? [t.PrimaryKey] : []).ToList();
        var policyColumns = t.Columns.Select(c => c.Name)
            .Where(column => t.Policies.Any(p => (p.Using + " " + p.WithCheck) is var text && text.Contains("auth.", StringComparison.Ordinal)
                && Regex.IsMatch(text, @"\b" + Regex.Escape(column) + @"\b")))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return new TableInfo(
            TableName.Of(t),
            Name(t),
            t.RowLevelSecurity,
            t.Grants.Any(g => SessionRoles.Contains(g.Role)),
            [.. t.Grants.Where(g => g.Role is "anonymous" or "PUBLIC").SelectMany(g => g.Privileges).Select(ColumnPrivileges.Kind)],
            policyColumns,
            [.. leading.Where(columns => columns.Count > 0).Select(columns => columns[0]).Distinct(StringComparer.Ordinal)],
            [.. t.ForeignKeys
                .Where(k => !leading.Any(columns => k.Columns.All(c => columns.Take(k.Columns.Count).Contains(c, StringComparer.Ordinal))))
                .Select(k => k.Name)]);
    }

    [GeneratedRegex(@"\bauth\.[a-z_]+\(")]
    private static partial Regex AuthCall();

    [GeneratedRegex(@"SELECT\s+auth\.[a-z_]+\(", RegexOptions.IgnoreCase)]
    private static partial Regex WrappedAuthCall();
}
