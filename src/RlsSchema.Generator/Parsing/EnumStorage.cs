using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing
{
    /// <summary>
    /// Enums are stored as their integer by default, as in EF Core. An enum is stored by name, as text checked against the
    /// enum's names, where it is a <c>[Membership]</c> role, or where <c>[Column(TypeName = "text")]</c> (or a
    /// <c>varchar</c>) says so, as EF Core's string conversion stores it.
    /// </summary>
    internal static class EnumStorage
    {
        /// <summary>The enum type a property stores by name, or null when it stores no enum by name.</summary>
        /// <param name="property">The property.</param>
        /// <returns>The enum type, nullable unwrapped, or null.</returns>
        public static INamedTypeSymbol? ByName(IPropertySymbol property)
        {
            ITypeSymbol type = property.Type;
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                type = nullable.TypeArguments[0];
            }

            if (!(type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType))
            {
                return null;
            }

            foreach (AttributeData column in AttributeReader.OfType(property, KnownAttributes.Column))
            {
                if (AttributeReader.NamedString(column, "TypeName") is { } typeName)
                {
                    string name = typeName.Trim().ToLowerInvariant();
                    return name == "text" || name.StartsWith("varchar", StringComparison.Ordinal) || name.StartsWith("character varying", StringComparison.Ordinal) ? enumType : null;
                }
            }

            bool isRole = AttributeReader.OfType(property.ContainingType, KnownAttributes.Membership)
                .Any(m => AttributeReader.NamedString(m, "Role") == property.Name);
            return isRole ? enumType : null;
        }

        /// <summary>The enum's members, name and value, in declaration order.</summary>
        /// <param name="enumType">The enum.</param>
        /// <returns>The members.</returns>
        public static ImmutableEquatableArray<EnumMember> Members(INamedTypeSymbol enumType) =>
            enumType.GetMembers().OfType<IFieldSymbol>()
                .Where(f => f.HasConstantValue)
                .Select(f => new EnumMember(f.Name, Convert.ToString(f.ConstantValue, CultureInfo.InvariantCulture) ?? "0"))
                .ToImmutableEquatableArray();

        /// <summary>The check that holds a column to the enum's names: <c>"role" IN ('Owner', 'Member')</c>.</summary>
        /// <param name="columnName">The column's name, unquoted.</param>
        /// <param name="members">The enum's members.</param>
        /// <returns>The check's SQL; the column is always quoted, and member names are C# identifiers, which need no escaping in a literal.</returns>
        public static string CheckSql(string columnName, ImmutableEquatableArray<EnumMember> members) =>
            "\"" + columnName.Replace("\"", "\"\"") + "\" IN (" + string.Join(", ", members.Select(m => "'" + m.Name + "'")) + ")";

        /// <summary>The name of the enum's member with the value, or null.</summary>
        /// <param name="enumType">The enum.</param>
        /// <param name="value">The value, in invariant culture.</param>
        /// <returns>The member's name, or null.</returns>
        public static string? NameOf(INamedTypeSymbol enumType, string value) =>
            Members(enumType).FirstOrDefault(m => m.Value == value)?.Name;
    }
}
