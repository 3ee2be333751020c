using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing
{
    /// <summary>Reads attribute arguments defensively (a malformed attribute yields nulls, never an exception) and finds their locations.</summary>
    internal static class AttributeReader
    {
        /// <summary>The attributes of <paramref name="symbol"/> whose class has the given full name.</summary>
        public static IEnumerable<AttributeData> OfType(ISymbol symbol, string fullName)
        {
            // Most lookups find nothing: they then allocate nothing.
            List<AttributeData>? found = null;
            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                if (Is(attribute, fullName))
                {
                    (found ??= new List<AttributeData>()).Add(attribute);
                }
            }

            return found ?? (IEnumerable<AttributeData>)System.Array.Empty<AttributeData>();
        }

        /// <summary>Whether <paramref name="symbol"/> has an attribute with the given full name.</summary>
        public static bool Has(ISymbol symbol, string fullName)
        {
            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                if (Is(attribute, fullName))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Is(AttributeData attribute, string fullName) =>
            attribute.AttributeClass is { } c && c.TypeKind != TypeKind.Error && HasFullName(c, fullName);

        /// <summary>
        /// Whether <paramref name="type"/> displays as <paramref name="fullName"/> (<c>Namespace.Outer.Name</c>), compared
        /// name by name from the end instead of formatting the name: this runs for every attribute the parser asks about.
        /// </summary>
        public static bool HasFullName(INamedTypeSymbol type, string fullName)
        {
            ISymbol current = type;
            int end = fullName.Length;
            while (true)
            {
                // A generic type displays with its type arguments, which no name asked for has.
                if (current is INamedTypeSymbol { Arity: > 0 })
                {
                    return false;
                }

                string name = current.Name;
                int start = end - name.Length;
                if (start < 0 || string.CompareOrdinal(fullName, start, name, 0, name.Length) != 0)
                {
                    return false;
                }

                ISymbol? parent = current.ContainingSymbol;
                if (parent is null || parent is INamespaceSymbol { IsGlobalNamespace: true })
                {
                    return start == 0;
                }

                if (start == 0 || fullName[start - 1] != '.')
                {
                    return false;
                }

                end = start - 1;
                current = parent;
            }
        }

        /// <summary>A named argument's constant, or null when absent or erroneous.</summary>
        public static TypedConstant? Named(AttributeData attribute, string name)
        {
            foreach (KeyValuePair<string, TypedConstant> pair in attribute.NamedArguments)
            {
                if (pair.Key == name && pair.Value.Kind != TypedConstantKind.Error)
                {
                    return pair.Value;
                }
            }

            return null;
        }

        /// <summary>Whether the named argument is written on the attribute at all.</summary>
        public static bool HasNamed(AttributeData attribute, string name) => attribute.NamedArguments.Any(p => p.Key == name);

        /// <summary>A named string argument, or null.</summary>
        public static string? NamedString(AttributeData attribute, string name) => Named(attribute, name)?.Value as string;

        /// <summary>A positional argument's constant, or null.</summary>
        public static TypedConstant? Positional(AttributeData attribute, int index)
        {
            if (attribute.AttributeConstructor is null || index >= attribute.ConstructorArguments.Length)
            {
                return null;
            }

            TypedConstant value = attribute.ConstructorArguments[index];
            return value.Kind == TypedConstantKind.Error ? null : value;
        }

        /// <summary>A positional string argument, or null.</summary>
        public static string? PositionalString(AttributeData attribute, int index) => Positional(attribute, index)?.Value as string;

        /// <summary>Where the attribute, or one of its arguments, is written.</summary>
        /// <param name="attribute">The attribute.</param>
        /// <param name="argumentName">A named argument, or null.</param>
        /// <param name="position">A positional argument index, or -1.</param>
        /// <param name="fallback">Used when the attribute has no syntax.</param>
        /// <param name="cancellationToken">Cancels the syntax lookup.</param>
        public static LocationInfo? LocationOf(AttributeData attribute, string? argumentName, int position, LocationInfo? fallback, CancellationToken cancellationToken)
        {
            if (!(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax syntax))
            {
                return fallback;
            }

            if (syntax.ArgumentList is { } list)
            {
                int positional = 0;
                foreach (AttributeArgumentSyntax argument in list.Arguments)
                {
                    if (argument.NameEquals is { } nameEquals)
                    {
                        if (argumentName is not null && nameEquals.Name.Identifier.ValueText == argumentName)
                        {
                            return ToInfo(argument.Expression.GetLocation());
                        }

                        continue;
                    }

                    if (position >= 0 && positional == position)
                    {
                        return ToInfo(argument.Expression.GetLocation());
                    }

                    positional++;
                }
            }

            return ToInfo(syntax.GetLocation());
        }

        /// <summary>Turns a Roslyn location into plain data.</summary>
        public static LocationInfo? ToInfo(Location? location)
        {
            if (location is null || !location.IsInSource || location.SourceTree is null)
            {
                return null;
            }

            return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
        }
    }
}
