using System;
using System.Collections.Generic;
using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>
    /// Compares two database models and returns the operations that turn the first into the second, in dependency
    /// order: the auth schema; roles; removed and changed policies dropped; removed and changed foreign keys dropped;
    /// functions that change shape dropped; the auth functions (which column defaults may call) created or replaced;
    /// removed indexes dropped; renames; removed tables dropped; checks and keys taken off where they change; new tables;
    /// column changes; keys and checks put back; the membership function (which reads a table) created or replaced;
    /// foreign keys added; grants; row-level security flags; policies created and altered; indexes created. Renames come
    /// only from <c>[RenamedFrom]</c>; everything else that is not matched by name is dropped and created. The full
    /// script is the diff from <see cref="DatabaseModel.Empty"/>.
    /// </summary>
    internal static partial class ModelDiffer
    {
        /// <summary>Diffs two models.</summary>
        /// <param name="previous">The model as of the latest migration (<see cref="DatabaseModel.Empty"/> for a new database).</param>
        /// <param name="current">The model of the code, with its <c>[RenamedFrom]</c> names.</param>
        /// <returns>The operations; empty when both models create the same database.</returns>
        public static IReadOnlyList<MigrationOperation> Diff(DatabaseModel previous, DatabaseModel current)
        {
            var d = new Differ(previous, current);
            d.Run();
            return d.Operations;
        }

        private sealed partial class Differ
        {
            private readonly DatabaseModel _old;
            private readonly DatabaseModel _new;
            private readonly ListDiff<TableModel> _tables;
            private readonly List<TablePair> _pairs;

            // The created tables (paired with an empty table) and then the kept ones: what gains keys, grants, row-level
            // security, policies and indexes is found in one pass over both.
            private readonly List<TablePair> _all;

            // Every policy is dropped and created again: a function a policy calls changes shape, or a column changes
            // type (PostgreSQL refuses to retype a column any policy reads, on its own table or through a subquery).
            private bool _recreateAllPolicies;

            public Differ(DatabaseModel old, DatabaseModel @new)
            {
                _old = old;
                _new = @new;
                _tables = ListDiff<TableModel>.Of(old.Tables, @new.Tables, t => t.Key, t => t.RenamedFrom is null ? null : t.Schema + "." + t.RenamedFrom);
                _pairs = _tables.Kept.Select(p => TablePair.Of(p.Old, p.New)).ToList();
                _all = _tables.Added.Select(TablePair.Of).Concat(_pairs).ToList();
            }

            public List<MigrationOperation> Operations { get; } = new List<MigrationOperation>();

            private IReadOnlyList<TableModel> Added => _tables.Added;

            private IReadOnlyList<TableModel> Dropped => _tables.Removed;

            public void Run()
            {
                _recreateAllPolicies = _pairs.Any(p => p.Retyped) || _old.Functions.Any(f => FunctionChangesShape(f));
                PrepareAuth();
                Roles();
                DropPolicies();
                DropForeignKeys();
                DropFunctions();
                Functions(securityDefiner: false);
                DropIndexes();
                Renames();
                DropTables();
                TakeOffChecksAndKeys();
                CreateTables();
                AlterColumns();
                PutBackKeysAndChecks();
                Functions(securityDefiner: true);
                AddForeignKeys();
                Grants();
                RowLevelSecurity();
                CreateAndAlterPolicies();
                CreateIndexes();
            }

            private void Add(MigrationOperation operation) => Operations.Add(operation);

            private TablePair? PairOf(string schema, string name) => _pairs.FirstOrDefault(p => p.New.Schema == schema && p.New.Name == name);
        }
    }
}
