using System;
using System.Collections.Generic;
using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>A table both models hold (perhaps renamed), with its columns matched.</summary>
    internal sealed class TablePair
    {
        private TablePair(TableModel old, TableModel @new, ListDiff<ColumnDefinition> columns)
        {
            Old = old;
            New = @new;
            Columns = columns.Kept;
            AddedColumns = columns.Added;
            DroppedColumns = columns.Removed;
        }

        /// <summary>The table in the old model.</summary>
        public TableModel Old { get; }

        /// <summary>The table in the new model.</summary>
        public TableModel New { get; }

        /// <summary>The table's name in the new model.</summary>
        public TableName Name => TableName.Of(New);

        /// <summary>The columns both sides hold.</summary>
        public IReadOnlyList<(ColumnDefinition Old, ColumnDefinition New)> Columns { get; }

        /// <summary>The columns only the new table holds.</summary>
        public IReadOnlyList<ColumnDefinition> AddedColumns { get; }

        /// <summary>The columns only the old table holds.</summary>
        public IReadOnlyList<ColumnDefinition> DroppedColumns { get; }

        /// <summary>Whether the table is renamed.</summary>
        public bool Renamed => Old.Name != New.Name;

        /// <summary>Whether a column changes type.</summary>
        public bool Retyped => Columns.Any(c => c.Old.Type != c.New.Type);

        /// <summary>Whether the checks are taken off and put back.</summary>
        public bool ChecksChanged => !Old.Checks.Equals(New.Checks) || DroppedColumns.Count > 0 && Old.Checks.Count > 0;

        /// <summary>Whether the primary key changes.</summary>
        public bool KeyChanged => !Old.PrimaryKey.Select(OldToNew).SequenceEqual(New.PrimaryKey, StringComparer.Ordinal);

        /// <summary>Whether the new model creates the table: its old side is the same table with nothing in it.</summary>
        public bool Created { get; private set; }

        /// <summary>A table the new model creates, paired with an empty table of its name, so that what is added to it is found as for any other.</summary>
        /// <param name="table">The table.</param>
        /// <returns>The pair.</returns>
        public static TablePair Of(TableModel table)
        {
            TableModel empty = table with
            {
                RenamedFrom = null,
                Comment = null,
                Columns = ImmutableEquatableArray<ColumnDefinition>.Empty,
                PrimaryKey = ImmutableEquatableArray<string>.Empty,
                Checks = ImmutableEquatableArray<CheckDefinition>.Empty,
                Indexes = ImmutableEquatableArray<IndexDefinition>.Empty,
                RowLevelSecurity = false,
                ForceRowLevelSecurity = false,
                Policies = ImmutableEquatableArray<PolicyDefinition>.Empty,
                ForeignKeys = ImmutableEquatableArray<ForeignKeyDefinition>.Empty,
                Grants = ImmutableEquatableArray<GrantDefinition>.Empty,
            };
            TablePair pair = Of(empty, table);
            pair.Created = true;
            return pair;
        }

        /// <summary>Matches a table's columns.</summary>
        /// <param name="old">The old table.</param>
        /// <param name="new">The new table.</param>
        /// <returns>The pair.</returns>
        public static TablePair Of(TableModel old, TableModel @new) =>
            new TablePair(old, @new, ListDiff<ColumnDefinition>.Of(old.Columns, @new.Columns, c => c.Name, c => c.RenamedFrom));

        /// <summary>An old column's new name; a name no new column has when it is dropped.</summary>
        /// <param name="oldColumn">The old name.</param>
        /// <returns>The new name.</returns>
        public string OldToNew(string oldColumn) =>
            Columns.Where(c => c.Old.Name == oldColumn).Select(c => c.New.Name).FirstOrDefault() ?? "\0" + oldColumn;
    }
}
