using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Configuration
{
    /// <summary>What one <c>[Check]</c> says, unchecked.</summary>
    /// <param name="Sql">The expression, or null.</param>
    /// <param name="Location">Where the expression is written.</param>
    /// <param name="Name">The <c>Name</c> argument.</param>
    internal sealed record CheckConfiguration(string? Sql, LocationInfo? Location, NamedArgument Name)
    {
        /// <summary>Reads one <c>[Check]</c>.</summary>
        public static CheckConfiguration From(ParseContext context, AttributeData attribute)
        {
            LocationInfo? at = context.LocationOf(attribute, null, 0);
            return new CheckConfiguration(
                AttributeReader.PositionalString(attribute, 0),
                at,
                NamedArgument.From(context, attribute, nameof(CheckAttribute.Name), at));
        }
    }
}
