using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using Npgsql;
using RlsSchema.Npgsql;

namespace RlsSchema.EfCore.Conformance.Tests.Infrastructure;

/// <summary>One thing the server holds about a schema object: <c>column customers.email</c> / <c>type</c> / <c>text</c>.</summary>
public sealed record SchemaFact(string Subject, string Aspect, string Value);

/// <summary>
/// Reads the <c>public</c> schema of a database from its catalog as facts, so that two databases compare fact by fact.
/// Each kind of object is one query: columns, tables, indexes (with primary keys) and foreign keys; comparing a new kind
/// (checks, say) is one more query here.
/// </summary>
public static class SchemaFacts
{
    /// <summary>What an absent subject or aspect shows as.</summary>
    public const string Absent = "-";

    private const string Columns =
        """
        SELECT 'column ' || c.relname || '.' || a.attname AS "Subject",
               format_type(a.atttypid, a.atttypmod) AS "Type",
               a.attnotnull AS "NotNull",
               CASE a.attidentity WHEN 'd' THEN 'by default' WHEN 'a' THEN 'always' ELSE 'no' END AS "Identity",
               pg_get_expr(d.adbin, d.adrelid) AS "Default",
               col_description(a.attrelid, a.attnum) AS "Comment"
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        """;

    private const string Tables =
        """
        SELECT 'table ' || c.relname AS "Subject", obj_description(c.oid, 'pg_class') AS "Comment"
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'
        """;

    private const string Indexes =
        """
        SELECT CASE WHEN x.indisprimary THEN 'primary key ' || t.relname
                    ELSE 'index ' || t.relname || ' (' || cols.list || ')' END AS "Subject",
               cols.list AS "Columns", x.indisunique AS "IsUnique", x.indisprimary AS "IsPrimary", i.relname::text AS "Name"
        FROM pg_index x
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        CROSS JOIN LATERAL (
          SELECT string_agg(a.attname, ', ' ORDER BY k.ord) AS list
          FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) cols
        WHERE n.nspname = 'public' AND t.relkind = 'r'
        """;

    // The ON DELETE / ON UPDATE codes of pg_constraint (confdeltype, confupdtype) as the SQL words.
    private const string ForeignKeys =
        """
        SELECT 'foreign key ' || t.relname || ' (' || cols.list || ')' AS "Subject",
               r.relname || ' (' || refs.list || ')' AS "References",
               CASE con.confdeltype WHEN 'a' THEN 'no action' WHEN 'r' THEN 'restrict' WHEN 'c' THEN 'cascade'
                                    WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' END AS "OnDelete",
               CASE con.confupdtype WHEN 'a' THEN 'no action' WHEN 'r' THEN 'restrict' WHEN 'c' THEN 'cascade'
                                    WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' END AS "OnUpdate",
               CASE WHEN con.condeferred THEN 'initially deferred' WHEN con.condeferrable THEN 'yes' ELSE 'no' END AS "Deferrable",
               CASE con.confmatchtype WHEN 'f' THEN 'full' WHEN 'p' THEN 'partial' ELSE 'simple' END AS "Match"
        FROM pg_constraint con
        JOIN pg_class t ON t.oid = con.conrelid
        JOIN pg_class r ON r.oid = con.confrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        CROSS JOIN LATERAL (
          SELECT string_agg(a.attname, ', ' ORDER BY k.ord) AS list
          FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) cols
        CROSS JOIN LATERAL (
          SELECT string_agg(a.attname, ', ' ORDER BY k.ord) AS list
          FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) refs
        WHERE n.nspname = 'public' AND con.contype = 'f'
        """;

    /// <summary>Reads every fact of the database's <c>public</c> schema, as its owner.</summary>
    public static async Task<IReadOnlyList<SchemaFact>> ReadAsync(string ownerConnectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(cancellationToken);
        var facts = new List<SchemaFact>();

        foreach (var column in await connection.QueryAsync<ColumnRow>(new CommandDefinition(Columns, cancellationToken: cancellationToken)))
        {
            facts.Add(new(column.Subject, "type", column.Type));
            facts.Add(new(column.Subject, "not null", column.NotNull ? "yes" : "no"));
            facts.Add(new(column.Subject, "identity", column.Identity));
            facts.Add(new(column.Subject, "default", column.Default ?? Absent));
            facts.Add(new(column.Subject, "comment", column.Comment ?? Absent));
        }

        foreach (var table in await connection.QueryAsync<TableRow>(new CommandDefinition(Tables, cancellationToken: cancellationToken)))
        {
            facts.Add(new(table.Subject, "comment", table.Comment ?? Absent));
        }

        foreach (var index in await connection.QueryAsync<IndexRow>(new CommandDefinition(Indexes, cancellationToken: cancellationToken)))
        {
            if (index.IsPrimary)
            {
                facts.Add(new(index.Subject, "columns", index.Columns));
            }
            else
            {
                facts.Add(new(index.Subject, "unique", index.IsUnique ? "yes" : "no"));
                facts.Add(new(index.Subject, "name", index.Name));
            }
        }

        foreach (var key in await connection.QueryAsync<ForeignKeyRow>(new CommandDefinition(ForeignKeys, cancellationToken: cancellationToken)))
        {
            facts.Add(new(key.Subject, "references", key.References));
            facts.Add(new(key.Subject, "on delete", key.OnDelete));
            facts.Add(new(key.Subject, "on update", key.OnUpdate));
            facts.Add(new(key.Subject, "deferrable", key.Deferrable));
            facts.Add(new(key.Subject, "match", key.Match));
        }

        return facts;
    }

    /// <summary>Every aspect in which <paramref name="efCore"/> and <paramref name="rlsSchema"/> differ, a missing subject as one <c>exists</c> difference.</summary>
    public static IReadOnlyList<SchemaDifference> Compare(IReadOnlyList<SchemaFact> efCore, IReadOnlyList<SchemaFact> rlsSchema)
    {
        var left = efCore.ToLookup(f => f.Subject);
        var right = rlsSchema.ToLookup(f => f.Subject);
        var differences = new List<SchemaDifference>();
        foreach (var subject in left.Select(g => g.Key).Union(right.Select(g => g.Key)).Order())
        {
            var ef = left[subject].ToDictionary(f => f.Aspect, f => f.Value);
            var rls = right[subject].ToDictionary(f => f.Aspect, f => f.Value);
            if (ef.Count == 0 || rls.Count == 0)
            {
                differences.Add(new(subject, "exists", ef.Count == 0 ? "no" : "yes", rls.Count == 0 ? "no" : "yes"));
                continue;
            }

            foreach (var aspect in ef.Keys.Union(rls.Keys).Order())
            {
                var efValue = ef.GetValueOrDefault(aspect, Absent);
                var rlsValue = rls.GetValueOrDefault(aspect, Absent);
                if (efValue != rlsValue)
                {
                    differences.Add(new(subject, aspect, efValue, rlsValue));
                }
            }
        }

        return differences;
    }

    private sealed record ColumnRow(string Subject, string Type, bool NotNull, string Identity, string? Default, string? Comment);

    private sealed record TableRow(string Subject, string? Comment);

    private sealed record IndexRow(string Subject, string Columns, bool IsUnique, bool IsPrimary, string Name);

    private sealed record ForeignKeyRow(string Subject, string References, string OnDelete, string OnUpdate, string Deferrable, string Match);
}

/// <summary>One aspect of one subject on which the two mappings disagree.</summary>
public sealed record SchemaDifference(string Subject, string Aspect, string EfCore, string RlsSchema)
{
    /// <summary>The difference as a row of the accepted-differences table, reason left to fill in.</summary>
    public string AsTableRow() => $"| {Subject} | {Aspect} | `{EfCore}` | `{RlsSchema}` | ... |";
}
