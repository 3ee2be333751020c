using Microsoft.CodeAnalysis;

namespace RlsSchema.Generator.Parsing
{
    /// <summary>
    /// Maps C# property types to PostgreSQL column types: the types the Npgsql EF Core provider maps by convention, to
    /// the column types it gives them.
    /// </summary>
    internal static class TypeMapper
    {
        /// <summary>The column type of a non-nullable C# type (Nullable&lt;T&gt; already unwrapped), or null.</summary>
        /// <param name="type">The property type.</param>
        /// <param name="maxLength">The <c>[MaxLength]</c> or <c>[StringLength]</c> value for strings, or null.</param>
        /// <returns>The SQL type, or null when the type cannot be mapped.</returns>
        public static string? Map(ITypeSymbol type, int? maxLength)
        {
            if (type is IArrayTypeSymbol array)
            {
                if (array.Rank != 1)
                {
                    return null;
                }

                return array.ElementType.SpecialType == SpecialType.System_Byte ? "bytea" : MapArrayElement(array.ElementType);
            }

            if (type is INamedTypeSymbol { IsGenericType: true, Name: "List", TypeArguments.Length: 1 } list && IsIn(list, "System", "Collections", "Generic"))
            {
                return MapArrayElement(list.TypeArguments[0]);
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
                case SpecialType.System_Char:
                    return "character(1)";
                case SpecialType.System_UInt64:
                    return "numeric(20,0)";
            }

            string? integer = MapInteger(type.SpecialType);
            if (integer is not null)
            {
                return integer;
            }

            if (!(type is INamedTypeSymbol named))
            {
                return null;
            }

            if (IsIn(named, "System"))
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
            else if (IsIn(named, "System", "Net"))
            {
                return named.Name == "IPAddress" ? "inet" : null;
            }
            else if (IsIn(named, "System", "Net", "NetworkInformation"))
            {
                return named.Name == "PhysicalAddress" ? "macaddr" : null;
            }
            else if (IsIn(named, "System", "Text", "Json"))
            {
                return named.Name == "JsonDocument" || named.Name == "JsonElement" ? "jsonb" : null;
            }
            else if (IsIn(named, "System", "Numerics"))
            {
                return named.Name == "BigInteger" ? "numeric" : null;
            }

            return null;
        }

        /// <summary>
        /// The array column type of a <c>T[]</c> or <c>List&lt;T&gt;</c> property: <c>T</c>'s type followed by <c>[]</c>, for a
        /// <c>T</c> that maps to a scalar (a nullable one too); <c>byte[][]</c> is <c>bytea[]</c>. Lengths apply to the
        /// elements of no array, as in EF Core.
        /// </summary>
        private static string? MapArrayElement(ITypeSymbol element)
        {
            if (element is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                element = nullable.TypeArguments[0];
            }

            if (element is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
            {
                return "bytea[]";
            }

            string? mapped = element is IArrayTypeSymbol || element.TypeKind == TypeKind.Error ? null : Map(element, null);
            return mapped is null || mapped.EndsWith("[]", System.StringComparison.Ordinal) ? null : mapped + "[]";
        }

        /// <summary>Whether <paramref name="type"/> is declared directly in the namespace <paramref name="names"/> spell out.</summary>
        private static bool IsIn(INamedTypeSymbol type, params string[] names)
        {
            INamespaceSymbol? ns = type.ContainingNamespace;
            for (int i = names.Length - 1; i >= 0; i--)
            {
                if (ns is null || ns.Name != names[i])
                {
                    return false;
                }

                ns = ns.ContainingNamespace;
            }

            return ns is { IsGlobalNamespace: true } && type.ContainingType is null;
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
