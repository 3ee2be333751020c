using System;
using System.Collections.Generic;
using System.Linq;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Emitting
{
    /// <summary>
    /// Orders tables so that each is created after the tables its foreign keys reference. A cycle is broken at the
    /// table whose name sorts first: its foreign keys to tables not yet created are left out of its <c>CREATE TABLE</c>
    /// and added once every table exists.
    /// </summary>
    internal sealed class ScriptOrder
    {
        private ScriptOrder(IReadOnlyList<EntityModel> tables, IReadOnlyList<ResolvedForeignKey> inline, IReadOnlyList<ResolvedForeignKey> deferred)
        {
            Tables = tables;
            Inline = inline;
            Deferred = deferred;
        }

        /// <summary>The entities in creation order.</summary>
        public IReadOnlyList<EntityModel> Tables { get; }

        /// <summary>The foreign keys written inside their table's <c>CREATE TABLE</c>.</summary>
        public IReadOnlyList<ResolvedForeignKey> Inline { get; }

        /// <summary>The foreign keys added after every table exists, because they close a cycle.</summary>
        public IReadOnlyList<ResolvedForeignKey> Deferred { get; }

        /// <summary>Orders the schema's tables by their foreign keys.</summary>
        /// <param name="schema">The schema, entities sorted by table.</param>
        /// <returns>The order.</returns>
        public static ScriptOrder Of(SchemaModel schema)
        {
            var byName = new Dictionary<string, EntityModel>(StringComparer.Ordinal);
            foreach (EntityModel entity in schema.Entities)
            {
                byName[entity.FullyQualifiedName] = entity;
            }

            var keys = new List<ResolvedForeignKey>();
            foreach (EntityModel entity in schema.Entities)
            {
                foreach (ForeignKeyModel foreignKey in entity.ForeignKeys)
                {
                    if (ResolvedForeignKey.Resolve(entity, foreignKey, byName) is { } resolved)
                    {
                        keys.Add(resolved);
                    }
                }
            }

            var remaining = new List<EntityModel>(schema.Entities);
            var created = new HashSet<EntityModel>();
            var order = new List<EntityModel>();
            var deferred = new List<ResolvedForeignKey>();
            while (remaining.Count > 0)
            {
                EntityModel? next = remaining.FirstOrDefault(e => keys.All(k => k.Dependent != e || k.Principal == e || created.Contains(k.Principal)));
                if (next is null)
                {
                    next = remaining[0];
                    deferred.AddRange(keys.Where(k => k.Dependent == next && k.Principal != next && !created.Contains(k.Principal)));
                }

                remaining.Remove(next);
                created.Add(next);
                order.Add(next);
            }

            return new ScriptOrder(order, keys.Where(k => !deferred.Contains(k)).ToList(), deferred);
        }
    }

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

        /// <summary>The constraint as a table element: <c>constraint ... foreign key (...) references ... (...) on delete ...</c>.</summary>
        public string Definition =>
            "constraint " + SqlSyntax.Identifier(ConstraintName) + " foreign key (" + SqlSyntax.Identifier(Column.ColumnName) + ") references "
            + SqlSyntax.Table(Principal.Schema, Principal.TableName) + " (" + SqlSyntax.Identifier(PrincipalKey.ColumnName) + ") on delete " + OnDeleteSql;

        /// <summary>The <c>ON DELETE</c> action as SQL, lower case (<c>no action</c>, <c>cascade</c>, ...).</summary>
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
            ReferentialAction.Cascade => "cascade",
            ReferentialAction.SetNull => "set null",
            ReferentialAction.Restrict => "restrict",
            _ => "no action",
        };
    }
}
