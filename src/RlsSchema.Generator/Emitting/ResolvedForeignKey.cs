using System.Collections.Generic;
using System.Linq;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Emitting
{
    /// <summary>A foreign key with both ends resolved to their tables.</summary>
    internal sealed class ResolvedForeignKey
    {
        private ResolvedForeignKey(EntityModel dependent, IReadOnlyList<ColumnModel> columns, EntityModel principal, IReadOnlyList<ColumnModel> principalKeys, ReferentialAction onDelete)
        {
            Dependent = dependent;
            Columns = columns;
            Principal = principal;
            PrincipalKeys = principalKeys;
            OnDelete = onDelete;
        }

        /// <summary>The entity holding the key.</summary>
        public EntityModel Dependent { get; }

        /// <summary>The key columns, in the order of the referenced key's.</summary>
        public IReadOnlyList<ColumnModel> Columns { get; }

        /// <summary>The referenced entity.</summary>
        public EntityModel Principal { get; }

        /// <summary>The referenced entity's primary key columns, in key order.</summary>
        public IReadOnlyList<ColumnModel> PrincipalKeys { get; }

        /// <summary>The <c>ON DELETE</c> action.</summary>
        public ReferentialAction OnDelete { get; }

        /// <summary>
        /// The constraint's name, PostgreSQL's default (<c>&lt;table&gt;_&lt;column&gt;[_&lt;column&gt;...]_fkey</c>) cut to 63
        /// bytes.
        /// </summary>
        public string ConstraintName => SqlSyntax.Truncate(Dependent.TableName + "_" + string.Join("_", Columns.Select(c => c.ColumnName)) + "_fkey");

        /// <summary>The <c>ON DELETE</c> action as the catalog names it (<c>NO ACTION</c>, <c>CASCADE</c>, ...).</summary>
        public string OnDeleteSql => ActionSql(OnDelete);

        /// <summary>Resolves a foreign key against the schema's entities.</summary>
        /// <param name="dependent">The entity holding the key.</param>
        /// <param name="foreignKey">The key.</param>
        /// <param name="entities">The schema's entities by full name.</param>
        /// <returns>The resolved key, or null when an end is missing (its errors are reported elsewhere).</returns>
        public static ResolvedForeignKey? Resolve(EntityModel dependent, ForeignKeyModel foreignKey, IReadOnlyDictionary<string, EntityModel> entities)
        {
            var columns = foreignKey.PropertyNames.Select(p => dependent.Columns.FirstOrDefault(c => c.PropertyName == p)).ToList();
            if (columns.Any(c => c is null) || !entities.TryGetValue(foreignKey.PrincipalEntity, out EntityModel? principal))
            {
                return null;
            }

            var keys = principal.Columns.Where(c => c.IsKey).OrderBy(c => c.KeyOrder).ToList();
            return keys.Count != columns.Count ? null : new ResolvedForeignKey(dependent, columns.Select(c => c!).ToList(), principal, keys, foreignKey.OnDelete);
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
