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

        /// <summary>The key property by the parser's rule: <c>[Key]</c>, else <c>Id</c>, else <c>&lt;Class&gt;Id</c>.</summary>
        /// <param name="type">An entity type.</param>
        /// <returns>The key property, or null.</returns>
        public static IPropertySymbol? KeyOf(ITypeSymbol type)
        {
            var properties = MappableProperties(type).ToList();
            return properties.FirstOrDefault(p => AttributeReader.Has(p, KnownAttributes.Key))
                ?? properties.FirstOrDefault(p => p.Name == "Id")
                ?? properties.FirstOrDefault(p => p.Name == type.Name + "Id");
        }

        /// <summary>The public read-write instance properties without <c>[NotMapped]</c>, the type's own before its bases'.</summary>
        /// <param name="type">The type.</param>
        /// <returns>The properties.</returns>
        public static System.Collections.Generic.IEnumerable<IPropertySymbol> MappableProperties(ITypeSymbol type)
        {
            var seen = new System.Collections.Generic.HashSet<string>(System.StringComparer.Ordinal);
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
