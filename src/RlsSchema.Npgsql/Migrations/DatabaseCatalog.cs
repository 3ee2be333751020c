using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace RlsSchema.Npgsql.Migrations;

/// <summary>
/// What a database holds that an RlsSchema model creates, as sorted lines of text that PostgreSQL itself normalised
/// (<c>format_type</c>, <c>pg_get_expr</c>, <c>pg_get_constraintdef</c>): two databases built differently hold the same
/// schema exactly when their lines are equal. Leaves out what is not the model's (the migration history, column order,
/// object ids) and names PostgreSQL derives (constraint names, an identity's sequence): constraints compare by definition.
/// </summary>
internal static class DatabaseCatalog
{
    // Schemas that are never the model's tables.
    private const string UserSchemas =
        "n.nspname NOT IN ('pg_catalog', 'information_schema', 'rls_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'";

    private const string Query = """
        SELECT 'table ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
               || ' rls=' || c.relrowsecurity || ' force=' || c.relforcerowsecurity
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND {0}
        UNION ALL
        SELECT 'column ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' ' || quote_ident(a.attname)
               || ' ' || format_type(a.atttypid, a.atttypmod)
               || CASE WHEN a.attnotnull THEN ' not null' ELSE ' null' END
               || CASE a.attidentity WHEN 'd' THEN ' identity by default' WHEN 'a' THEN ' identity always' ELSE '' END
               || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND {0}
        UNION ALL
        SELECT 'constraint ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
               || ' ' || pg_get_constraintdef(k.oid, true)
        FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE k.contype IN ('c', 'p', 'u', 'f', 'x') AND {0}
        UNION ALL
        SELECT 'index ' || quote_ident(n.nspname) || '.' || quote_ident(t.relname) || ' ' || quote_ident(i.relname)
               || ' ' || regexp_replace(pg_get_indexdef(x.indexrelid), '^.* USING ', 'USING ')
               || CASE WHEN x.indisunique THEN ' unique' ELSE '' END
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid) AND {0}
        UNION ALL
        SELECT 'policy ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' ' || quote_ident(p.polname)
               || CASE WHEN p.polpermissive THEN ' permissive' ELSE ' restrictive' END
               || ' for ' || CASE p.polcmd WHEN 'r' THEN 'select' WHEN 'a' THEN 'insert' WHEN 'w' THEN 'update' WHEN 'd' THEN 'delete' ELSE 'all' END
               || ' to ' || (SELECT string_agg(CASE WHEN r = 0 THEN 'public' ELSE quote_ident(pg_get_userbyid(r)) END, ',' ORDER BY 1) FROM unnest(p.polroles) r)
               || coalesce(' using ' || pg_get_expr(p.polqual, p.polrelid), '')
               || coalesce(' with check ' || pg_get_expr(p.polwithcheck, p.polrelid), '')
        FROM pg_policy p
        JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE {0}
        UNION ALL
        SELECT 'grant ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' ' || quote_ident(pg_get_userbyid(g.grantee))
               || ' ' || string_agg(g.privilege_type, ',' ORDER BY g.privilege_type)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
             LATERAL aclexplode(c.relacl) g
        WHERE c.relkind IN ('r', 'p') AND g.grantee <> 0 AND g.grantee <> c.relowner AND {0}
        GROUP BY n.nspname, c.relname, g.grantee
        UNION ALL
        SELECT 'schema usage ' || quote_ident(n.nspname) || ' ' || quote_ident(pg_get_userbyid(g.grantee))
        FROM pg_namespace n, LATERAL aclexplode(n.nspacl) g
        WHERE g.privilege_type = 'USAGE' AND g.grantee <> 0 AND g.grantee <> n.nspowner AND {0}
        UNION ALL
        SELECT 'function ' || p.oid::regprocedure::text || ' returns ' || format_type(p.prorettype, NULL)
               || ' volatility=' || p.provolatile::text || CASE WHEN p.prosecdef THEN ' security definer' ELSE '' END
               || ' body ' || md5(p.prosrc)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'auth'
        """;

    /// <summary>Reads the catalog lines, sorted.</summary>
    /// <param name="connection">An open connection to the database.</param>
    /// <param name="transaction">The transaction to read in, or null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The lines, sorted ordinally.</returns>
    public static async Task<IReadOnlyList<string>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var command = new NpgsqlCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, Query, UserSchemas), connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    lines.Add(reader.GetString(0));
                }
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>Whether the lines show any table: the database is not empty.</summary>
    /// <param name="lines">Catalog lines.</param>
    /// <returns>True when a table exists.</returns>
    public static bool HasTables(IReadOnlyList<string> lines) => lines.Any(l => l.StartsWith("table ", StringComparison.Ordinal));

    /// <summary>The table a line is about (<c>schema.table</c> as quoted in the line), or null for a line about no table.</summary>
    /// <param name="line">A catalog line.</param>
    /// <returns>The table's name, or null.</returns>
    public static string? TableOf(string line)
    {
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        string kind = space < 0 ? line : line.Substring(0, space);
        if (kind is not ("table" or "column" or "constraint" or "index" or "policy" or "grant"))
        {
            return null;
        }

        // schema.table, where either part may be a quoted identifier holding spaces, dots or doubled quotes.
        int i = space + 1;
        bool quoted = false;
        while (i < line.Length)
        {
            char c = line[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                break;
            }

            i++;
        }

        return line.Substring(space + 1, i - space - 1);
    }

    /// <summary>The lines only one side holds, each prefixed with <c>-</c> (only in <paramref name="expected"/>) or <c>+</c> (only in <paramref name="actual"/>).</summary>
    /// <param name="expected">The expected lines.</param>
    /// <param name="actual">The actual lines.</param>
    /// <returns>The differences, sorted; empty when the catalogs match.</returns>
    public static IReadOnlyList<string> Compare(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var missing = expected.Except(actual, StringComparer.Ordinal).Select(l => "- " + l);
        var extra = actual.Except(expected, StringComparer.Ordinal).Select(l => "+ " + l);
        return missing.Concat(extra).OrderBy(l => l.Substring(2), StringComparer.Ordinal).ToList();
    }
}
