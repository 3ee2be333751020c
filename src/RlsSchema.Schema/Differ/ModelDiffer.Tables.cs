using System;
using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>Tables: renamed, dropped, created, and their row-level security switches.</summary>
    internal static partial class ModelDiffer
    {
        private sealed partial class Differ
        {
            private void Renames()
            {
                foreach (TablePair pair in _pairs.Where(p => p.Renamed))
                {
                    Add(new RenameTableOperation(TableName.Of(pair.Old), pair.New.Name));
                }

                foreach (TablePair pair in _pairs)
                {
                    foreach ((ColumnDefinition old, ColumnDefinition now) in pair.Columns.Where(c => c.Old.Name != c.New.Name))
                    {
                        Add(new RenameColumnOperation(pair.Name, old.Name, now.Name));
                    }

                    foreach (IndexDefinition index in pair.Old.Indexes)
                    {
                        if (RenamedIndex(pair, index) is { } renamed)
                        {
                            Add(new RenameIndexOperation(pair.New.Schema, index.Name, renamed.Name));
                        }
                    }
                }
            }

            private void DropTables()
            {
                foreach (TableModel table in Dropped)
                {
                    Add(new DropTableOperation(TableName.Of(table)) { DataLoss = "drops table " + table.Key + " and every row in it" });
                }
            }

            private void CreateTables()
            {
                foreach (string schema in Added.Select(t => t.Schema).Where(s => s != "public").Distinct(StringComparer.Ordinal)
                    .Where(s => !_old.Tables.Any(t => t.Schema == s)))
                {
                    Add(new CreateSchemaOperation(schema));
                }

                foreach (TableModel table in Added)
                {
                    Add(new CreateTableOperation(table));
                    if (table.Comment is not null)
                    {
                        Add(new CommentOperation(TableName.Of(table), null, table.Comment));
                    }

                    foreach (ColumnDefinition column in table.Columns.Where(c => c.Comment is not null))
                    {
                        Add(new CommentOperation(TableName.Of(table), column.Name, column.Comment!));
                    }
                }
            }

            private void RowLevelSecurity()
            {
                foreach (TablePair pair in _all)
                {
                    if (pair.Old.RowLevelSecurity != pair.New.RowLevelSecurity)
                    {
                        Add(new RowLevelSecurityOperation(pair.Name, pair.New.RowLevelSecurity));
                    }

                    if (pair.Old.ForceRowLevelSecurity != pair.New.ForceRowLevelSecurity)
                    {
                        Add(new ForceRowLevelSecurityOperation(pair.Name, pair.New.ForceRowLevelSecurity));
                    }
                }
            }
        }
    }
}
