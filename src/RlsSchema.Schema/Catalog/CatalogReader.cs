using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace RlsSchema.Schema;

/// <summary>
/// The one catalog reader: a live database into the model's terms, with every expression as PostgreSQL prints it
/// (<c>pg_get_expr</c>, <c>pg_get_constraintdef</c>, <c>format_type</c>), so that text PostgreSQL normalises the same
/// compares equal. <c>rlsschema diff</c> reads the live and the scratch database with it, <c>rlsschema lint</c> lints
/// what it reads, and the migrator's adoption check and the tests compare what it reads. What it reads is the
/// <see cref="CatalogScope"/>'s to say.
/// </summary>
internal static class CatalogReader
{
    /// <summary>Reads the database.</summary>
    /// <param name="connection">An open connection (Npgsql's).</param>
    /// <param name="transaction">The transaction to read in, or null.</param>
    /// <param name="scope">What to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The model: tables sorted by schema and name, their parts sorted as a snapshot sorts them.</returns>
    public static async Task<DatabaseModel> ReadAsync(DbConnection connection, DbTransaction? transaction, CatalogScope scope, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<uint, Table>();
        await ReadAsync(connection, transaction, """
            SELECT c.oid, n.nspname, c.relname, c.relrowsecurity, c.relforcerowsecurity
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p')
            """, r =>
        {
            if (scope.Includes(r.GetString(1)))
            {
                tables[(uint)r.GetValue(0)] = new Table(r.GetString(1), r.GetString(2), r.GetBoolean(3), r.GetBoolean(4));
            }
        }, cancellationToken);
        await ReadAsync(connection, transaction, """
            SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity <> '', pg_get_expr(d.adbin, d.adrelid)
            FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attrelid, a.attnum
            """, r =>
        {
            if (tables.TryGetValue((uint)r.GetValue(0), out var t))
            {
                t.Columns.Add(new ColumnDefinition
                {
                    Name = r.GetString(1),
                    Type = r.GetString(2),
                    Nullable = !r.GetBoolean(3),
                    Identity = r.GetBoolean(4),
                    Default = r.IsDBNull(5) ? null : r.GetString(5),
                });
            }
        }, cancellationToken);
        await ReadAsync(connection, transaction, """
            SELECT k.conrelid, k.contype::text, pg_get_constraintdef(k.oid, true),
                   ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o)
            FROM pg_constraint k WHERE k.contype IN ('c', 'p')
            """, r =>
        {
            if (tables.TryGetValue((uint)r.GetValue(0), out var t))
            {
                if (r.GetString(1) == "p")
                {
                    t.PrimaryKey.AddRange(r.GetFieldValue<string[]>(3));
                }
                else
                {
                    var definition = r.GetString(2);
                    t.Checks.Add(new CheckDefinition { Sql = definition.StartsWith("CHECK (", StringComparison.Ordinal) && definition.EndsWith(")", StringComparison.Ordinal) ? definition.Substring(7, definition.Length - 8) : definition });
                }
            }
        }, cancellationToken);
        await ReadAsync(connection, transaction, """
            SELECT x.indrelid, i.relname, x.indisunique,
                   ARRAY(SELECT coalesce(a.attname::text, pg_get_indexdef(x.indexrelid, u.o::int, true)) FROM unnest(x.indkey::int2[]) WITH ORDINALITY u(n, o)
                         LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = u.n ORDER BY u.o)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid)
            """, r =>
        {
            if (tables.TryGetValue((uint)r.GetValue(0), out var t))
            {
                t.Indexes.Add(new IndexDefinition { Name = r.GetString(1), Unique = r.GetBoolean(2), Columns = r.GetFieldValue<string[]>(3).ToImmutableEquatableArray() });
            }
        }, cancellationToken);
        await ReadAsync(connection, transaction, """
            SELECT p.polrelid, p.polname,
                   CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                   p.polpermissive,
                   ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END FROM unnest(p.polroles) r ORDER BY 1),
                   pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
            FROM pg_policy p
            """, r =>
        {
            if (tables.TryGetValue((uint)r.GetValue(0), out var t))
            {
                t.Policies.Add(new PolicyDefinition
                {
                    Name = r.GetString(1),
                    Command = r.GetString(2),
                    Permissive = r.GetBoolean(3),
                    Roles = r.GetFieldValue<string[]>(4).ToImmutableEquatableArray(),
                    Using = r.IsDBNull(5) ? null : r.GetString(5),
                    WithCheck = r.IsDBNull(6) ? null : r.GetString(6),
                });
            }
        }, cancellationToken);
        await ReadAsync(connection, transaction, """
            SELECT c.oid, CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee)::text END, array_agg(g.privilege_type::text ORDER BY g.privilege_type)
            FROM pg_class c, LATERAL aclexplode(c.relacl) g
            WHERE c.relkind IN ('r', 'p') AND g.grantee <> c.relowner
            GROUP BY c.oid, g.grantee
            """, r =>
        {
            if (tables.TryGetValue((uint)r.GetValue(0), out var t) && scope.IncludesRole(r.GetString(1)))
            {
                t.Grants.Add(new GrantDefinition { Role = r.GetString(1), Privileges = r.GetFieldValue<string[]>(2).ToImmutableEquatableArray() });
            }
        }, cancellationToken);
        // A privilege on some columns only is one entry per column in pg_attribute.attacl: gathered as one privilege naming them.
        await ReadAsync(connection, transaction, """
            SELECT c.oid, CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee)::text END, g.privilege_type::text, array_agg(a.attname::text)
            FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid, LATERAL aclexplode(a.attacl) g
            WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND g.grantee <> c.relowner
            GROUP BY c.oid, g.grantee, g.privilege_type
            """, r =>
        {
            if (tables.TryGetValue((uint)r.GetValue(0), out var t) && scope.IncludesRole(r.GetString(1)))
            {
                t.ColumnGrants.Add((r.GetString(1), ColumnPrivileges.On(r.GetString(2), r.GetFieldValue<string[]>(3))));
            }
        }, cancellationToken);
        await ReadAsync(connection, transaction, """
            SELECT k.conrelid, k.conname, rn.nspname, rc.relname, k.confdeltype::text,
                   ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o),
                   ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o)
            FROM pg_constraint k JOIN pg_class rc ON rc.oid = k.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
            WHERE k.contype = 'f'
            """, r =>
        {
            if (tables.TryGetValue((uint)r.GetValue(0), out var t))
            {
                t.ForeignKeys.Add(new ForeignKeyDefinition
                {
                    Name = r.GetString(1),
                    ReferencedSchema = r.GetString(2),
                    ReferencedTable = r.GetString(3),
                    OnDelete = r.GetString(4) switch { "r" => "RESTRICT", "c" => "CASCADE", "n" => "SET NULL", "d" => "SET DEFAULT", _ => "NO ACTION" },
                    Columns = r.GetFieldValue<string[]>(5).ToImmutableEquatableArray(),
                    ReferencedColumns = r.GetFieldValue<string[]>(6).ToImmutableEquatableArray(),
                });
            }
        }, cancellationToken);
        var functions = new List<FunctionModel>();
        await ReadAsync(connection, transaction, """
            SELECT p.oid::regprocedure::text, n.nspname || '.' || p.proname || '(' || pg_get_function_arguments(p.oid) || ')',
                   CASE WHEN p.proretset THEN 'SETOF ' ELSE '' END || format_type(p.prorettype, NULL), p.prosrc, p.prosecdef
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'auth'
            """, r =>
        {
            if (scope.IncludesFunction(r.GetString(0)))
            {
                functions.Add(Function(r));
            }
        }, cancellationToken);

        // The script's roles are the ones it lets use the auth schema.
        var roles = new List<string>();
        await ReadAsync(connection, transaction, """
            SELECT pg_get_userbyid(g.grantee)::text
            FROM pg_namespace n, LATERAL aclexplode(n.nspacl) g
            WHERE n.nspname = 'auth' AND g.privilege_type = 'USAGE' AND g.grantee <> 0 AND g.grantee <> n.nspowner
            """, r =>
        {
            if (scope.IncludesRole(r.GetString(0)))
            {
                roles.Add(r.GetString(0));
            }
        }, cancellationToken);

        return new DatabaseModel
        {
            Roles = roles.Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal).ToImmutableEquatableArray(),
            Functions = functions.OrderBy(f => f.Signature, StringComparer.Ordinal).ToImmutableEquatableArray(),
            Tables = tables.Values.Select(t => t.ToModel()).OrderBy(t => t.Schema, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal).ToImmutableEquatableArray(),
        };
    }

    private static FunctionModel Function(DbDataReader r) => new FunctionModel
    {
        Signature = r.GetString(0),
        Declaration = r.GetString(1),
        Returns = r.GetString(2),
        Body = r.GetString(3).Trim(),
        SecurityDefiner = r.GetBoolean(4),
    };

    private static async Task ReadAsync(DbConnection connection, DbTransaction? transaction, string sql, Action<DbDataReader> row, CancellationToken cancellationToken)
    {
        using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            row(reader);
        }
    }

    private sealed class Table(string schema, string name, bool rls, bool force)
    {
        public List<ColumnDefinition> Columns { get; } = [];

        public List<string> PrimaryKey { get; } = [];

        public List<CheckDefinition> Checks { get; } = [];

        public List<IndexDefinition> Indexes { get; } = [];

        public List<PolicyDefinition> Policies { get; } = [];

        public List<GrantDefinition> Grants { get; } = [];

        public List<ForeignKeyDefinition> ForeignKeys { get; } = [];

        public List<(string Role, string Privilege)> ColumnGrants { get; } = [];

        public TableModel ToModel() => new()
        {
            Schema = schema,
            Name = name,
            Columns = Columns.ToImmutableEquatableArray(),
            PrimaryKey = PrimaryKey.ToImmutableEquatableArray(),
            Checks = Checks.OrderBy(c => c).ToImmutableEquatableArray(),
            Indexes = Indexes.OrderBy(i => i.Name, StringComparer.Ordinal).ToImmutableEquatableArray(),
            RowLevelSecurity = rls,
            ForceRowLevelSecurity = force,
            ForeignKeys = ForeignKeys.OrderBy(k => k.Name, StringComparer.Ordinal).ToImmutableEquatableArray(),
            Policies = Policies.OrderBy(p => p.Name, StringComparer.Ordinal).ToImmutableEquatableArray(),
            Grants = Grants.Select(g => (g.Role, Privileges: (IEnumerable<string>)g.Privileges))
                .Concat(ColumnGrants.Select(g => (g.Role, Privileges: (IEnumerable<string>)[g.Privilege])))
                .GroupBy(g => g.Role, StringComparer.Ordinal)
                .Select(g => new GrantDefinition { Role = g.Key, Privileges = g.SelectMany(x => x.Privileges).OrderBy(x => x, StringComparer.Ordinal).ToImmutableEquatableArray() })
                .OrderBy(g => g.Role, StringComparer.Ordinal)
                .ToImmutableEquatableArray(),
        };
    }
}
