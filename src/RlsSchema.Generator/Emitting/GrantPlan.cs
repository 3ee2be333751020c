using System;
using System.Collections.Generic;
using System.Linq;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Parsing.TypedPolicies;

namespace RlsSchema.Generator.Emitting
{
    /// <summary>
    /// The privileges each role gets, derived from the policies: on each table exactly the commands some policy for the
    /// role covers (a <c>false</c> policy covers its command too), plus SELECT on every table its policies read through
    /// navigations or subqueries. A role with no policy on a table holds no privilege there, so its statements fail
    /// with 42501 instead of silently seeing nothing.
    /// </summary>
    internal sealed class GrantPlan
    {
        /// <summary>The roles the runtime uses by default; created even when no policy names them, with no table privileges then.</summary>
        public static readonly string[] RuntimeRoles = { "authenticated", "anonymous" };

        private static readonly string[] Commands = { "SELECT", "INSERT", "UPDATE", "DELETE" };

        private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _byTable;

        private GrantPlan(IReadOnlyList<string> roles, Dictionary<string, Dictionary<string, HashSet<string>>> byTable)
        {
            Roles = roles;
            _byTable = byTable;
        }

        /// <summary>Every role the script creates: the runtime's two, then the others the policies name, sorted.</summary>
        public IReadOnlyList<string> Roles { get; }

        /// <summary>Plans the grants of a schema.</summary>
        /// <param name="schema">The schema.</param>
        /// <returns>The plan.</returns>
        public static GrantPlan Of(SchemaModel schema)
        {
            var entities = schema.Entities.ToDictionary(e => e.FullyQualifiedName, StringComparer.Ordinal);
            var byQualifiedTable = new Dictionary<string, EntityModel>(StringComparer.Ordinal);
            foreach (EntityModel entity in schema.Entities)
            {
                byQualifiedTable[entity.QualifiedTableName] = entity;
            }

            var byTable = new Dictionary<string, Dictionary<string, HashSet<string>>>(StringComparer.Ordinal);
            void Grant(EntityModel entity, string role, string command)
            {
                if (!byTable.TryGetValue(entity.QualifiedTableName, out var roles))
                {
                    byTable[entity.QualifiedTableName] = roles = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
                }

                if (!roles.TryGetValue(role, out var commands))
                {
                    roles[role] = commands = new HashSet<string>(StringComparer.Ordinal);
                }

                commands.Add(command);
            }

            foreach (EntityModel entity in schema.Entities)
            {
                foreach (PolicyModel policy in entity.Policies)
                {
                    var read = new List<EntityModel>();
                    foreach (PolicyExpression? condition in new[] { policy.Using, policy.WithCheck })
                    {
                        if (condition is SqlPolicyExpression sql)
                        {
                            read.AddRange(RawSqlReferences.Tables(sql.Sql).Where(byQualifiedTable.ContainsKey).Select(t => byQualifiedTable[t]));
                        }
                        else if (condition is not null)
                        {
                            read.AddRange(PolicyReferences.EntitiesOf(condition).Where(entities.ContainsKey).Select(n => entities[n]));
                        }
                    }

                    foreach (string role in policy.Roles)
                    {
                        foreach (string command in policy.Command == PolicyCommand.All ? Commands : new[] { SqlExpressions.Command(policy.Command) })
                        {
                            Grant(entity, role, command);
                        }

                        foreach (EntityModel other in read)
                        {
                            Grant(other, role, "SELECT");
                        }
                    }
                }
            }

            var named = schema.Entities.SelectMany(e => e.Policies).SelectMany(p => p.Roles)
                .Where(r => !RuntimeRoles.Contains(r, StringComparer.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(r => r, StringComparer.Ordinal);
            return new GrantPlan(RuntimeRoles.Concat(named).ToList(), byTable);
        }

        /// <summary>The commands <paramref name="role"/> may run on the entity's table, in SELECT, INSERT, UPDATE, DELETE order.</summary>
        /// <param name="entity">The entity.</param>
        /// <param name="role">The role.</param>
        /// <returns>The commands; empty for none.</returns>
        public IReadOnlyList<string> PrivilegesOn(EntityModel entity, string role) =>
            _byTable.TryGetValue(entity.QualifiedTableName, out var roles) && roles.TryGetValue(role, out var commands)
                ? Commands.Where(commands.Contains).ToList()
                : (IReadOnlyList<string>)Array.Empty<string>();
    }
}
