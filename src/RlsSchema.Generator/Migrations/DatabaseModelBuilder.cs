using System;
using System.Collections.Generic;
using System.Linq;
using RlsSchema.Generator.Emitting;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Migrations
{
    /// <summary>Turns the entities into what their script creates in the database.</summary>
    internal static class DatabaseModelBuilder
    {
        private static readonly ImmutableEquatableArray<string> TablePrivileges =
            new[] { "DELETE", "INSERT", "SELECT", "UPDATE" }.ToImmutableEquatableArray();

        /// <summary>Builds the database model of a schema.</summary>
        /// <param name="schema">The entities.</param>
        /// <param name="renames">The <c>[RenamedFrom]</c> attributes of the compilation.</param>
        /// <returns>The database model.</returns>
        public static DatabaseModel Build(SchemaModel schema, IReadOnlyList<RenameInfo> renames)
        {
            var tables = schema.Entities
                .Select(e => Table(e, renames))
                .OrderBy(t => t.Schema, StringComparer.Ordinal)
                .ThenBy(t => t.Name, StringComparer.Ordinal)
                .ToImmutableEquatableArray();
            return new DatabaseModel
            {
                Roles = AuthFunctions.Roles.OrderBy(r => r, StringComparer.Ordinal).ToImmutableEquatableArray(),
                Functions = AuthFunctions.All
                    .Select(f => new FunctionModel { Signature = f.Signature, Returns = f.Returns, Body = f.Body })
                    .OrderBy(f => f.Signature, StringComparer.Ordinal)
                    .ToImmutableEquatableArray(),
                Tables = tables,
            };
        }

        private static TableModel Table(EntityModel entity, IReadOnlyList<RenameInfo> renames)
        {
            string? tableRename = renames.FirstOrDefault(r => r.PropertyName is null && r.EntityFullyQualifiedName == entity.FullyQualifiedName)?.OldName;
            var columns = entity.Columns.Select(c => new ColumnDefinition
            {
                Name = c.ColumnName,
                RenamedFrom = renames.FirstOrDefault(r => r.PropertyName == c.PropertyName && r.EntityFullyQualifiedName == entity.FullyQualifiedName)?.OldName,
                Type = c.SqlType,
                Nullable = c.IsNullable && !c.IsKey,
                Identity = c.Generation == ValueGeneration.Identity,
                Default = c.Generation == ValueGeneration.Identity || c.Default is null ? null : SqlExpressions.Default(c.Default),
            }).ToImmutableEquatableArray();
            var checks = entity.Columns.SelectMany(c => c.Checks).Concat(entity.TableChecks)
                .Select(c => new CheckDefinition { Name = c.Name, Sql = c.Sql })
                .OrderBy(c => c)
                .ToImmutableEquatableArray();
            return new TableModel
            {
                Schema = entity.Schema ?? "public",
                Name = entity.TableName,
                RenamedFrom = tableRename,
                Columns = columns,
                PrimaryKey = entity.Columns.Where(c => c.IsKey).Select(c => c.ColumnName).ToImmutableEquatableArray(),
                Checks = checks,
                Indexes = entity.Indexes
                    .Select(i => new IndexDefinition { Name = i.Name, Columns = i.Columns, Unique = i.Unique })
                    .GroupBy(i => i.Name, StringComparer.Ordinal)
                    .Select(g => g.First())
                    .OrderBy(i => i.Name, StringComparer.Ordinal)
                    .ToImmutableEquatableArray(),
                RowLevelSecurity = true,
                ForceRowLevelSecurity = entity.ForceRowLevelSecurity,
                Policies = entity.Policies.Select(p => new PolicyDefinition
                {
                    Name = p.Name,
                    Command = SqlExpressions.Command(p.Command),
                    Permissive = !p.Restrictive,
                    Roles = p.Roles.Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal).ToImmutableEquatableArray(),
                    Using = p.Using is null ? null : SqlExpressions.Condition(p.Using),
                    WithCheck = p.WithCheck is null ? null : SqlExpressions.Condition(p.WithCheck),
                }).OrderBy(p => p.Name, StringComparer.Ordinal).ToImmutableEquatableArray(),

                // The script grants every session role the four table privileges; row-level security then decides rows.
                Grants = AuthFunctions.Roles.OrderBy(r => r, StringComparer.Ordinal)
                    .Select(r => new GrantDefinition { Role = r, Privileges = TablePrivileges })
                    .ToImmutableEquatableArray(),
            };
        }
    }
}
