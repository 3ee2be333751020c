using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Parsing.Checks;
using RlsSchema.Generator.Parsing.Configuration;

namespace RlsSchema.Generator.Parsing.Building
{
    /// <summary>
    /// Builds a property's column: its SQL type, name, nullability, default, value generation and checks. Nullability
    /// comes from the C# type; <c>[Required]</c> and the key make a column not null. An identity-capable key without a
    /// default is an identity column, a <c>Guid</c> key without one (or a <c>Guid</c> marked identity) defaults to a
    /// random uuid, and a non-nullable <c>bool</c> defaults to false.
    /// </summary>
    internal static class ColumnBuilder
    {
        private static readonly SymbolDisplayFormat NullableFormat = SymbolDisplayFormat.FullyQualifiedFormat.WithMiscellaneousOptions(
            SymbolDisplayFormat.FullyQualifiedFormat.MiscellaneousOptions | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <returns>The column, or null when the property cannot be mapped (reported, unless its type does not compile).</returns>
        public static MappedColumn? Build(ParseContext context, MappedProperty mapped)
        {
            IPropertySymbol property = mapped.Symbol;
            LocationInfo? location = AttributeReader.ToInfo(property.Locations.FirstOrDefault());
            ColumnConfiguration config = ColumnConfiguration.From(context, property, location);
            ITypeSymbol type = property.Type;
            ITypeSymbol underlying = type;
            bool nullable;
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullableType && nullableType.TypeArguments.Length == 1)
            {
                underlying = nullableType.TypeArguments[0];
                nullable = true;
            }
            else
            {
                nullable = type.IsReferenceType && type.NullableAnnotation != NullableAnnotation.NotAnnotated;
            }

            int? maxLength = config.MaxLength;
            if (maxLength <= 0)
            {
                context.Report(DiagnosticDescriptors.InvalidAttributeUsage, config.MaxLengthLocation, config.MaxLengthAttribute, context.Name + "." + property.Name, "the length must be positive");
                maxLength = null;
            }

            if (type.TypeKind == TypeKind.Error || underlying.TypeKind == TypeKind.Error)
            {
                return null; // the compiler reports the type
            }

            INamedTypeSymbol? byName = EnumStorage.ByName(property);
            string? sqlType = byName is null ? TypeMapper.Map(underlying, maxLength) : "text";
            if (config.TypeName is { Value: { } typeName } typeNameArgument)
            {
                sqlType = SqlInputChecks.Fragment(context, typeName, "[Column(TypeName)] of '" + property.Name + "'", typeNameArgument.Location, warnPerRow: false) ?? sqlType;
            }

            if (sqlType is not null && config.Precision is not null && config.TypeName is null)
            {
                sqlType = WithPrecision(context, config, sqlType, property.Name);
            }

            if (sqlType is null)
            {
                context.Report(DiagnosticDescriptors.UnmappableType, location, context.Name, property.Name, type.ToDisplayString());
                return null;
            }

            string columnName = config.Name ?? SqlNames.ToSnakeCase(property.Name);
            SqlInputChecks.Name(context, "column", columnName, config.NameLocation);
            if (config.Required || mapped.IsKey)
            {
                nullable = false;
            }

            ColumnDefault? columnDefault = ReadDefault(context, config, property.Name);
            bool serverDefault = columnDefault is not null;
            bool isUuid = sqlType == "uuid";
            bool identity = config.Generated == ColumnConfiguration.GeneratedIdentity;
            if (identity && !TypeMapper.IsIdentityCapable(underlying) && !isUuid)
            {
                context.Report(DiagnosticDescriptors.InvalidAttributeUsage, config.GeneratedLocation, "[DatabaseGenerated(Identity)]", context.Name + "." + property.Name, "identity columns must be short, int, long or Guid");
            }

            // A Guid the database generates (a key by convention, or [DatabaseGenerated(Identity)] as EF Core reads it)
            // defaults to gen_random_uuid(). The columns of a composite key are the application's values, as in EF Core,
            // which generates none for them.
            ValueGeneration generation = ValueGeneration.None;
            if (config.ServerGenerated && (mapped.IsKey || config.Immutable || identity))
            {
                context.Report(DiagnosticDescriptors.InvalidAttributeUsage, config.ServerGeneratedLocation, "[ServerGenerated]", context.Name + "." + property.Name,
                    "end users never write it, so it cannot also be the key, an identity or [Immutable]");
                config = config with { ServerGenerated = false };
            }

            // A column end users never write is never sent by the repository either: the database or backend code fills it.
            if (config.Generated == ColumnConfiguration.GeneratedComputed || config.ServerGenerated)
            {
                generation = ValueGeneration.Computed;
            }
            else if ((identity && !isUuid)
                || (config.Generated is null && mapped.IsKey && !mapped.CompositeKey && TypeMapper.IsIdentityCapable(underlying) && columnDefault is null))
            {
                generation = ValueGeneration.Identity;
            }
            else if (isUuid && columnDefault is null && (identity || (mapped.IsKey && !mapped.CompositeKey && config.Generated is null)))
            {
                columnDefault = new RandomUuidColumnDefault();
                serverDefault = true;
            }

            if (columnDefault is null && !nullable && underlying.SpecialType == SpecialType.System_Boolean && generation == ValueGeneration.None)
            {
                columnDefault = new FalseColumnDefault();
            }

            var checks = new List<CheckModel>();
            foreach (CheckConfiguration check in config.Checks)
            {
                if (CheckBuilder.Build(context, check, "[Check] of '" + property.Name + "'") is { } model)
                {
                    checks.Add(model);
                }
            }

            if (byName is not null)
            {
                checks.Add(new CheckModel(null, EnumStorage.CheckSql(columnName, EnumStorage.Members(byName))));
            }

            var column = new ColumnModel
            {
                PropertyName = property.Name,
                ColumnName = columnName,
                SqlType = sqlType,
                CastType = sqlType.StartsWith("varchar(", StringComparison.Ordinal) ? "text" : sqlType,
                ClrType = type.ToDisplayString(NullableFormat),
                ClrTypeWithoutNullable = underlying.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                IsValueType = underlying.IsValueType,
                IsString = underlying.SpecialType == SpecialType.System_String,
                IsNullable = nullable,
                IsKey = mapped.IsKey,
                KeyOrder = mapped.KeyOrder,
                Generation = generation,
                Default = columnDefault,
                Checks = checks.ToImmutableEquatableArray(),
                UsesServerDefault = serverDefault,
                Protection = config.ServerGenerated ? ColumnProtection.ServerGenerated : config.Immutable ? ColumnProtection.Immutable : ColumnProtection.None,
                Comment = CommentChecks.Text(context, config.Comment, config.CommentLocation, "[Comment] of '" + property.Name + "'"),
                EnumByName = byName is null ? null : EnumStorage.Members(byName),
            };
            return new MappedColumn(property, column, location);
        }

        // EF Core's [Precision]: numeric(p) or numeric(p,s) for decimals, fractional-second digits for times and intervals,
        // as the Npgsql provider gives them.
        private static string WithPrecision(ParseContext context, ColumnConfiguration config, string sqlType, string propertyName)
        {
            int precision = config.Precision!.Value;
            string what = context.Name + "." + propertyName;
            string p = precision.ToString(System.Globalization.CultureInfo.InvariantCulture);
            switch (sqlType)
            {
                case "numeric":
                    if (precision < 1 || precision > 1000 || config.Scale < 0 || config.Scale > precision)
                    {
                        context.Report(DiagnosticDescriptors.InvalidAttributeUsage, config.PrecisionLocation, "[Precision]", what, "a numeric precision is 1 to 1000 and its scale 0 to the precision");
                        return sqlType;
                    }

                    return config.Scale is int scale ? "numeric(" + p + "," + scale.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")" : "numeric(" + p + ")";
                case "timestamptz":
                case "time":
                case "interval":
                    if (precision < 0 || precision > 6 || config.Scale is not null)
                    {
                        context.Report(DiagnosticDescriptors.InvalidAttributeUsage, config.PrecisionLocation, "[Precision]", what, "a time precision is 0 to 6 fractional digits, with no scale");
                        return sqlType;
                    }

                    return sqlType + "(" + p + ")";
                default:
                    context.Report(DiagnosticDescriptors.InvalidAttributeUsage, config.PrecisionLocation, "[Precision]", what, "precision applies to decimal, DateTime, DateTimeOffset, TimeOnly and TimeSpan properties");
                    return sqlType;
            }
        }

        private static ColumnDefault? ReadDefault(ParseContext context, ColumnConfiguration config, string propertyName)
        {
            if (!config.HasDefaultSql)
            {
                return null;
            }

            if (config.DefaultSql is null || config.DefaultSql.Trim().Length == 0)
            {
                context.Report(DiagnosticDescriptors.InvalidAttributeUsage, config.DefaultSqlLocation, "[DefaultSql]", context.Name + "." + propertyName, "the default expression is empty");
                return null;
            }

            string? sql = SqlInputChecks.Fragment(context, config.DefaultSql, "[DefaultSql] of '" + propertyName + "'", config.DefaultSqlLocation, warnPerRow: false);
            return sql is null ? null : new SqlColumnDefault(sql);
        }
    }
}
