using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Configuration
{
    /// <summary>A named string argument as written: whether it is there at all, its value, and where it is.</summary>
    /// <param name="Given">Whether the argument is written on the attribute, whatever its value.</param>
    /// <param name="Value">The value, or null when absent, null, erroneous or not a string.</param>
    /// <param name="Location">Where the argument is written, else the attribute.</param>
    internal sealed record NamedArgument(bool Given, string? Value, LocationInfo? Location)
    {
        /// <summary>Reads the named argument <paramref name="name"/> of <paramref name="attribute"/>.</summary>
        public static NamedArgument From(ParseContext context, AttributeData attribute, string name, LocationInfo? attributeLocation) =>
            new NamedArgument(
                AttributeReader.HasNamed(attribute, name),
                AttributeReader.NamedString(attribute, name),
                context.LocationOf(attribute, name, -1, attributeLocation));
    }
}
