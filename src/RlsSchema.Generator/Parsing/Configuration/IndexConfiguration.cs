using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Configuration
{
    /// <summary>What one <c>[Index]</c> says, unchecked.</summary>
    /// <param name="Location">Where the attribute is written.</param>
    /// <param name="Properties">The property names it lists (empty when it lists none).</param>
    /// <param name="PropertyLocations">Where each listed name is written.</param>
    /// <param name="Name">The <c>Name</c> argument.</param>
    /// <param name="Unique">Whether <c>Unique</c> is true.</param>
    internal sealed record IndexConfiguration(
        LocationInfo? Location,
        IReadOnlyList<string?> Properties,
        IReadOnlyList<LocationInfo?> PropertyLocations,
        NamedArgument Name,
        bool Unique)
    {
        /// <summary>Reads one <c>[Index]</c>.</summary>
        /// <param name="context">The entity being parsed.</param>
        /// <param name="attribute">The attribute.</param>
        /// <param name="fallback">Where to report when the attribute has no syntax: the property, or the class.</param>
        public static IndexConfiguration From(ParseContext context, AttributeData attribute, LocationInfo? fallback)
        {
            LocationInfo? at = context.LocationOf(attribute, null, -1, fallback);
            List<string?> names = AttributeReader.Positional(attribute, 0) is { Kind: TypedConstantKind.Array } array && !array.Values.IsDefault
                ? array.Values.Select(v => v.Value as string).ToList()
                : new List<string?>();
            return new IndexConfiguration(
                at,
                names,
                names.Select((_, i) => context.LocationOf(attribute, null, i, at)).ToList(),
                NamedArgument.From(context, attribute, nameof(IndexAttribute.Name), at),
                AttributeReader.Named(attribute, nameof(IndexAttribute.Unique))?.Value is true);
        }
    }
}
