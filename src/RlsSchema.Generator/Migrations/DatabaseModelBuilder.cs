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
            var entities = schema.Entities.ToDictionary(e => e.FullyQualifiedName, StringComparer.Ordinal);
            GrantPlan grants = GrantPlan.Of(schema);
            var foreignKeys = schema.Entities
                .SelectMany(e => e.ForeignKeys.Select(k => ResolvedForeignKey.Resolve(e, k, entities)))
                .Where(k => k is not null)
                .Select(k => k!)
                .ToList();
            var tables = schema.Entities
                .Select(e => Table(e, renames, entities, foreignKeys.Where(k => k.Dependent == e), schema.BlanketGrants ? null : grants, grants.Roles))
                .OrderBy(t => t.Schema, StringComparer.Ordinal)
                .ThenBy(t => t.Name, StringComparer.Ordinal)
                .ToImmutableEquatableArray();
            var functions = AuthFunctions.All
                .Select(f => new FunctionModel { Signature = f.Signature, Declaration = f.Declaration, Returns = f.Returns, Body = f.Body })
                .ToList();
            if (schema.Entities.FirstOrDefault(e => e.Membership is not null) is { } membership)
            {
                (string signature, string declaration, string returns, string body) = MembershipFunction.MemberTenants(membership);
                functions.Add(new FunctionModel { Signature = signature, Declaration = declaration, Returns = returns, Body = body, SecurityDefiner = true });
            }

            return new DatabaseModel
            {
                BlanketGrants = schema.BlanketGrants,
                Roles = grants.Roles.OrderBy(r => r, StringComparer.Ordinal).ToImmutableEquatableArray(),
                Functions = functions.OrderBy(f => f.Signature, StringComparer.Ordinal).ToImmutableEquatableArray(),
                Tables = tables,
            };
        }

        // [Immutable] columns leave UPDATE to the others; [ServerGenerated] ones leave INSERT and UPDATE to the others. A
        // privilege that would name no column is not granted.
        private static IEnumerable<string> Protected(EntityModel entity, IReadOnlyList<string> privileges)
        {
            foreach (string privilege in privileges)
            {
                bool update = privilege == "UPDATE";
                if (!update && privilege != "INSERT"
                    || !entity.Columns.Any(c => c.Protection == ColumnProtection.ServerGenerated || update && c.Protection == ColumnProtection.Immutable))
                {
                    yield return privilege;
                    continue;
                }

                var writable = entity.Columns.Where(c => c.Protection == ColumnProtection.None || !update && c.Protection == ColumnProtection.Immutable).Select(c => c.ColumnName).ToList();
                if (writable.Count > 0)
                {
                    yield return ColumnPrivileges.On(privilege, writable);
                }
            }
        }

        private static TableModel Table(
            EntityModel entity,
            IReadOnlyList<RenameInfo> renames,
            IReadOnlyDictionary<string, EntityModel> entities,
            IEnumerable<ResolvedForeignKey> foreignKeys,
            GrantPlan? grants,
            IReadOnlyList<string> roles)
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
                Comment = c.Comment,
            }).ToImmutableEquatableArray();
            var checks = entity.Columns.SelectMany(c => c.Checks.Select(k => new CheckDefinition { Name = k.Name, Sql = k.Sql, Column = c.ColumnName }))
                .Concat(entity.TableChecks.Select(k => new CheckDefinition { Name = k.Name, Sql = k.Sql }))
                .OrderBy(c => c)
                .ToImmutableEquatableArray();
            return new TableModel
            {
                Schema = entity.Schema ?? "public",
                Name = entity.TableName,
                RenamedFrom = tableRename,
                Comment = entity.Comment,
                Columns = columns,
                PrimaryKey = entity.Columns.Where(c => c.IsKey).OrderBy(c => c.KeyOrder).Select(c => c.ColumnName).ToImmutableEquatableArray(),
                Checks = checks,
                Indexes = entity.Indexes
                    .Select(i => new IndexDefinition { Name = i.Name, Columns = i.Columns, Unique = i.Unique })
                    .GroupBy(i => i.Name, StringComparer.Ordinal)
                    .Select(g => g.First())
                    .OrderBy(i => i.Name, StringComparer.Ordinal)
                    .ToImmutableEquatableArray(),
                ForeignKeys = foreignKeys
                    .Select(k => new ForeignKeyDefinition
                    {
                        Name = k.ConstraintName,
                        Columns = k.Columns.Select(c => c.ColumnName).ToImmutableEquatableArray(),
                        ReferencedSchema = k.Principal.Schema ?? "public",
                        ReferencedTable = k.Principal.TableName,
                        ReferencedColumns = k.PrincipalKeys.Select(c => c.ColumnName).ToImmutableEquatableArray(),
                        OnDelete = k.OnDeleteSql,
                    })
                    .OrderBy(k => k.Name, StringComparer.Ordinal)
                    .ToImmutableEquatableArray(),
                RowLevelSecurity = true,
                ForceRowLevelSecurity = entity.ForceRowLevelSecurity,
                Policies = entity.Policies.Select(p => new PolicyDefinition
                {
                    Name = p.Name,
                    Command = SqlExpressions.Command(p.Command),
                    Permissive = !p.Restrictive,
                    Roles = p.Roles.Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal).ToImmutableEquatableArray(),
                    Using = p.Using is null ? null : PolicySqlEmitter.Emit(p.Using, entity, entities),
                    WithCheck = p.WithCheck is null ? null : PolicySqlEmitter.Emit(p.WithCheck, entity, entities),
                }).OrderBy(p => p.Name, StringComparer.Ordinal).ToImmutableEquatableArray(),

                // Exactly what the policies need, or (blanket grants) every command for every session role.
                Grants = roles
                    .Select(r => new GrantDefinition
                    {
                        Role = r,
                        Privileges = (grants is null ? TablePrivileges : Protected(entity, grants.PrivilegesOn(entity, r)))
                            .OrderBy(x => x, StringComparer.Ordinal).ToImmutableEquatableArray(),
                    })
                    .Where(g => g.Privileges.Count > 0)
                    .OrderBy(g => g.Role, StringComparer.Ordinal)
                    .ToImmutableEquatableArray(),
            };
        }
    }
}
