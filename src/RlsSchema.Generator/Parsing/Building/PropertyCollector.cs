using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace RlsSchema.Generator.Parsing.Building
{
    /// <summary>A property that maps to a column, and whether it is the key.</summary>
    /// <param name="Symbol">The property.</param>
    /// <param name="IsKey">Whether it is the key: marked <c>[Key]</c> or named by EF Core's <c>[PrimaryKey]</c>, else named <c>Id</c> or <c>&lt;Class&gt;Id</c> in any case, as EF Core finds it.</param>
    /// <param name="KeyOrder">Its position in the key: the order of <c>[PrimaryKey]</c>'s names; 0 for a single key.</param>
    /// <param name="CompositeKey">Whether it is one column of a key of several (<c>[PrimaryKey]</c> with more than one name).</param>
    internal sealed record MappedProperty(IPropertySymbol Symbol, bool IsKey, int KeyOrder = 0, bool CompositeKey = false);

    /// <summary>
    /// Finds the mapped properties: public, non-static, non-indexer, with a getter and a setter, not <c>[NotMapped]</c>;
    /// base classes first, each class in declaration order; a property hidden by a derived class's one of the same name
    /// is left out.
    /// </summary>
    internal static class PropertyCollector
    {
        public static IReadOnlyList<MappedProperty> Collect(ParseContext context)
        {
            List<INamedTypeSymbol> chain = BaseChain(context.Type);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var candidates = new List<IPropertySymbol>();
            for (int i = chain.Count - 1; i >= 0; i--)
            {
                foreach (IPropertySymbol property in chain[i].GetMembers().OfType<IPropertySymbol>())
                {
                    if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public
                        || property.GetMethod is null || property.SetMethod is null || !seen.Add(property.Name))
                    {
                        continue;
                    }

                    candidates.Add(property);
                }
            }

            candidates = candidates
                .OrderBy(p => chain.IndexOf(p.ContainingType))
                .ThenBy(p => p.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
                .ToList();

            // EF Core's class-level [PrimaryKey(nameof(A), ...)] names the key as [Key] on the properties would.
            List<string>? named = PrimaryKeyNames(context.Type);
            var explicitKeys = named is not null
                ? candidates.Where(p => named.Contains(p.Name) && !IsNotMapped(p)).ToList()
                : candidates.Where(p => AttributeReader.Has(p, KnownAttributes.Key) && !IsNotMapped(p)).ToList();
            IPropertySymbol? conventionalKey = explicitKeys.Count > 0 ? null
                : candidates.FirstOrDefault(p => string.Equals(p.Name, "Id", StringComparison.OrdinalIgnoreCase) && !IsNotMapped(p))
                ?? candidates.FirstOrDefault(p => string.Equals(p.Name, context.Name + "Id", StringComparison.OrdinalIgnoreCase) && !IsNotMapped(p));

            bool composite = named is not null && named.Count > 1;
            return candidates
                .Where(p => !IsNotMapped(p))
                .Select(p => new MappedProperty(
                    p,
                    explicitKeys.Contains(p, SymbolEqualityComparer.Default) || SymbolEqualityComparer.Default.Equals(p, conventionalKey),
                    named is null ? 0 : Math.Max(0, named.IndexOf(p.Name)),
                    composite && explicitKeys.Contains(p, SymbolEqualityComparer.Default)))
                .ToList();
        }

        // The class and its bases, base first; stops at object, at an unresolved base and at a cycle.
        private static List<INamedTypeSymbol> BaseChain(INamedTypeSymbol type)
        {
            var chain = new List<INamedTypeSymbol>();
            for (INamedTypeSymbol? t = type; t is not null && t.SpecialType != SpecialType.System_Object && t.TypeKind != TypeKind.Error; t = t.BaseType)
            {
                if (chain.Contains(t, SymbolEqualityComparer.Default))
                {
                    break;
                }

                chain.Insert(0, t);
            }

            return chain;
        }

        /// <summary>The property names EF Core's class-level <c>[PrimaryKey]</c> gives, in its order (the key's column order), or null without one.</summary>
        public static List<string>? PrimaryKeyNames(INamedTypeSymbol type)
        {
            AttributeData? primaryKey = AttributeReader.OfType(type, KnownAttributes.EfPrimaryKey).FirstOrDefault();
            if (primaryKey is null)
            {
                return null;
            }

            var names = new List<string>();
            foreach (TypedConstant argument in primaryKey.ConstructorArguments)
            {
                IEnumerable<TypedConstant> values = argument.Kind == TypedConstantKind.Array
                    ? (argument.Values.IsDefault ? Enumerable.Empty<TypedConstant>() : argument.Values)
                    : new[] { argument };
                foreach (TypedConstant value in values)
                {
                    if (value.Value is string name)
                    {
                        names.Add(name);
                    }
                }
            }

            return names;
        }

        private static bool IsNotMapped(IPropertySymbol property) => AttributeReader.Has(property, KnownAttributes.NotMapped);
    }
}
