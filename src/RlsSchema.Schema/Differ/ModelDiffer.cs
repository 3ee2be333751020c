using System;
using System.Collections.Generic;
using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>
    /// Compares two database models and writes the statements that turn the first into the second, in dependency order:
    /// roles; removed and changed policies dropped; removed and changed foreign keys dropped; functions that change
    /// shape dropped; removed indexes dropped; renames; removed tables dropped; checks and keys taken off where they
    /// change; new tables; column changes; keys and checks put back; functions created or replaced; foreign keys added;
    /// grants; row-level security flags; policies created and altered; indexes created. Renames come only from
    /// <c>[RenamedFrom]</c>; everything else that is not matched by name is dropped and created.
    /// </summary>
    internal static class ModelDiffer
    {
        /// <summary>Diffs two models.</summary>
        /// <param name="previous">The model as of the latest migration.</param>
        /// <param name="current">The model of the code, with its <c>[RenamedFrom]</c> names.</param>
        /// <returns>The plan; empty when both models create the same database.</returns>
        public static MigrationPlan Diff(DatabaseModel previous, DatabaseModel current)
        {
            var d = new Differ(previous, current);
            d.Run();
            return new MigrationPlan(d.Steps.ToImmutableEquatableArray());
        }

        private sealed class TablePair
        {
            public TablePair(TableModel old, TableModel @new)
            {
                Old = old;
                New = @new;
            }

            public TableModel Old { get; }

            public TableModel New { get; }

            // Old column name -> new column, for columns both sides hold.
            public List<(ColumnDefinition Old, ColumnDefinition New)> Columns { get; } = new List<(ColumnDefinition, ColumnDefinition)>();

            public List<ColumnDefinition> AddedColumns { get; } = new List<ColumnDefinition>();

            public List<ColumnDefinition> DroppedColumns { get; } = new List<ColumnDefinition>();

            public bool Renamed => Old.Name != New.Name;

            public bool Retyped => Columns.Any(c => c.Old.Type != c.New.Type);

            public bool ChecksChanged => !Old.Checks.Equals(New.Checks) || DroppedColumns.Count > 0 && Old.Checks.Count > 0;

            public bool KeyChanged => !Old.PrimaryKey.Select(OldToNew).SequenceEqual(New.PrimaryKey, StringComparer.Ordinal);

            public string OldToNew(string oldColumn) =>
                Columns.Where(c => c.Old.Name == oldColumn).Select(c => c.New.Name).FirstOrDefault() ?? "\0" + oldColumn;
        }

        private sealed class Differ
        {
            private readonly DatabaseModel _old;
            private readonly DatabaseModel _new;
            private readonly List<TablePair> _pairs = new List<TablePair>();
            private readonly List<TableModel> _added = new List<TableModel>();
            private readonly List<TableModel> _dropped = new List<TableModel>();

            // Every policy is dropped and created again: a function a policy calls changes shape, or a column changes
            // type (PostgreSQL refuses to retype a column any policy reads, on its own table or through a subquery).
            private bool _recreateAllPolicies;

            public Differ(DatabaseModel old, DatabaseModel @new)
            {
                _old = old;
                _new = @new;
            }

            public List<MigrationStep> Steps { get; } = new List<MigrationStep>();

            public void Run()
            {
                MatchTables();
                _recreateAllPolicies = _pairs.Any(p => p.Retyped) || _old.Functions.Any(f => FunctionChangesShape(f));
                Roles();
                DropPolicies();
                DropForeignKeys();
                DropFunctions();
                DropIndexes();
                Renames();
                DropTables();
                TakeOffChecksAndKeys();
                CreateTables();
                AlterColumns();
                PutBackKeysAndChecks();
                Functions();
                AddForeignKeys();
                Grants();
                RowLevelSecurity();
                CreateAndAlterPolicies();
                CreateIndexes();
            }

            private void Add(string sql, string? destructive = null) => Steps.Add(new MigrationStep(sql, destructive));

            private void MatchTables()
            {
                var oldByKey = _old.Tables.ToDictionary(t => t.Key, StringComparer.Ordinal);
                var newKeys = new HashSet<string>(_new.Tables.Select(t => t.Key), StringComparer.Ordinal);
                var matched = new HashSet<string>(StringComparer.Ordinal);
                foreach (TableModel table in _new.Tables)
                {
                    TableModel? old = null;
                    if (oldByKey.TryGetValue(table.Key, out TableModel? same))
                    {
                        old = same;
                    }
                    else if (table.RenamedFrom is { } from
                        && oldByKey.TryGetValue(table.Schema + "." + from, out TableModel? renamed)
                        && !newKeys.Contains(renamed.Key)
                        && !matched.Contains(renamed.Key))
                    {
                        old = renamed;
                    }

                    if (old is null)
                    {
                        _added.Add(table);
                        continue;
                    }

                    matched.Add(old.Key);
                    _pairs.Add(MatchColumns(old, table));
                }

                _dropped.AddRange(_old.Tables.Where(t => !matched.Contains(t.Key)));
            }

            private static TablePair MatchColumns(TableModel old, TableModel table)
            {
                var pair = new TablePair(old, table);
                var oldByName = old.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
                var newNames = new HashSet<string>(table.Columns.Select(c => c.Name), StringComparer.Ordinal);
                var matched = new HashSet<string>(StringComparer.Ordinal);
                foreach (ColumnDefinition column in table.Columns)
                {
                    if (oldByName.TryGetValue(column.Name, out ColumnDefinition? same))
                    {
                        pair.Columns.Add((same, column));
                        matched.Add(same.Name);
                    }
                    else if (column.RenamedFrom is { } from && oldByName.TryGetValue(from, out ColumnDefinition? renamed)
                        && !newNames.Contains(from) && !matched.Contains(from))
                    {
                        pair.Columns.Add((renamed, column));
                        matched.Add(from);
                    }
                    else
                    {
                        pair.AddedColumns.Add(column);
                    }
                }

                pair.DroppedColumns.AddRange(old.Columns.Where(c => !matched.Contains(c.Name)));
                return pair;
            }

            // A function whose parameters or return type change cannot be replaced in place: it is dropped (after the
            // policies that call it) and created again.
            private bool FunctionChangesShape(FunctionModel old) =>
                _new.Functions.FirstOrDefault(f => f.Signature == old.Signature) is not { } now
                || now.Returns != old.Returns || now.Declaration != old.Declaration || now.SecurityDefiner != old.SecurityDefiner;

            private void DropFunctions()
            {
                foreach (FunctionModel f in _old.Functions.Where(FunctionChangesShape))
                {
                    // pg_session_jwt's own functions stay.
                    Add("DO $rls$\nBEGIN\n"
                        + "  IF " + AuthFunctions.NotOwnedByExtension(f.Signature) + " THEN\n"
                        + "    DROP FUNCTION IF EXISTS " + f.Signature + ";\n"
                        + "  END IF;\nEND\n$rls$;");
                }
            }

            private void Functions()
            {
                var old = _old.Functions.ToDictionary(f => f.Signature, StringComparer.Ordinal);
                foreach (FunctionModel f in _new.Functions)
                {
                    if (old.TryGetValue(f.Signature, out FunctionModel? was) && was.Equals(f))
                    {
                        continue;
                    }

                    if (f.SecurityDefiner)
                    {
                        Add(AuthFunctions.CreateDefiner(f.Declaration, f.Returns, f.Body) + "\n"
                            + "REVOKE ALL ON FUNCTION " + f.Signature + " FROM PUBLIC;" + GrantExecute(f));
                        continue;
                    }

                    // pg_session_jwt's own functions stay: only the fallback SQL functions are replaced.
                    Add("DO $rls$\nBEGIN\n"
                        + "  IF " + AuthFunctions.NotOwnedByExtension(f.Signature) + " THEN\n"
                        + "    " + AuthFunctions.Create(f.Declaration, f.Returns, f.Body, replace: true) + "\n"
                        + "  END IF;\nEND\n$rls$;" + GrantExecute(f));
                }
            }

            private string GrantExecute(FunctionModel f) =>
                _new.Roles.Count == 0 ? "" : "\nGRANT EXECUTE ON FUNCTION " + f.Signature + " TO " + string.Join(", ", _new.Roles.Select(SqlSyntax.Identifier)) + ";";

            private void Roles()
            {
                var added = _new.Roles.Except(_old.Roles, StringComparer.Ordinal).ToList();
                foreach (string role in added)
                {
                    string name = SqlSyntax.Identifier(role);
                    Add("DO $rls$\nBEGIN\n" + RoleSql.CreateIfMissing(role) + "\nEND\n$rls$;\n"
                        + "GRANT USAGE ON SCHEMA auth TO " + name + ";\n"
                        + "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA auth TO " + name + ";\n"
                        + "GRANT USAGE ON SCHEMA public TO " + name + ";");
                }

                // A role the model no longer names keeps existing (roles belong to the whole server) but loses what the
                // script gave it in this database; its table privileges go with each table's grants below.
                foreach (string role in _old.Roles.Except(_new.Roles, StringComparer.Ordinal))
                {
                    string name = SqlSyntax.Identifier(role);
                    Add("DO $rls$\nBEGIN\n  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = " + SqlSyntax.Literal(role) + ") THEN\n"
                        + "    REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA auth FROM " + name + ";\n"
                        + "    REVOKE USAGE ON SCHEMA auth FROM " + name + ";\n"
                        + "    REVOKE USAGE ON SCHEMA public FROM " + name + ";\n"
                        + "  END IF;\nEND\n$rls$;");
                }

                foreach (string role in _old.BlanketGrants == _new.BlanketGrants ? added : _new.Roles.ToList())
                {
                    string name = SqlSyntax.Identifier(role);
                    Add(_new.BlanketGrants
                        ? "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, UPDATE, INSERT, DELETE ON TABLES TO " + name + ";"
                        : "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, UPDATE, INSERT, DELETE ON TABLES FROM " + name + ";");
                }
            }

            private TablePair? PairOf(string schema, string name) => _pairs.FirstOrDefault(p => p.New.Schema == schema && p.New.Name == name);

            // The old foreign key a new one keeps unchanged: same name, columns, target and action, on tables neither
            // renamed nor retyped, to a key that stays. Anything else is dropped and added again (existing rows are checked).
            private ForeignKeyDefinition? KeptFrom(TablePair pair, ForeignKeyDefinition key)
            {
                TablePair? target = PairOf(key.ReferencedSchema, key.ReferencedTable);
                if (pair.Renamed || pair.Retyped || target is null || target.Renamed || target.Retyped || target.KeyChanged)
                {
                    return null;
                }

                return pair.Old.ForeignKeys.FirstOrDefault(k => k.Equals(key));
            }

            private void DropForeignKeys()
            {
                foreach (TableModel table in _dropped)
                {
                    foreach (ForeignKeyDefinition key in table.ForeignKeys)
                    {
                        Add("ALTER TABLE " + Table(table) + " DROP CONSTRAINT IF EXISTS " + SqlSyntax.Identifier(key.Name) + ";");
                    }
                }

                foreach (TablePair pair in _pairs)
                {
                    foreach (ForeignKeyDefinition key in pair.Old.ForeignKeys)
                    {
                        if (!pair.New.ForeignKeys.Any(k => KeptFrom(pair, k) == key))
                        {
                            Add("ALTER TABLE " + Table(pair.Old) + " DROP CONSTRAINT IF EXISTS " + SqlSyntax.Identifier(key.Name) + ";");
                        }
                    }
                }
            }

            private void AddForeignKeys()
            {
                foreach (TableModel table in _added)
                {
                    foreach (ForeignKeyDefinition key in table.ForeignKeys)
                    {
                        Add(AddForeignKey(table, key));
                    }
                }

                foreach (TablePair pair in _pairs)
                {
                    foreach (ForeignKeyDefinition key in pair.New.ForeignKeys)
                    {
                        if (KeptFrom(pair, key) is null)
                        {
                            Add(AddForeignKey(pair.New, key));
                        }
                    }
                }
            }

            private static string AddForeignKey(TableModel table, ForeignKeyDefinition key) =>
                "ALTER TABLE " + Table(table) + " ADD CONSTRAINT " + SqlSyntax.Identifier(key.Name)
                + " FOREIGN KEY (" + string.Join(", ", key.Columns.Select(SqlSyntax.Identifier)) + ") REFERENCES "
                + SqlSyntax.Table(key.ReferencedSchema == "public" ? null : key.ReferencedSchema, key.ReferencedTable)
                + " (" + string.Join(", ", key.ReferencedColumns.Select(SqlSyntax.Identifier)) + ") ON DELETE " + key.OnDelete + ";";

            private static bool MustRecreate(PolicyDefinition old, PolicyDefinition @new) =>
                old.Command != @new.Command || old.Permissive != @new.Permissive
                || (old.Using is not null && @new.Using is null) || (old.WithCheck is not null && @new.WithCheck is null);

            private void DropPolicies()
            {
                foreach (TablePair pair in _pairs)
                {
                    var current = pair.New.Policies.ToDictionary(p => p.Name, StringComparer.Ordinal);
                    foreach (PolicyDefinition policy in pair.Old.Policies)
                    {
                        // A column a policy uses cannot change type under it, so a table with a retyped column gets its policies anew.
                        if (!current.TryGetValue(policy.Name, out PolicyDefinition? now) || MustRecreate(policy, now) || _recreateAllPolicies)
                        {
                            Add("DROP POLICY IF EXISTS " + SqlSyntax.QuotedIdentifier(policy.Name) + " ON " + Table(pair.Old) + ";");
                        }
                    }
                }
            }

            private void DropIndexes()
            {
                foreach (TablePair pair in _pairs)
                {
                    foreach (IndexDefinition index in pair.Old.Indexes)
                    {
                        if (!pair.New.Indexes.Any(i => i.Name == index.Name && SameIndex(pair, index, i)) && RenamedIndex(pair, index) is null)
                        {
                            Add("DROP INDEX IF EXISTS " + SqlSyntax.Identifier(pair.Old.Schema) + "." + SqlSyntax.Identifier(index.Name) + ";");
                        }
                    }
                }
            }

            private static bool SameIndex(TablePair pair, IndexDefinition old, IndexDefinition @new) =>
                old.Unique == @new.Unique && old.Columns.Select(pair.OldToNew).SequenceEqual(@new.Columns, StringComparer.Ordinal);

            // An index whose name changed with its table (names like todos_user_id_idx) is renamed, not rebuilt.
            private static IndexDefinition? RenamedIndex(TablePair pair, IndexDefinition old) =>
                pair.New.Indexes.Any(i => i.Name == old.Name) ? null
                    : pair.New.Indexes.FirstOrDefault(i => SameIndex(pair, old, i) && !pair.Old.Indexes.Any(o => o.Name == i.Name));

            private void Renames()
            {
                foreach (TablePair pair in _pairs.Where(p => p.Renamed))
                {
                    Add("ALTER TABLE " + Table(pair.Old) + " RENAME TO " + SqlSyntax.Identifier(pair.New.Name) + ";");
                }

                foreach (TablePair pair in _pairs)
                {
                    foreach ((ColumnDefinition old, ColumnDefinition now) in pair.Columns.Where(c => c.Old.Name != c.New.Name))
                    {
                        Add("ALTER TABLE " + Table(pair.New) + " RENAME COLUMN " + SqlSyntax.Identifier(old.Name) + " TO " + SqlSyntax.Identifier(now.Name) + ";");
                    }

                    foreach (IndexDefinition index in pair.Old.Indexes)
                    {
                        if (RenamedIndex(pair, index) is { } renamed)
                        {
                            Add("ALTER INDEX " + SqlSyntax.Identifier(pair.New.Schema) + "." + SqlSyntax.Identifier(index.Name) + " RENAME TO " + SqlSyntax.Identifier(renamed.Name) + ";");
                        }
                    }
                }
            }

            private void DropTables()
            {
                foreach (TableModel table in _dropped)
                {
                    Add("DROP TABLE IF EXISTS " + Table(table) + ";", "drops table " + table.Key + " and every row in it");
                }
            }

            private void TakeOffChecksAndKeys()
            {
                foreach (TablePair pair in _pairs)
                {
                    // PostgreSQL names unnamed checks and keys itself, so they are found in the catalog rather than by name.
                    if (pair.ChecksChanged)
                    {
                        Add(DropConstraints(pair.New, "c"));
                    }

                    if (pair.KeyChanged && pair.Old.PrimaryKey.Count > 0)
                    {
                        Add(DropConstraints(pair.New, "p"));
                    }
                }
            }

            private static string DropConstraints(TableModel table, string type) =>
                "DO $rls$\nDECLARE c name;\nBEGIN\n"
                + "  FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = " + SqlSyntax.Literal(Table(table)) + "::regclass AND contype = '" + type + "' LOOP\n"
                + "    EXECUTE format('ALTER TABLE " + Table(table).Replace("'", "''").Replace("%", "%%") + " DROP CONSTRAINT %I', c);\n"
                + "  END LOOP;\nEND\n$rls$;";

            private void CreateTables()
            {
                foreach (string schema in _added.Select(t => t.Schema).Where(s => s != "public").Distinct(StringComparer.Ordinal)
                    .Where(s => !_old.Tables.Any(t => t.Schema == s)))
                {
                    Add("CREATE SCHEMA IF NOT EXISTS " + SqlSyntax.Identifier(schema) + ";");
                }

                foreach (TableModel table in _added)
                {
                    var elements = table.Columns.Select(c => ColumnSql(c, table.PrimaryKey.Count == 1 && table.PrimaryKey[0] == c.Name)).ToList();
                    if (table.PrimaryKey.Count > 1)
                    {
                        elements.Add("primary key (" + string.Join(", ", table.PrimaryKey.Select(SqlSyntax.Identifier)) + ")");
                    }

                    elements.AddRange(table.Checks.Select(CheckSql));
                    Add("CREATE TABLE " + Table(table) + " (\n  " + string.Join(",\n  ", elements) + "\n);");
                }
            }

            private void AlterColumns()
            {
                foreach (TablePair pair in _pairs)
                {
                    string table = Table(pair.New);
                    foreach (ColumnDefinition column in pair.DroppedColumns)
                    {
                        Add("ALTER TABLE " + table + " DROP COLUMN IF EXISTS " + SqlSyntax.Identifier(column.Name) + ";",
                            "drops column " + pair.New.Key + "." + column.Name + " and its data");
                    }

                    foreach (ColumnDefinition column in pair.AddedColumns)
                    {
                        AddColumn(table, column);
                    }

                    foreach ((ColumnDefinition old, ColumnDefinition now) in pair.Columns)
                    {
                        AlterColumn(pair, table, old, now);
                    }
                }
            }

            private void AddColumn(string table, ColumnDefinition column)
            {
                string name = SqlSyntax.Identifier(column.Name);
                if (column.Identity || column.Nullable || column.Default is not null)
                {
                    // A default (or an identity) fills the rows already there.
                    Add("ALTER TABLE " + table + " ADD COLUMN " + ColumnSql(column, isKey: false) + ";");
                    return;
                }

                if (ZeroValue(column.Type) is { } zero)
                {
                    Add("ALTER TABLE " + table + " ADD COLUMN " + name + " " + column.Type + ";\n"
                        + "-- Rows already in the table get " + zero + " in the new NOT NULL column; change the value below if that is wrong.\n"
                        + "UPDATE " + table + " SET " + name + " = " + zero + " WHERE " + name + " IS NULL;\n"
                        + "ALTER TABLE " + table + " ALTER COLUMN " + name + " SET NOT NULL;");
                    return;
                }

                Add("-- The new NOT NULL column has no default: on a table with rows, fill it before SET NOT NULL.\n"
                    + "ALTER TABLE " + table + " ADD COLUMN " + name + " " + column.Type + " not null;");
            }

            private void AlterColumn(TablePair pair, string table, ColumnDefinition old, ColumnDefinition now)
            {
                string alter = "ALTER TABLE " + table + " ALTER COLUMN " + SqlSyntax.Identifier(now.Name);
                bool retyped = old.Type != now.Type;
                bool defaultGone = old.Default is not null && (retyped || now.Default != old.Default || now.Identity);
                if (defaultGone)
                {
                    Add(alter + " DROP DEFAULT;");
                }

                if (old.Identity && !now.Identity)
                {
                    Add(alter + " DROP IDENTITY IF EXISTS;");
                }

                if (retyped)
                {
                    Add(alter + " TYPE " + now.Type + " USING " + SqlSyntax.Identifier(now.Name) + "::" + now.Type + ";",
                        IsWidening(old.Type, now.Type) ? null : "changes " + pair.New.Key + "." + now.Name + " from " + old.Type + " to " + now.Type + "; values that do not fit fail the migration or lose precision");
                }

                if (now.Default is not null && !now.Identity && (now.Default != old.Default || defaultGone))
                {
                    Add(alter + " SET DEFAULT " + DefaultSql(now.Default) + ";");
                }

                bool wasNotNull = !old.Nullable || old.Identity;
                bool isNotNull = !now.Nullable || now.Identity;
                bool keyHeldNotNull = pair.New.PrimaryKey.Contains(now.Name);
                if (isNotNull && !wasNotNull)
                {
                    string name = SqlSyntax.Identifier(now.Name);
                    string? fill = now.Default is not null ? "DEFAULT" : ZeroValue(now.Type);
                    if (fill is not null && !now.Identity)
                    {
                        Add("-- Rows holding NULL get " + (fill == "DEFAULT" ? "the column's default" : fill) + " before the column becomes NOT NULL.\n"
                            + "UPDATE " + table + " SET " + name + " = " + fill + " WHERE " + name + " IS NULL;");
                    }

                    Add(alter + " SET NOT NULL;");
                }
                else if (!isNotNull && wasNotNull && !keyHeldNotNull)
                {
                    Add(alter + " DROP NOT NULL;");
                }

                if (now.Identity && !old.Identity)
                {
                    Add(alter + " ADD GENERATED BY DEFAULT AS IDENTITY;");
                }
            }

            private void PutBackKeysAndChecks()
            {
                foreach (TablePair pair in _pairs)
                {
                    string table = Table(pair.New);
                    if (pair.KeyChanged && pair.New.PrimaryKey.Count > 0)
                    {
                        Add("ALTER TABLE " + table + " ADD PRIMARY KEY (" + string.Join(", ", pair.New.PrimaryKey.Select(SqlSyntax.Identifier)) + ");");
                    }

                    // A column the key no longer holds keeps the NOT NULL the key gave it unless the model says otherwise.
                    if (pair.KeyChanged)
                    {
                        foreach (string column in pair.Old.PrimaryKey.Select(pair.OldToNew))
                        {
                            if (pair.New.Columns.FirstOrDefault(c => c.Name == column) is { Nullable: true } nowNullable)
                            {
                                Add("ALTER TABLE " + table + " ALTER COLUMN " + SqlSyntax.Identifier(nowNullable.Name) + " DROP NOT NULL;");
                            }
                        }
                    }

                    if (pair.ChecksChanged)
                    {
                        foreach (CheckDefinition check in pair.New.Checks)
                        {
                            Add("ALTER TABLE " + table + " ADD " + CheckSql(check) + ";");
                        }
                    }
                }
            }

            private void Grants()
            {
                foreach (TableModel table in _added)
                {
                    foreach (GrantDefinition grant in table.Grants)
                    {
                        Add("GRANT " + string.Join(", ", grant.Privileges) + " ON " + Table(table) + " TO " + SqlSyntax.Identifier(grant.Role) + ";");
                    }

                    if (table.Schema != "public" && table.Grants.Count > 0)
                    {
                        Add("GRANT USAGE ON SCHEMA " + SqlSyntax.Identifier(table.Schema) + " TO " + string.Join(", ", table.Grants.Select(g => SqlSyntax.Identifier(g.Role))) + ";");
                    }
                }

                foreach (TablePair pair in _pairs)
                {
                    var old = pair.Old.Grants.ToDictionary(g => g.Role, g => g.Privileges, StringComparer.Ordinal);
                    var now = pair.New.Grants.ToDictionary(g => g.Role, g => g.Privileges, StringComparer.Ordinal);
                    foreach (string role in old.Keys.Union(now.Keys, StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal))
                    {
                        var had = old.TryGetValue(role, out var h) ? (IEnumerable<string>)h : Array.Empty<string>();
                        var has = now.TryGetValue(role, out var n) ? (IEnumerable<string>)n : Array.Empty<string>();
                        var revoke = had.Except(has, StringComparer.Ordinal).ToList();
                        var grant = has.Except(had, StringComparer.Ordinal).ToList();
                        if (revoke.Count > 0)
                        {
                            Add("REVOKE " + string.Join(", ", revoke) + " ON " + Table(pair.New) + " FROM " + SqlSyntax.Identifier(role) + ";");
                        }

                        if (grant.Count > 0)
                        {
                            Add("GRANT " + string.Join(", ", grant) + " ON " + Table(pair.New) + " TO " + SqlSyntax.Identifier(role) + ";");
                            if (pair.New.Schema != "public" && !had.Any())
                            {
                                Add("GRANT USAGE ON SCHEMA " + SqlSyntax.Identifier(pair.New.Schema) + " TO " + SqlSyntax.Identifier(role) + ";");
                            }
                        }
                    }
                }
            }

            private void RowLevelSecurity()
            {
                foreach (TableModel table in _added)
                {
                    if (table.RowLevelSecurity)
                    {
                        Add("ALTER TABLE " + Table(table) + " ENABLE ROW LEVEL SECURITY;");
                    }

                    if (table.ForceRowLevelSecurity)
                    {
                        Add("ALTER TABLE " + Table(table) + " FORCE ROW LEVEL SECURITY;");
                    }
                }

                foreach (TablePair pair in _pairs)
                {
                    if (pair.Old.RowLevelSecurity != pair.New.RowLevelSecurity)
                    {
                        Add("ALTER TABLE " + Table(pair.New) + (pair.New.RowLevelSecurity ? " ENABLE" : " DISABLE") + " ROW LEVEL SECURITY;");
                    }

                    if (pair.Old.ForceRowLevelSecurity != pair.New.ForceRowLevelSecurity)
                    {
                        Add("ALTER TABLE " + Table(pair.New) + (pair.New.ForceRowLevelSecurity ? " FORCE" : " NO FORCE") + " ROW LEVEL SECURITY;");
                    }
                }
            }

            private void CreateAndAlterPolicies()
            {
                foreach (TableModel table in _added)
                {
                    foreach (PolicyDefinition policy in table.Policies)
                    {
                        Add(CreatePolicy(table, policy));
                    }
                }

                foreach (TablePair pair in _pairs)
                {
                    var old = pair.Old.Policies.ToDictionary(p => p.Name, StringComparer.Ordinal);
                    foreach (PolicyDefinition policy in pair.New.Policies)
                    {
                        if (!old.TryGetValue(policy.Name, out PolicyDefinition? was) || MustRecreate(was, policy) || _recreateAllPolicies)
                        {
                            Add(CreatePolicy(pair.New, policy));
                        }
                        else if (!was.Equals(policy))
                        {
                            string sql = "ALTER POLICY " + SqlSyntax.QuotedIdentifier(policy.Name) + " ON " + Table(pair.New)
                                + "\n  TO " + string.Join(", ", policy.Roles.Select(SqlSyntax.Identifier));
                            if (policy.Using is not null)
                            {
                                sql += "\n  USING (" + policy.Using + ")";
                            }

                            if (policy.WithCheck is not null)
                            {
                                sql += "\n  WITH CHECK (" + policy.WithCheck + ")";
                            }

                            Add(sql + ";");
                        }
                    }
                }
            }

            private void CreateIndexes()
            {
                foreach (TableModel table in _added)
                {
                    foreach (IndexDefinition index in table.Indexes)
                    {
                        Add(CreateIndex(table, index));
                    }
                }

                foreach (TablePair pair in _pairs)
                {
                    foreach (IndexDefinition index in pair.New.Indexes)
                    {
                        bool kept = pair.Old.Indexes.Any(o => (o.Name == index.Name && SameIndex(pair, o, index)) || RenamedIndex(pair, o) == index);
                        if (!kept)
                        {
                            Add(CreateIndex(pair.New, index));
                        }
                    }
                }
            }

            private static string CreatePolicy(TableModel table, PolicyDefinition policy)
            {
                string sql = "CREATE POLICY " + SqlSyntax.QuotedIdentifier(policy.Name) + " ON " + Table(table)
                    + "\n  AS " + (policy.Permissive ? "PERMISSIVE" : "RESTRICTIVE") + " FOR " + policy.Command
                    + "\n  TO " + string.Join(", ", policy.Roles.Select(SqlSyntax.Identifier));
                if (policy.Using is not null)
                {
                    sql += "\n  USING (" + policy.Using + ")";
                }

                if (policy.WithCheck is not null)
                {
                    sql += "\n  WITH CHECK (" + policy.WithCheck + ")";
                }

                return sql + ";";
            }

            private static string CreateIndex(TableModel table, IndexDefinition index) =>
                "CREATE " + (index.Unique ? "UNIQUE " : "") + "INDEX " + SqlSyntax.Identifier(index.Name) + " ON " + Table(table)
                + " (" + string.Join(", ", index.Columns.Select(SqlSyntax.Identifier)) + ");";
        }

        private static string Table(TableModel table) => SqlSyntax.Table(table.Schema == "public" ? null : table.Schema, table.Name);

        private static string ColumnSql(ColumnDefinition column, bool isKey)
        {
            var parts = new List<string> { SqlSyntax.Identifier(column.Name), column.Type };
            if (column.Identity)
            {
                parts.Add("generated by default as identity");
            }
            else if (!column.Nullable && !isKey)
            {
                parts.Add("not null");
            }

            if (column.Default is not null && !column.Identity)
            {
                parts.Add("default " + DefaultSql(column.Default));
            }

            if (isKey)
            {
                parts.Add("primary key");
            }

            return string.Join(" ", parts);
        }

        private static string DefaultSql(string expression) => expression is "false" or "true" ? expression : "(" + expression + ")";

        private static string CheckSql(CheckDefinition check) =>
            (check.Name is null ? "" : "constraint " + SqlSyntax.Identifier(check.Name) + " ") + "check (" + check.Sql + ")";

        // The value existing rows get when a column becomes NOT NULL without a default; null when there is no obvious one.
        private static string? ZeroValue(string type)
        {
            if (type == "text" || type.StartsWith("varchar", StringComparison.Ordinal))
            {
                return "''";
            }

            switch (type)
            {
                case "smallint":
                case "integer":
                case "bigint":
                case "numeric":
                case "real":
                case "double precision":
                    return "0";
                case "boolean":
                    return "false";
                case "bytea":
                    return "''::bytea";
                case "interval":
                    return "'0'::interval";
                default:
                    return null;
            }
        }

        private static bool IsWidening(string from, string to)
        {
            string[] integers = { "smallint", "integer", "bigint" };
            int f = Array.IndexOf(integers, from);
            int t = Array.IndexOf(integers, to);
            if (f >= 0 && (t > f || to == "numeric"))
            {
                return true;
            }

            if (from == "real" && to == "double precision")
            {
                return true;
            }

            if (from.StartsWith("varchar(", StringComparison.Ordinal) && to == "text")
            {
                return true;
            }

            return VarcharLength(from) is int a && VarcharLength(to) is int b && b >= a;
        }

        private static int? VarcharLength(string type) =>
            type.StartsWith("varchar(", StringComparison.Ordinal) && type.EndsWith(")", StringComparison.Ordinal)
                && int.TryParse(type.Substring(8, type.Length - 9), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n)
                ? n : (int?)null;
    }
}
