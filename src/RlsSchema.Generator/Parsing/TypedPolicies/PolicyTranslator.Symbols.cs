using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Model.TypedPolicies;

namespace RlsSchema.Generator.Parsing.TypedPolicies
{
    /// <summary>How the translator reads operations and symbols: conversions and parentheses looked through, <c>Auth</c> members recognised, nullability of a column.</summary>
    internal sealed partial class PolicyTranslator
    {
        private static IOperation? SingleReturn(IBlockOperation body) =>
            body.Operations.Length == 1 && body.Operations[0] is IReturnOperation { ReturnedValue: { } value } ? value : null;

        private static IOperation Unwrap(IOperation operation)
        {
            while (true)
            {
                switch (operation)
                {
                    case IConversionOperation conversion when conversion.OperatorMethod is null && !conversion.Conversion.IsUserDefined:
                        operation = conversion.Operand;
                        continue;
                    case IParenthesizedOperation parenthesized:
                        operation = parenthesized.Operand;
                        continue;
                    default:
                        return operation;
                }
            }
        }

        private static bool IsAuthMember(ISymbol symbol, string name) =>
            symbol.Name == name && symbol.IsStatic && symbol.ContainingType?.ToDisplayString() == AuthType;

        private static bool IsNullable(IPropertySymbol property)
        {
            if (AttributeReader.Has(property, KnownAttributes.Key) || AttributeReader.Has(property, KnownAttributes.Required))
            {
                return false;
            }

            return property.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T }
                || (property.Type.IsReferenceType && property.Type.NullableAnnotation != NullableAnnotation.NotAnnotated);
        }

        // A number compared with a column that stores its enum by name is the member's name.
        private PolicyValue? EnumByName(PolicyValue? value, IOperation column)
        {
            if (!(value is ConstantValue { Kind: ConstantKind.Number } number)
                || !(Unwrap(column) is IPropertyReferenceOperation property)
                || EnumStorage.ByName(property.Property) is not { } enumType)
            {
                return value;
            }

            return EnumStorage.NameOf(enumType, number.Text) is { } name
                ? new ConstantValue(ConstantKind.String, name)
                : Unsupported<PolicyValue>(column, "'" + property.Property.Name + "' stores " + enumType.Name + " by name, and " + number.Text + " is none of its members");
        }

        private static string FullName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
    }
}
