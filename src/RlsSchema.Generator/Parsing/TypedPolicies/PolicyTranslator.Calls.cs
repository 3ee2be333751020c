using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Model.TypedPolicies;

namespace RlsSchema.Generator.Parsing.TypedPolicies
{
    /// <summary>The calls a condition may make: the <c>Auth</c> checks, <c>Contains</c> on a constant array and <c>Any</c> over a collection navigation.</summary>
    internal sealed partial class PolicyTranslator
    {
        private PolicyExpression? TranslateCall(IInvocationOperation invocation)
        {
            IMethodSymbol method = invocation.TargetMethod;
            IOperation Argument(int i) => invocation.Arguments[i].Value;
            if (IsAuthMember(method, "HasPermission"))
            {
                return ConstantString(Argument(0), "the permission") is { } permission ? new HasPermission(permission) : null;
            }

            if (IsAuthMember(method, "IsMemberOf") || IsAuthMember(method, "HasMemberRole"))
            {
                string? role = null;
                if (method.Name == "HasMemberRole" && (role = method.TypeArguments.Length == 2
                    ? EnumMemberName(Argument(1), "the role") : ConstantString(Argument(1), "the role")) is null)
                {
                    return null;
                }

                Operand? tenant = TranslateOperand(Argument(0));
                if (tenant is null || Value(tenant, Argument(0)) is not { } value)
                {
                    return null;
                }

                ITypeSymbol tenantType = method.TypeArguments[0];
                if (tenantType is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
                {
                    tenantType = nullable.TypeArguments[0];
                }

                string? castType = TypeMapper.Map(tenantType, null);
                MembershipUses.Add(new MembershipUse(castType is not null && castType.StartsWith("varchar", StringComparison.Ordinal) ? "text" : castType ?? tenantType.ToDisplayString(), role is not null, Where(invocation)));
                return Wrap(tenant.Path, new MemberOf(value, role));
            }

            bool isEnumerable = method.ContainingType?.ToDisplayString() == "System.Linq.Enumerable";
            bool isSpan = method.ContainingType?.ToDisplayString() == "System.MemoryExtensions";
            if ((isEnumerable || isSpan) && method.Name == "Contains" && invocation.Arguments.Length == 2)
            {
                return TranslateContains(invocation, Argument(0), Argument(1));
            }

            if (isEnumerable && method.Name == "Any" && invocation.Arguments.Length is 1 or 2)
            {
                return TranslateAny(invocation);
            }

            return Unsupported(invocation, "only Auth members, Contains on a constant array and Any over a collection navigation are translated");
        }

        private PolicyExpression? TranslateContains(IInvocationOperation invocation, IOperation source, IOperation item)
        {
            source = Unwrap(source);
            IEnumerable<IOperation>? elements = source switch
            {
                IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
                ICollectionExpressionOperation collection => collection.Elements,
                _ => null,
            };
            if (elements is null)
            {
                return Unsupported(source, "Contains is translated on an array written in place, e.g. new[] { \"a\", \"b\" }");
            }

            var items = new List<PolicyValue>();
            foreach (IOperation element in elements)
            {
                if (!(Constant(Unwrap(element)) is { } constant))
                {
                    return Unsupported(element, "the array's elements must be constants");
                }

                items.Add(constant);
            }

            if (items.Count == 0)
            {
                return new BooleanConstant(false);
            }

            Operand? value = TranslateOperand(item);
            if (value is null || Value(value, item) is not { } v)
            {
                return null;
            }

            for (int i = 0; i < items.Count; i++)
            {
                if (EnumByName(items[i], item) is not { } named)
                {
                    return null;
                }

                items[i] = named;
            }

            return Wrap(value.Path, new InList(v, items.ToImmutableEquatableArray()));
        }

        private PolicyExpression? TranslateAny(IInvocationOperation invocation)
        {
            IOperation sourceOperation = invocation.Arguments[0].Value;
            Operand? source = TranslateOperand(sourceOperation);
            if (source is null)
            {
                return null;
            }

            if (source.Collection is not { } collection)
            {
                return Unsupported(sourceOperation, "Any is translated over a collection navigation of the entity");
            }

            PolicyExpression? condition = null;
            if (invocation.Arguments.Length == 2)
            {
                if (!(Unwrap(invocation.Arguments[1].Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda })
                    || lambda.Symbol.Parameters.Length != 1
                    || SingleReturn(lambda.Body) is not { } body)
                {
                    return Unsupported(invocation.Arguments[1].Value, "Any takes a lambda with an expression body, e.g. x => x.Done");
                }

                Scope outer = _scope;
                _scope = new Scope(lambda.Symbol.Parameters[0], collection.Dependent, outer);
                try
                {
                    condition = Translate(body);
                }
                finally
                {
                    _scope = outer;
                }

                if (condition is null)
                {
                    return null;
                }
            }

            return Wrap(source.Path, new AnyDependent(FullName(collection.Dependent), collection.ForeignKey, condition));
        }

        // An enum role is stored by its name, as the membership's enum role column holds it.
        private string? EnumMemberName(IOperation operation, string what)
        {
            if (Unwrap(operation) is IFieldReferenceOperation { Field: { ContainingType.TypeKind: TypeKind.Enum, HasConstantValue: true } field })
            {
                return field.Name;
            }

            Unsupported(operation, what + " must be a member of the enum, written as a constant such as MemberRole.Owner");
            return null;
        }

        private string? ConstantString(IOperation operation, string what)
        {
            if (Unwrap(operation).ConstantValue is { HasValue: true, Value: string text } && text.Length > 0)
            {
                return text;
            }

            Unsupported(operation, what + " must be a non-empty constant string");
            return null;
        }
    }
}
