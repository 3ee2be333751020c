using System;
using System.Collections.Generic;
using System.Linq;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Relationships
{
    /// <summary>
    /// Indexes foreign key columns, as Supabase's linter asks (an unindexed foreign key makes every delete of a referenced
    /// row scan the referencing table, and every join through it too).
    /// </summary>
    internal static class ForeignKeyIndexes
    {
        /// <summary>Adds <c>&lt;table&gt;_&lt;column&gt;_idx</c> for each foreign key column that no index (nor the primary key) leads with.</summary>
        /// <param name="tableName">The entity's table name.</param>
        /// <param name="foreignKeys">The entity's foreign keys.</param>
        /// <param name="columns">The entity's columns.</param>
        /// <param name="indexes">The entity's indexes, completed in place.</param>
        public static void Complete(string tableName, IEnumerable<ForeignKeyModel> foreignKeys, IReadOnlyList<ColumnModel> columns, List<IndexModel> indexes)
        {
            foreach (ForeignKeyModel foreignKey in foreignKeys)
            {
                ColumnModel? column = columns.FirstOrDefault(c => c.PropertyName == foreignKey.PropertyName);
                if (column is null || column.IsKey || indexes.Any(i => i.Columns.Count > 0 && string.Equals(i.Columns[0], column.ColumnName, StringComparison.Ordinal)))
                {
                    continue;
                }

                indexes.Add(new IndexModel(tableName + "_" + column.ColumnName + "_idx", new[] { column.ColumnName }.ToImmutableEquatableArray(), false));
            }
        }
    }
}
