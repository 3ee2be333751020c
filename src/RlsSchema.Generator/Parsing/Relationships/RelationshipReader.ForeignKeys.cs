using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Relationships
{
    /// <summary>Finds the foreign key property behind a navigation by EF Core's rules, and the SQL type a key compares as.</summary>
    internal sealed partial class RelationshipReader
    {
        private IPropertySymbol? FindForeignKey(ITypeSymbol dependent, IPropertySymbol navigation, ITypeSymbol principal, bool report)
        {
            var columns = EntityDetector.MappableProperties(dependent)
                .Where(p => NavigationKind.Classify(p, out _) == PropertyRole.Column)
                .ToList();
            if (AttributeReader.OfType(navigation, KnownAttributes.ForeignKey).FirstOrDefault() is { } onNavigation)
            {
                string? name = AttributeReader.PositionalString(onNavigation, 0);
                IPropertySymbol? named = columns.FirstOrDefault(p => p.Name == name);
                if (named is null && report)
                {
                    Report(RelationshipDiagnosticDescriptors.ForeignKeyPropertyNotFound, AttributeReader.LocationOf(onNavigation, null, 0, Where(navigation), _ct),
                        name ?? "null", dependent.Name, navigation.Name, "mapped property");
                }

                return named;
            }

            IPropertySymbol? marked = columns.FirstOrDefault(p =>
                AttributeReader.OfType(p, KnownAttributes.ForeignKey).FirstOrDefault() is { } a && AttributeReader.PositionalString(a, 0) == navigation.Name);
            if (marked is not null)
            {
                return marked;
            }

            string keyName = EntityDetector.KeyOf(principal)?.Name ?? "Id";
            foreach (string candidate in new[] { navigation.Name + "Id", navigation.Name + keyName, principal.Name + "Id", principal.Name + keyName })
            {
                if (columns.FirstOrDefault(p => p.Name == candidate) is { } found)
                {
                    return found;
                }
            }

            if (report)
            {
                Report(RelationshipDiagnosticDescriptors.NavigationWithoutForeignKey, Where(navigation), dependent.Name, navigation.Name);
            }

            return null;
        }

        private static string? CastTypeOf(IPropertySymbol property)
        {
            ITypeSymbol type = property.Type;
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                type = nullable.TypeArguments[0];
            }

            string? sql = TypeMapper.Map(type, null);
            return sql is not null && sql.StartsWith("varchar(", StringComparison.Ordinal) ? "text" : sql;
        }
    }
}
