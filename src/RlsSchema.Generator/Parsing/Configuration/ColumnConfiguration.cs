using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Configuration
{
    /// <summary>
    /// What a property's column attributes say, unchecked: Entity Framework's <c>[Column]</c>, <c>[MaxLength]</c>, <c>[StringLength]</c>,
    /// <c>[Required]</c> and <c>[DatabaseGenerated]</c>, EF Core's <c>[Precision]</c> and <c>[Comment]</c>, and RlsSchema's <c>[DefaultSql]</c>, <c>[Check]</c>, <c>[Immutable]</c> and <c>[ServerGenerated]</c>.
    /// </summary>
    internal sealed record ColumnConfiguration
    {
        /// <summary>The <c>DatabaseGeneratedOption.Identity</c> value.</summary>
        public const int GeneratedIdentity = 1;

        /// <summary>The <c>DatabaseGeneratedOption.Computed</c> value.</summary>
        public const int GeneratedComputed = 2;

        /// <summary>The column name written in <c>[Column]</c>, or null.</summary>
        public required string? Name { get; init; }

        /// <summary>Where the column name comes from: the argument, else the property.</summary>
        public required LocationInfo? NameLocation { get; init; }

        /// <summary>The <c>[Column(TypeName)]</c> argument.</summary>
        public required NamedArgument? TypeName { get; init; }

        /// <summary>The <c>[MaxLength]</c> or <c>[StringLength]</c> length as written, or null.</summary>
        public required int? MaxLength { get; init; }

        /// <summary>The attribute that gives the length, as written: <c>[MaxLength]</c> or <c>[StringLength]</c>.</summary>
        public required string? MaxLengthAttribute { get; init; }

        /// <summary>Where the length is written.</summary>
        public required LocationInfo? MaxLengthLocation { get; init; }

        /// <summary>Whether the property has <c>[DefaultSql]</c>.</summary>
        public required bool HasDefaultSql { get; init; }

        /// <summary>The <c>[DefaultSql]</c> expression, or null.</summary>
        public required string? DefaultSql { get; init; }

        /// <summary>Where the default expression is written.</summary>
        public required LocationInfo? DefaultSqlLocation { get; init; }

        /// <summary>The <c>[DatabaseGenerated]</c> option as written, or null.</summary>
        public required int? Generated { get; init; }

        /// <summary>Where the option is written.</summary>
        public required LocationInfo? GeneratedLocation { get; init; }

        /// <summary>Whether the property has <c>[Required]</c>.</summary>
        public required bool Required { get; init; }

        /// <summary>EF Core's <c>[Precision]</c> precision, or null.</summary>
        public int? Precision { get; init; }

        /// <summary>EF Core's <c>[Precision]</c> scale, or null.</summary>
        public int? Scale { get; init; }

        /// <summary>Where <c>[Precision]</c> is written.</summary>
        public LocationInfo? PrecisionLocation { get; init; }

        /// <summary>EF Core's <c>[Comment]</c> text, or null.</summary>
        public string? Comment { get; init; }

        /// <summary>Where <c>[Comment]</c> is written.</summary>
        public LocationInfo? CommentLocation { get; init; }

        /// <summary>Whether the property has <c>[Immutable]</c>.</summary>
        public bool Immutable { get; init; }

        /// <summary>Whether the property has <c>[ServerGenerated]</c>.</summary>
        public bool ServerGenerated { get; init; }

        /// <summary>Where <c>[ServerGenerated]</c> is written.</summary>
        public LocationInfo? ServerGeneratedLocation { get; init; }

        /// <summary>The property's <c>[Check]</c> attributes.</summary>
        public required IReadOnlyList<CheckConfiguration> Checks { get; init; }

        /// <summary>Reads the column attributes of <paramref name="property"/>.</summary>
        /// <param name="context">The entity being parsed.</param>
        /// <param name="property">The property.</param>
        /// <param name="location">The property's location, where reports go when an attribute has no syntax.</param>
        public static ColumnConfiguration From(ParseContext context, IPropertySymbol property, LocationInfo? location)
        {
            AttributeData? column = AttributeReader.OfType(property, KnownAttributes.Column).FirstOrDefault();
            // [MaxLength] and [StringLength] both give varchar(n), as in EF Core; [MaxLength] wins when both stand.
            AttributeData? maxLength = AttributeReader.OfType(property, KnownAttributes.MaxLength).FirstOrDefault()
                ?? AttributeReader.OfType(property, KnownAttributes.StringLength).FirstOrDefault();
            AttributeData? defaultSql = AttributeReader.OfType(property, KnownAttributes.DefaultSql).FirstOrDefault();
            AttributeData? generated = AttributeReader.OfType(property, KnownAttributes.DatabaseGenerated).FirstOrDefault();
            AttributeData? precision = AttributeReader.OfType(property, KnownAttributes.EfPrecision).FirstOrDefault();
            AttributeData? comment = AttributeReader.OfType(property, KnownAttributes.EfComment).FirstOrDefault();
            AttributeData? serverGenerated = AttributeReader.OfType(property, KnownAttributes.ServerGenerated).FirstOrDefault();
            return new ColumnConfiguration
            {
                Name = column is null ? null : AttributeReader.PositionalString(column, 0),
                NameLocation = column is null ? location : context.LocationOf(column, null, 0, location),
                TypeName = column is null ? null : NamedArgument.From(context, column, "TypeName", location),
                MaxLength = maxLength is null ? null : AttributeReader.Positional(maxLength, 0)?.Value as int?,
                MaxLengthAttribute = maxLength is null ? null : maxLength.AttributeClass?.Name == "StringLengthAttribute" ? "[StringLength]" : "[MaxLength]",
                MaxLengthLocation = maxLength is null ? null : context.LocationOf(maxLength, null, 0, location),
                HasDefaultSql = defaultSql is not null,
                DefaultSql = defaultSql is null ? null : AttributeReader.PositionalString(defaultSql, 0),
                DefaultSqlLocation = defaultSql is null ? null : context.LocationOf(defaultSql, null, 0, location),
                Generated = generated is null ? null : AttributeReader.Positional(generated, 0)?.Value as int?,
                GeneratedLocation = generated is null ? null : context.LocationOf(generated, null, 0, location),
                Required = AttributeReader.Has(property, KnownAttributes.Required),
                Precision = precision is null ? null : AttributeReader.Positional(precision, 0)?.Value as int?,
                Scale = precision is null ? null : AttributeReader.Positional(precision, 1)?.Value as int?,
                PrecisionLocation = precision is null ? null : context.LocationOf(precision, null, -1, location),
                Comment = comment is null ? null : AttributeReader.PositionalString(comment, 0),
                CommentLocation = comment is null ? null : context.LocationOf(comment, null, 0, location),
                Immutable = AttributeReader.Has(property, KnownAttributes.Immutable),
                ServerGenerated = serverGenerated is not null,
                ServerGeneratedLocation = serverGenerated is null ? null : context.LocationOf(serverGenerated, null, -1, location),
                Checks = AttributeReader.OfType(property, KnownAttributes.Check).Select(c => CheckConfiguration.From(context, c)).ToList(),
            };
        }
    }
}
