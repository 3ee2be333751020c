using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace RlsSchema.Generator.Parsing.Relationships
{
    /// <summary>Tells from a type's declaration whether it is an entity, the way the pipeline's markers decide it.</summary>
    internal static class EntityDetector
    {
        /// <summary>Whether the type carries an entity marker on the class or a typed policy on one of its methods.</summary>
        /// <param name="type">The candidate type.</param>
        /// <returns>True when the generator maps the type to a table.</returns>
        public static bool IsEntity(ITypeSymbol type)
        {
            if (type.TypeKind != TypeKind.Class || type.SpecialType != SpecialType.None)
            {
                return false;
            }

            foreach (string marker in KnownAttributes.EntityMarkers)
            {
                if (AttributeReader.Has(type, marker))
                {
                    return true;
                }
            }

            return type.GetMembers().OfType<IMethodSymbol>().Any(m => AttributeReader.Has(m, KnownAttributes.Policy));
        }

        /// <summary>The key property by the parser's rule, when the key has one column; null for none or several.</summary>
        /// <param name="type">An entity type.</param>
        /// <returns>The key property, or null.</returns>
        public static IPropertySymbol? KeyOf(ITypeSymbol type) => KeysOf(type) is { Count: 1 } keys ? keys[0] : null;

        /// <summary>
        /// The key properties by the parser's rule, in key order: the names of EF Core's <c>[PrimaryKey]</c>, else the
        /// (first) <c>[Key]</c> property, else <c>Id</c>, else <c>&lt;Class&gt;Id</c>.
        /// </summary>
        /// <param name="type">An entity type.</param>
        /// <returns>The key properties; empty when none is found or <c>[PrimaryKey]</c> names a property that is not mapped.</returns>
        public static List<IPropertySymbol> KeysOf(ITypeSymbol type)
        {
            var properties = MappableProperties(type).ToList();
            if (type is INamedTypeSymbol named && Building.PropertyCollector.PrimaryKeyNames(named) is { } names)
            {
                var keys = names.Select(n => properties.FirstOrDefault(p => p.Name == n)).ToList();
                return keys.Count > 0 && keys.All(k => k is not null) ? keys.Select(k => k!).ToList() : new List<IPropertySymbol>();
            }

            // Several [Key]s are RLS0003 on the principal itself; its dependents go on with the first, as before.
            if (properties.FirstOrDefault(p => AttributeReader.Has(p, KnownAttributes.Key)) is { } marked)
            {
                return new List<IPropertySymbol> { marked };
            }

            IPropertySymbol? conventional = properties.FirstOrDefault(p => string.Equals(p.Name, "Id", System.StringComparison.OrdinalIgnoreCase))
                ?? properties.FirstOrDefault(p => string.Equals(p.Name, type.Name + "Id", System.StringComparison.OrdinalIgnoreCase));
            return conventional is null ? new List<IPropertySymbol>() : new List<IPropertySymbol> { conventional };
        }

        /// <summary>The public read-write instance properties without <c>[NotMapped]</c>, the type's own before its bases'.</summary>
        /// <param name="type">The type.</param>
        /// <returns>The properties.</returns>
        public static IEnumerable<IPropertySymbol> MappableProperties(ITypeSymbol type)
        {
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            for (ITypeSymbol? t = type; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
            {
                foreach (IPropertySymbol property in t.GetMembers().OfType<IPropertySymbol>())
                {
                    if (!property.IsStatic && !property.IsIndexer && property.DeclaredAccessibility == Accessibility.Public
                        && property.GetMethod is not null && property.SetMethod is not null && seen.Add(property.Name)
                        && !AttributeReader.Has(property, KnownAttributes.NotMapped))
                    {
                        yield return property;
                    }
                }
            }
        }
    }
}
