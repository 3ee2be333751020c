using System.Linq;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Configuration
{
    /// <summary>What the entity's <c>[Table]</c> says, if it has one.</summary>
    /// <param name="Name">The table name written, or null for the class name in snake_case.</param>
    /// <param name="NameIsNull">Whether the name is written as null, which is refused.</param>
    /// <param name="Schema">The schema written, or null for the default.</param>
    /// <param name="Location">Where the table name comes from: the argument, else the class name.</param>
    /// <param name="SchemaLocation">Where the schema is written.</param>
    internal sealed record TableConfiguration(string? Name, bool NameIsNull, string? Schema, LocationInfo? Location, LocationInfo? SchemaLocation)
    {
        /// <summary>Reads the entity's <c>[Table]</c>.</summary>
        public static TableConfiguration From(ParseContext context)
        {
            AttributeData? table = AttributeReader.OfType(context.Type, KnownAttributes.Table).FirstOrDefault();
            if (table is null)
            {
                return new TableConfiguration(null, false, null, context.ClassLocation, null);
            }

            LocationInfo? location = context.LocationOf(table, null, 0);
            return new TableConfiguration(
                AttributeReader.PositionalString(table, 0),
                AttributeReader.Positional(table, 0) is { } given && given.Value is null,
                AttributeReader.NamedString(table, "Schema"),
                location,
                context.LocationOf(table, "Schema", -1, location));
        }
    }
}
