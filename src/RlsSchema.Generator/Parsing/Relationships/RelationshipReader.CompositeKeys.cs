using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Relationships
{
    /// <summary>
    /// Finds the foreign key properties behind a navigation to an entity whose key has several columns, by EF Core's
    /// rules: <c>[ForeignKey("A,B")]</c> on the navigation (EF Core takes a composite key only from there), else one
    /// property per key column named <c>&lt;Navigation&gt;&lt;Key&gt;</c>, else <c>&lt;Principal&gt;&lt;Key&gt;</c>, else
    /// the key column's own name (unless those properties hold this entity's whole primary key), case-insensitively.
    /// </summary>
    internal sealed partial class RelationshipReader
    {
        private List<IPropertySymbol>? FindCompositeForeignKey(ITypeSymbol dependent, IPropertySymbol navigation, ITypeSymbol principal, IReadOnlyList<IPropertySymbol> principalKeys, bool report)
        {
            var columns = EntityDetector.MappableProperties(dependent)
                .Where(p => NavigationKind.Classify(p, out _) == PropertyRole.Column)
                .ToList();
            string keyList = string.Join(", ", principalKeys.Select(k => k.Name));
            if (AttributeReader.OfType(navigation, KnownAttributes.ForeignKey).FirstOrDefault() is { } onNavigation)
            {
                LocationInfo? at = AttributeReader.LocationOf(onNavigation, null, 0, Where(navigation), _ct);
                string[] names = (AttributeReader.PositionalString(onNavigation, 0) ?? "").Split(',').Select(n => n.Trim()).ToArray();
                var named = names.Select(n => columns.FirstOrDefault(p => p.Name == n)).ToList();
                if (named.FindIndex(p => p is null) is var missing and >= 0)
                {
                    if (report)
                    {
                        Report(RelationshipDiagnosticDescriptors.ForeignKeyPropertyNotFound, at, names[missing], dependent.Name, navigation.Name, "mapped property");
                    }

                    return null;
                }

                if (named.Count != principalKeys.Count)
                {
                    if (report)
                    {
                        Report(RelationshipDiagnosticDescriptors.CompositeForeignKeyMismatch, at, dependent.Name, navigation.Name, principal.Name, principalKeys.Count, keyList,
                            "[ForeignKey] names " + named.Count + " (" + string.Join(", ", names) + "); name one property per key column, in the key's order, as [ForeignKey(\"A,B\")]");
                    }

                    return null;
                }

                return named.Select(p => p!).ToList();
            }

            var marked = columns.Where(p =>
                AttributeReader.OfType(p, KnownAttributes.ForeignKey).FirstOrDefault() is { } a && AttributeReader.PositionalString(a, 0) == navigation.Name).ToList();
            if (marked.Count > 0)
            {
                // EF Core refuses [ForeignKey] on the properties of a composite key, whose order they could not give.
                if (report)
                {
                    Report(RelationshipDiagnosticDescriptors.CompositeForeignKeyMismatch, Where(navigation), dependent.Name, navigation.Name, principal.Name, principalKeys.Count, keyList,
                        "[ForeignKey] stands on " + string.Join(", ", marked.Select(p => p.Name)) + "; a composite key is named on the navigation, in the key's order, as [ForeignKey(\"A,B\")]");
                }

                return null;
            }

            List<IPropertySymbol> dependentKeys = EntityDetector.KeysOf(dependent);
            foreach (string prefix in new[] { navigation.Name, principal.Name, "" })
            {
                var found = principalKeys.Select(k => columns.FirstOrDefault(p => string.Equals(p.Name, prefix + k.Name, StringComparison.OrdinalIgnoreCase))).ToList();
                if (found.All(p => p is not null)
                    && !(prefix.Length == 0 && dependentKeys.Count > 0 && dependentKeys.All(k => found.Contains(k, SymbolEqualityComparer.Default))))
                {
                    return found.Select(p => p!).ToList();
                }
            }

            if (report)
            {
                Report(RelationshipDiagnosticDescriptors.CompositeForeignKeyMismatch, Where(navigation), dependent.Name, navigation.Name, principal.Name, principalKeys.Count, keyList,
                    "'" + dependent.Name + "' has no properties " + string.Join(", ", principalKeys.Select(k => navigation.Name + k.Name))
                    + "; add them, or name the key's properties with [ForeignKey(\"A,B\")] on the navigation");
            }

            return null;
        }
    }
}
