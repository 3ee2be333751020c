using System;
using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>Foreign keys and indexes.</summary>
    internal static partial class ModelDiffer
    {
        private sealed partial class Differ
        {
            // The old foreign key a new one keeps unchanged: same name, columns, target and action, on tables neither
            // renamed nor retyped, to a key that stays. Anything else is dropped and added again (existing rows are checked).
            private ForeignKeyDefinition? KeptFrom(TablePair pair, ForeignKeyDefinition key)
            {
                TablePair? target = PairOf(key.ReferencedSchema, key.ReferencedTable);
                if (pair.Created || pair.Renamed || pair.Retyped || target is null || target.Renamed || target.Retyped || target.KeyChanged)
                {
                    return null;
                }

                return pair.Old.ForeignKeys.FirstOrDefault(k => k.Equals(key));
            }

            private void DropForeignKeys()
            {
                foreach (TableModel table in Dropped)
                {
                    foreach (ForeignKeyDefinition key in table.ForeignKeys)
                    {
                        Add(new DropForeignKeyOperation(TableName.Of(table), key.Name));
                    }
                }

                foreach (TablePair pair in _pairs)
                {
                    foreach (ForeignKeyDefinition key in pair.Old.ForeignKeys.Where(key => !pair.New.ForeignKeys.Any(k => KeptFrom(pair, k) == key)))
                    {
                        Add(new DropForeignKeyOperation(TableName.Of(pair.Old), key.Name));
                    }
                }
            }

            private void AddForeignKeys()
            {
                foreach (TablePair pair in _all)
                {
                    foreach (ForeignKeyDefinition key in pair.New.ForeignKeys.Where(k => KeptFrom(pair, k) is null))
                    {
                        Add(new AddForeignKeyOperation(pair.Name, key));
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
                            Add(new DropIndexOperation(pair.Old.Schema, index.Name));
                        }
                    }
                }
            }

            private void CreateIndexes()
            {
                foreach (TablePair pair in _all)
                {
                    foreach (IndexDefinition index in pair.New.Indexes)
                    {
                        bool kept = pair.Old.Indexes.Any(o => (o.Name == index.Name && SameIndex(pair, o, index)) || RenamedIndex(pair, o) == index);
                        if (!kept)
                        {
                            Add(new CreateIndexOperation(pair.Name, index));
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
        }
    }
}
