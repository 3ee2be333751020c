using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;

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
            var entities = results
                .Where(r => r.Entity is not null && !clashing.Contains(r.QualifiedTableName ?? ""))
                .Select(r => r.Entity!)
                .OrderBy(e => e.QualifiedTableName, StringComparer.Ordinal)
                .ThenBy(e => e.FullyQualifiedName, StringComparer.Ordinal)
                .ToImmutableEquatableArray();
            return new SchemaModel(entities);
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

            return diagnostics.ToImmutableEquatableArray();
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
