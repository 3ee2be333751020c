using System.Collections.Generic;
using System.Linq;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Emitting
{
    /// <summary>A foreign key with both ends resolved to their tables.</summary>
    internal sealed class ResolvedForeignKey
    {
        private ResolvedForeignKey(EntityModel dependent, ColumnModel column, EntityModel principal, ColumnModel principalKey, ReferentialAction onDelete)
        {
            Dependent = dependent;
            Column = column;
            Principal = principal;
            PrincipalKey = principalKey;
            OnDelete = onDelete;
        }

        /// <summary>The entity holding the key.</summary>
        public EntityModel Dependent { get; }

        /// <summary>The key column.</summary>
        public ColumnModel Column { get; }

        /// <summary>The referenced entity.</summary>
        public EntityModel Principal { get; }

        /// <summary>The referenced entity's primary key column.</summary>
        public ColumnModel PrincipalKey { get; }

        /// <summary>The <c>ON DELETE</c> action.</summary>
        public ReferentialAction OnDelete { get; }

        /// <summary>The constraint's name, PostgreSQL's default (<c>&lt;table&gt;_&lt;column&gt;_fkey</c>) cut to 63 bytes as PostgreSQL would.</summary>
        public string ConstraintName => SqlSyntax.Truncate(Dependent.TableName + "_" + Column.ColumnName + "_fkey");

        /// <summary>The <c>ON DELETE</c> action as the catalog names it (<c>NO ACTION</c>, <c>CASCADE</c>, ...).</summary>
        public string OnDeleteSql => ActionSql(OnDelete);

        /// <summary>Resolves a foreign key against the schema's entities.</summary>
        /// <param name="dependent">The entity holding the key.</param>
        /// <param name="foreignKey">The key.</param>
        /// <param name="entities">The schema's entities by full name.</param>
        /// <returns>The resolved key, or null when an end is missing (its errors are reported elsewhere).</returns>
        public static ResolvedForeignKey? Resolve(EntityModel dependent, ForeignKeyModel foreignKey, IReadOnlyDictionary<string, EntityModel> entities)
        {
            ColumnModel? column = dependent.Columns.FirstOrDefault(c => c.PropertyName == foreignKey.PropertyName);
            if (column is null || !entities.TryGetValue(foreignKey.PrincipalEntity, out EntityModel? principal))
            {
                return null;
            }

            ColumnModel? key = principal.Columns.FirstOrDefault(c => c.IsKey);
            return key is null ? null : new ResolvedForeignKey(dependent, column, principal, key, foreignKey.OnDelete);
        }

        private static string ActionSql(ReferentialAction action) => action switch
        {
            ReferentialAction.Cascade => "CASCADE",
            ReferentialAction.SetNull => "SET NULL",
            ReferentialAction.Restrict => "RESTRICT",
            _ => "NO ACTION",
        };
    }
}
