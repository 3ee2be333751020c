using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Parsing.TypedPolicies;

namespace RlsSchema.Generator.Parsing
{
    /// <summary>Checks across entities: merges the parse results, sorts them and finds two entities on one table.</summary>
    internal static class SchemaBuilder
    {
        /// <summary>Joins the per-marker results, keeping one result per class, sorted by class name.</summary>
        /// <param name="results">Every branch's results.</param>
        /// <returns>The deduplicated results.</returns>
        public static ImmutableEquatableArray<EntityResult> Merge(IEnumerable<EntityResult?> results) =>
            results
                .Where(r => r is not null)
                .Select(r => r!)
                .GroupBy(r => r.FullyQualifiedName, StringComparer.Ordinal)
                .Select(g => g.First())
                .OrderBy(r => r.FullyQualifiedName, StringComparer.Ordinal)
                .ToImmutableEquatableArray();

        /// <summary>The valid entities that can be emitted, sorted by table.</summary>
        /// <param name="results">The merged results.</param>
        /// <returns>The schema.</returns>
        public static SchemaModel BuildSchema(ImmutableEquatableArray<EntityResult> results)
        {
            HashSet<string> clashing = ClashingTables(results);
            var wrongMembership = new HashSet<string>(MembershipProblems(results).Select(p => p.Key), StringComparer.Ordinal);
            var entities = results
                .Where(r => r.Entity is not null && !clashing.Contains(r.QualifiedTableName ?? "") && !wrongMembership.Contains(r.FullyQualifiedName))
                .Select(r => r.Entity!)
                .OrderBy(e => e.QualifiedTableName, StringComparer.Ordinal)
                .ThenBy(e => e.FullyQualifiedName, StringComparer.Ordinal)
                .ToList();

            // An entity that references one with errors cannot be emitted either (the errors are already reported).
            bool removed = true;
            while (removed)
            {
                var names = new HashSet<string>(entities.Select(e => e.FullyQualifiedName), StringComparer.Ordinal);
                removed = entities.RemoveAll(e => PolicyReferences.EntitiesOf(e).Any(n => !names.Contains(n))) > 0;
            }

            return new SchemaModel(entities.ToImmutableEquatableArray());
        }

        /// <summary>Every diagnostic: each class's own, plus one per class that shares its table with another.</summary>
        /// <param name="results">The merged results.</param>
        /// <returns>The diagnostics.</returns>
        public static ImmutableEquatableArray<DiagnosticInfo> CollectDiagnostics(ImmutableEquatableArray<EntityResult> results)
        {
            var diagnostics = results.SelectMany(r => r.Diagnostics).ToList();
            foreach (IGrouping<string, EntityResult> group in results.Where(r => r.QualifiedTableName is not null).GroupBy(r => r.QualifiedTableName!, StringComparer.Ordinal))
            {
                List<EntityResult> members = group.ToList();
                if (members.Count < 2)
                {
                    continue;
                }

                for (int i = 0; i < members.Count; i++)
                {
                    EntityResult other = members[i == 0 ? 1 : 0];
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.DuplicateTable.Id,
                        members[i].TableLocation,
                        Display(members[i].FullyQualifiedName),
                        Display(other.FullyQualifiedName),
                        group.Key));
                }
            }

            diagnostics.AddRange(MembershipProblems(results).Select(p => p.Value));
            var tables = new HashSet<string>(results.Where(r => r.QualifiedTableName is not null).Select(r => r.QualifiedTableName!), StringComparer.Ordinal);
            foreach (EntityResult result in results)
            {
                foreach (RawTableRead read in result.RawTableReads.Where(r => !tables.Contains(r.QualifiedTable)).GroupBy(r => r.PolicyName + "/" + r.QualifiedTable).Select(g => g.First()))
                {
                    diagnostics.Add(DiagnosticInfo.Create(RelationshipDiagnosticDescriptors.RawPolicyUnknownTable.Id, read.Location,
                        "Policy '" + read.PolicyName + "'", Display(result.FullyQualifiedName), read.QualifiedTable));
                }
            }

            return diagnostics.ToImmutableEquatableArray();
        }

        private static IEnumerable<KeyValuePair<string, DiagnosticInfo>> MembershipProblems(ImmutableEquatableArray<EntityResult> results)
        {
            var diagnostics = new List<KeyValuePair<string, DiagnosticInfo>>();
            var declared = results.Where(r => r.MembershipLocation is not null).ToList();
            if (declared.Count > 1)
            {
                foreach (EntityResult result in declared)
                {
                    diagnostics.Add(new KeyValuePair<string, DiagnosticInfo>(result.FullyQualifiedName, DiagnosticInfo.Create(RelationshipDiagnosticDescriptors.InvalidMembership.Id, result.MembershipLocation,
                        "[Membership] is declared on " + string.Join(" and ", declared.Select(d => "'" + Display(d.FullyQualifiedName) + "'")) + "; declare it on one entity")));
                }

                return diagnostics;
            }

            EntityModel? membership = declared.Count == 1 ? declared[0].Entity : null;
            MembershipModel? model = membership?.Membership;
            string? tenantType = model is null ? null : membership!.Columns.First(c => c.PropertyName == model.TenantProperty).CastType;
            foreach (EntityResult result in results)
            {
                foreach (MembershipUse use in result.MembershipUses)
                {
                    string? problem = null;
                    if (declared.Count == 0)
                    {
                        problem = "membership is checked here, but no entity is marked [Membership(Tenant = ..., Member = ..., Role = ...)]";
                    }
                    else if (model is null)
                    {
                        continue;
                    }
                    else if (tenantType != use.TenantType)
                    {
                        problem = "the tenant id checked here is " + use.TenantType + ", but the tenant of '" + membership!.ClassName + "' is " + tenantType;
                    }
                    else if (use.NeedsRole && model.RoleProperty is null)
                    {
                        problem = "a member role is checked here, but [Membership] on '" + membership!.ClassName + "' names no Role property";
                    }

                    if (problem is not null)
                    {
                        diagnostics.Add(new KeyValuePair<string, DiagnosticInfo>(result.FullyQualifiedName, DiagnosticInfo.Create(RelationshipDiagnosticDescriptors.InvalidMembership.Id, use.Location, problem)));
                    }
                }
            }

            return diagnostics;
        }

        private static HashSet<string> ClashingTables(IEnumerable<EntityResult> results) =>
            new HashSet<string>(
                results.Where(r => r.QualifiedTableName is not null)
                    .GroupBy(r => r.QualifiedTableName!, StringComparer.Ordinal)
                    .Where(g => g.Count() > 1)
                    .Select(g => g.Key),
                StringComparer.Ordinal);

        private static string Display(string fullyQualifiedName) =>
            fullyQualifiedName.StartsWith("global::", StringComparison.Ordinal) ? fullyQualifiedName.Substring(8) : fullyQualifiedName;
    }
}
