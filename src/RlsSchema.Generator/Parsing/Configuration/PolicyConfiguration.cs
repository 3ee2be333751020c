using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Configuration
{
    /// <summary>What one raw <c>[Policy]</c> says, unchecked.</summary>
    /// <param name="Location">Where the attribute is written.</param>
    /// <param name="Name">The policy name, or null.</param>
    /// <param name="NameLocation">Where the name is written.</param>
    /// <param name="Command">The <c>Command</c> value as written (possibly not a <see cref="PolicyCommand"/>), or null for the default.</param>
    /// <param name="CommandLocation">Where the command is written.</param>
    /// <param name="Roles">The <c>Roles</c> argument.</param>
    /// <param name="Using">The <c>Using</c> argument.</param>
    /// <param name="WithCheck">The <c>WithCheck</c> argument.</param>
    /// <param name="Restrictive">Whether <c>Restrictive</c> is true.</param>
    internal sealed record PolicyConfiguration(
        LocationInfo? Location,
        string? Name,
        LocationInfo? NameLocation,
        int? Command,
        LocationInfo? CommandLocation,
        NamedArgument Roles,
        NamedArgument Using,
        NamedArgument WithCheck,
        bool Restrictive)
    {
        /// <summary>Reads one <c>[Policy]</c>.</summary>
        public static PolicyConfiguration From(ParseContext context, AttributeData attribute)
        {
            LocationInfo? at = context.LocationOf(attribute);
            return new PolicyConfiguration(
                at,
                AttributeReader.PositionalString(attribute, 0),
                context.LocationOf(attribute, null, 0, at),
                AttributeReader.Named(attribute, nameof(PolicyAttribute.Command))?.Value as int?,
                context.LocationOf(attribute, nameof(PolicyAttribute.Command), -1, at),
                NamedArgument.From(context, attribute, nameof(PolicyAttribute.Roles), at),
                NamedArgument.From(context, attribute, nameof(PolicyAttribute.Using), at),
                NamedArgument.From(context, attribute, nameof(PolicyAttribute.WithCheck), at),
                AttributeReader.Named(attribute, nameof(PolicyAttribute.Restrictive))?.Value is true);
        }
    }
}
