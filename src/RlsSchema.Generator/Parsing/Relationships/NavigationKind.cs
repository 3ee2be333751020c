using System.Linq;
using Microsoft.CodeAnalysis;

namespace RlsSchema.Generator.Parsing.Relationships
{
    /// <summary>What a mappable property is: a column, or a relationship to another entity.</summary>
    internal enum PropertyRole
    {
        /// <summary>A column.</summary>
        Column,

        /// <summary>A reference to one other entity (many-to-one), held by a foreign key column.</summary>
        Reference,

        /// <summary>A collection of dependents (one-to-many), held by their foreign keys.</summary>
        Collection,
    }

    /// <summary>Tells navigations from columns.</summary>
    internal static class NavigationKind
    {
        /// <summary>
        /// Classifies a property. A property whose type is an entity is a reference; a collection of entities is a
        /// collection. A class-typed property carrying <c>[ForeignKey]</c> or <c>[InverseProperty]</c> is a navigation
        /// too, to a type that may not be an entity (which the relationship reader reports).
        /// </summary>
        /// <param name="property">The property.</param>
        /// <param name="target">The referenced or collected type, for navigations.</param>
        /// <returns>The property's role.</returns>
        public static PropertyRole Classify(IPropertySymbol property, out ITypeSymbol? target)
        {
            target = null;
            ITypeSymbol type = property.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
            if (type.TypeKind == TypeKind.Error)
            {
                return PropertyRole.Column;
            }

            // A non-generic struct, enum or built-in type (string, int, object, ...) is neither an entity, nor a class a
            // navigation could point to, nor a collection: a column, without reading the property's attributes. This
            // is most properties, and each is classified several times per parse.
            if (type is INamedTypeSymbol { IsGenericType: false } && (type.SpecialType != SpecialType.None || type.TypeKind is TypeKind.Struct or TypeKind.Enum))
            {
                return PropertyRole.Column;
            }

            bool marked = AttributeReader.Has(property, KnownAttributes.ForeignKey) || AttributeReader.Has(property, KnownAttributes.InverseProperty)
                || IsConventionalNavigation(property, type);
            if (ElementOf(type) is { } element && (EntityDetector.IsEntity(element) || (marked && IsClass(element))))
            {
                target = element;
                return PropertyRole.Collection;
            }

            if (EntityDetector.IsEntity(type) || (marked && IsClass(type)))
            {
                target = type;
                return PropertyRole.Reference;
            }

            return PropertyRole.Column;
        }

        // As in EF Core, a property of an application class that no column type fits is a navigation by convention,
        // even when the class is not an entity (which the relationship reader then reports).
        private static bool IsConventionalNavigation(IPropertySymbol property, ITypeSymbol type)
        {
            ITypeSymbol candidate = ElementOf(type) ?? type;
            if (!IsClass(candidate) || TypeMapper.Map(type, null) is not null
                || AttributeReader.OfType(property, KnownAttributes.Column).Any(a => AttributeReader.HasNamed(a, "TypeName")))
            {
                return false;
            }

            string? ns = candidate.ContainingNamespace?.ToDisplayString();
            return ns is null || !(ns == "System" || ns.StartsWith("System.", System.StringComparison.Ordinal) || ns.StartsWith("Microsoft.", System.StringComparison.Ordinal));
        }

        private static bool IsClass(ITypeSymbol type) =>
            type.TypeKind == TypeKind.Class && type.SpecialType == SpecialType.None;

        private static ITypeSymbol? ElementOf(ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol array)
            {
                return array.Rank == 1 && IsClass(array.ElementType) ? array.ElementType : null;
            }

            if (!(type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named) || type.SpecialType == SpecialType.System_String)
            {
                return null;
            }

            bool enumerable = named.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T;
            foreach (INamedTypeSymbol implemented in named.AllInterfaces)
            {
                enumerable |= implemented.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T;
            }

            return enumerable && IsClass(named.TypeArguments[0]) ? named.TypeArguments[0] : null;
        }
    }
}
