using Microsoft.CodeAnalysis;

namespace RlsSchema.Generator.Parsing
{
    /// <summary>Maps C# property types to PostgreSQL column types.</summary>
    internal static class TypeMapper
    {
        /// <summary>The column type of a non-nullable C# type (Nullable&lt;T&gt; already unwrapped), or null.</summary>
        /// <param name="type">The property type.</param>
        /// <param name="maxLength">The <c>[MaxLength]</c> value for strings, or null.</param>
        /// <returns>The SQL type, or null when the type cannot be mapped.</returns>
        public static string? Map(ITypeSymbol type, int? maxLength)
        {
            if (type is IArrayTypeSymbol array)
            {
                return array.Rank == 1 && array.ElementType.SpecialType == SpecialType.System_Byte ? "bytea" : null;
            }

            if (type.TypeKind == TypeKind.Enum && type is INamedTypeSymbol enumType && enumType.EnumUnderlyingType is { } underlying)
            {
                return MapInteger(underlying.SpecialType);
            }

            switch (type.SpecialType)
            {
                case SpecialType.System_Boolean:
                    return "boolean";
                case SpecialType.System_Decimal:
                    return "numeric";
                case SpecialType.System_Double:
                    return "double precision";
                case SpecialType.System_Single:
                    return "real";
                case SpecialType.System_String:
                    return maxLength is int n ? "varchar(" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")" : "text";
                case SpecialType.System_DateTime:
                    return "timestamptz";
            }

            string? integer = MapInteger(type.SpecialType);
            if (integer is not null)
            {
                return integer;
            }

            if (type is INamedTypeSymbol named && named.ContainingNamespace is { Name: "System" } ns && ns.ContainingNamespace is { IsGlobalNamespace: true })
            {
                switch (named.Name)
                {
                    case "Guid":
                        return "uuid";
                    case "DateTimeOffset":
                        return "timestamptz";
                    case "DateOnly":
                        return "date";
                    case "TimeOnly":
                        return "time";
                    case "TimeSpan":
                        return "interval";
                }
            }

            return null;
        }

        /// <summary>Whether the C# type is an integer that can back an identity column.</summary>
        /// <param name="type">The property type, unwrapped.</param>
        /// <returns>True for short, int and long.</returns>
        public static bool IsIdentityCapable(ITypeSymbol type) =>
            type.SpecialType == SpecialType.System_Int16 || type.SpecialType == SpecialType.System_Int32 || type.SpecialType == SpecialType.System_Int64;

        private static string? MapInteger(SpecialType type)
        {
            switch (type)
            {
                case SpecialType.System_Byte:
                case SpecialType.System_SByte:
                case SpecialType.System_Int16:
                    return "smallint";
                case SpecialType.System_UInt16:
                case SpecialType.System_Int32:
                    return "integer";
                case SpecialType.System_UInt32:
                case SpecialType.System_Int64:
                    return "bigint";
                default:
                    return null;
            }
        }
    }
}
