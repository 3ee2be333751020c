using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>Columns, primary keys and checks of the tables both models hold.</summary>
    internal static partial class ModelDiffer
    {
        private sealed partial class Differ
        {
            private void TakeOffChecksAndKeys()
            {
                foreach (TablePair pair in _pairs)
                {
                    if (pair.ChecksChanged)
                    {
                        Add(new DropChecksOperation(pair.Name));
                    }

                    if (pair.KeyChanged && pair.Old.PrimaryKey.Count > 0)
                    {
                        Add(new DropPrimaryKeyOperation(pair.Name));
                    }
                }
            }

            private void AlterColumns()
            {
                foreach (TablePair pair in _pairs)
                {
                    foreach (ColumnDefinition column in pair.DroppedColumns)
                    {
                        Add(new DropColumnOperation(pair.Name, column.Name) { DataLoss = "drops column " + pair.New.Key + "." + column.Name + " and its data" });
                    }

                    foreach (ColumnDefinition column in pair.AddedColumns)
                    {
                        Add(new AddColumnOperation(pair.Name, column));
                    }

                    foreach ((ColumnDefinition old, ColumnDefinition now) in pair.Columns)
                    {
                        AlterColumn(pair, old, now);
                    }
                }
            }

            private void AlterColumn(TablePair pair, ColumnDefinition old, ColumnDefinition now)
            {
                TableName table = pair.Name;
                bool retyped = old.Type != now.Type;
                bool defaultGone = old.Default is not null && (retyped || now.Default != old.Default || now.Identity);
                if (defaultGone)
                {
                    Add(new AlterColumnOperation(table, now.Name, ColumnChange.DropDefault));
                }

                if (old.Identity && !now.Identity)
                {
                    Add(new AlterColumnOperation(table, now.Name, ColumnChange.DropIdentity));
                }

                if (retyped)
                {
                    Add(new AlterColumnTypeOperation(table, now.Name, now.Type)
                    {
                        DataLoss = SqlTypes.IsWidening(old.Type, now.Type) ? null
                            : "changes " + pair.New.Key + "." + now.Name + " from " + old.Type + " to " + now.Type + "; values that do not fit fail the migration or lose precision",
                    });
                }

                if (now.Default is not null && !now.Identity && (now.Default != old.Default || defaultGone))
                {
                    Add(new AlterColumnOperation(table, now.Name, ColumnChange.SetDefault, now.Default));
                }

                bool wasNotNull = !old.Nullable || old.Identity;
                bool isNotNull = !now.Nullable || now.Identity;
                bool keyHeldNotNull = pair.New.PrimaryKey.Contains(now.Name);
                if (isNotNull && !wasNotNull)
                {
                    string? fill = now.Default is not null ? "DEFAULT" : SqlTypes.ZeroValue(now.Type);
                    if (fill is not null && !now.Identity)
                    {
                        Add(new FillNullsOperation(table, now.Name, fill));
                    }

                    Add(new AlterColumnOperation(table, now.Name, ColumnChange.SetNotNull));
                }
                else if (!isNotNull && wasNotNull && !keyHeldNotNull)
                {
                    Add(new AlterColumnOperation(table, now.Name, ColumnChange.DropNotNull));
                }

                if (now.Identity && !old.Identity)
                {
                    Add(new AlterColumnOperation(table, now.Name, ColumnChange.AddIdentity));
                }
            }

            private void PutBackKeysAndChecks()
            {
                foreach (TablePair pair in _pairs)
                {
                    if (pair.KeyChanged && pair.New.PrimaryKey.Count > 0)
                    {
                        Add(new AddPrimaryKeyOperation(pair.Name, pair.New.PrimaryKey));
                    }

                    // A column the key no longer holds keeps the NOT NULL the key gave it unless the model says otherwise.
                    if (pair.KeyChanged)
                    {
                        foreach (string column in pair.Old.PrimaryKey.Select(pair.OldToNew))
                        {
                            if (pair.New.Columns.FirstOrDefault(c => c.Name == column) is { Nullable: true } nowNullable)
                            {
                                Add(new AlterColumnOperation(pair.Name, nowNullable.Name, ColumnChange.DropNotNull));
                            }
                        }
                    }

                    if (pair.ChecksChanged)
                    {
                        foreach (CheckDefinition check in pair.New.Checks)
                        {
                            Add(new AddCheckOperation(pair.Name, check));
                        }
                    }
                }
            }
        }
    }
}
