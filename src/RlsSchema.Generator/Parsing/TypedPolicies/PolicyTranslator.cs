using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Model.TypedPolicies;
using RlsSchema.Generator.Parsing.Relationships;

namespace RlsSchema.Generator.Parsing.TypedPolicies
{
    /// <summary>
    /// Translates a typed policy's C# condition into a <see cref="PolicyExpression"/> by walking its operations. The
    /// subset: <c>==</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>&amp;&amp;</c>, <c>||</c>,
    /// <c>!</c>, <c>is null</c> and constant patterns, constants and <c>const</c> fields, enum values, <c>Contains</c> on a
    /// constant array, the entity's columns, many-to-one navigations (also through <c>!</c> and <c>?.</c>), <c>Any</c>
    /// over collection navigations, and the members of <c>RlsSchema.Auth</c>. Anything else is reported
    /// on the exact expression. This part translates the conditions; the calls, the operands and the reading of
    /// operations and symbols are parts of their own.
    /// </summary>
    internal sealed partial class PolicyTranslator
    {
        private const string AuthType = "RlsSchema.Auth";

        private readonly string _policyName;
        private readonly string _entityName;
        private readonly Action<DiagnosticDescriptor, LocationInfo?, object?[]> _report;
        private readonly CancellationToken _ct;
        private readonly Stack<Operand> _conditionalReceivers = new Stack<Operand>();
        private Scope _scope;

        /// <summary>Creates a translator for one policy method.</summary>
        /// <param name="policyName">The policy's name, for messages.</param>
        /// <param name="entity">The entity the method belongs to.</param>
        /// <param name="parameter">The method's parameter: the row.</param>
        /// <param name="report">Reports a diagnostic.</param>
        /// <param name="cancellationToken">Cancels the walk.</param>
        public PolicyTranslator(string policyName, ITypeSymbol entity, IParameterSymbol parameter, Action<DiagnosticDescriptor, LocationInfo?, object?[]> report, CancellationToken cancellationToken)
        {
            _policyName = policyName;
            _entityName = entity.Name;
            _report = report;
            _ct = cancellationToken;
            _scope = new Scope(parameter, entity, null);
        }

        /// <summary>The membership checks the condition makes.</summary>
        public List<MembershipUse> MembershipUses { get; } = new List<MembershipUse>();

        /// <summary>Translates a boolean condition.</summary>
        /// <param name="operation">The condition's operation.</param>
        /// <returns>The expression, or null when some part could not be translated (each such part is reported).</returns>
        public PolicyExpression? Translate(IOperation operation)
        {
            _ct.ThrowIfCancellationRequested();
            operation = Unwrap(operation);
            if (operation.Type?.SpecialType == SpecialType.System_Boolean && operation.ConstantValue is { HasValue: true, Value: bool constant })
            {
                return new BooleanConstant(constant);
            }

            switch (operation)
            {
                case IBinaryOperation binary:
                    return TranslateBinary(binary);
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    return Translate(not.Operand) switch
                    {
                        null => null,

                        // As the emitter would: a negated condition on a related row is the related row's negated condition.
                        ThroughReference through => new ThroughReference(through.ForeignKeyProperty, through.PrincipalEntity, new NotExpression(through.Condition)),
                        CorrelatedReference correlated => new CorrelatedReference(correlated.ForeignKeyProperty, correlated.PrincipalEntity, new NotExpression(correlated.Condition)),
                        PolicyExpression operand => new NotExpression(operand),
                    };
                case IIsPatternOperation pattern:
                    return TranslatePattern(pattern);
                case IInvocationOperation invocation when !IsAuthMember(invocation.TargetMethod, "Claim") && SqlFunctionName(invocation.TargetMethod) is null:
                    return TranslateCall(invocation);
            }

            if (operation.Type?.SpecialType == SpecialType.System_Boolean
                || (operation.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n && n.TypeArguments[0].SpecialType == SpecialType.System_Boolean))
            {
                Operand? value = TranslateOperand(operation);
                return value is null ? null : Wrap(value.Path, Value(value, operation) is { } v ? new BooleanTest(v) : null);
            }

            return Unsupported(operation, "not a condition the translator knows");
        }

        private PolicyExpression? TranslateBinary(IBinaryOperation binary)
        {
            switch (binary.OperatorKind)
            {
                case BinaryOperatorKind.ConditionalAnd:
                case BinaryOperatorKind.And when binary.Type?.SpecialType == SpecialType.System_Boolean:
                {
                    PolicyExpression? left = Translate(binary.LeftOperand);
                    PolicyExpression? right = Translate(binary.RightOperand);
                    return left is null || right is null ? null : new AndExpression(left, right);
                }

                case BinaryOperatorKind.ConditionalOr:
                case BinaryOperatorKind.Or when binary.Type?.SpecialType == SpecialType.System_Boolean:
                {
                    PolicyExpression? left = Translate(binary.LeftOperand);
                    PolicyExpression? right = Translate(binary.RightOperand);
                    return left is null || right is null ? null : new OrExpression(left, right);
                }
            }

            ComparisonOperator? op = binary.OperatorKind switch
            {
                BinaryOperatorKind.Equals => ComparisonOperator.Equal,
                BinaryOperatorKind.NotEquals => ComparisonOperator.NotEqual,
                BinaryOperatorKind.LessThan => ComparisonOperator.LessThan,
                BinaryOperatorKind.LessThanOrEqual => ComparisonOperator.LessThanOrEqual,
                BinaryOperatorKind.GreaterThan => ComparisonOperator.GreaterThan,
                BinaryOperatorKind.GreaterThanOrEqual => ComparisonOperator.GreaterThanOrEqual,
                _ => null,
            };
            // Guid, decimal and the date and time types compare through their own operators, which mean what SQL's do.
            bool systemOperator = binary.OperatorMethod is null
                || (binary.OperatorMethod.ContainingType is { IsValueType: true } declaring && declaring.ContainingNamespace?.ToDisplayString() == "System");
            if (op is null || !systemOperator)
            {
                return Unsupported(binary, "only comparisons, &&, || and ! are translated");
            }

            return Compare(op.Value, binary.LeftOperand, binary.RightOperand, binary);
        }

        private PolicyExpression? TranslatePattern(IIsPatternOperation pattern)
        {
            bool negated = false;
            IPatternOperation inner = pattern.Pattern;
            if (inner is INegatedPatternOperation not)
            {
                negated = true;
                inner = not.Pattern;
            }

            if (!(inner is IConstantPatternOperation constant))
            {
                return Unsupported(pattern, "only 'is null', 'is not null' and constant patterns are translated");
            }

            return Compare(negated ? ComparisonOperator.NotEqual : ComparisonOperator.Equal, pattern.Value, constant.Value, pattern);
        }

        private PolicyExpression? Compare(ComparisonOperator op, IOperation leftOperation, IOperation rightOperation, IOperation whole)
        {
            Operand? left = TranslateOperand(leftOperation);
            Operand? right = TranslateOperand(rightOperation);
            if (left is null || right is null)
            {
                return null;
            }

            // A navigation compared with null tests its foreign key.
            left = RowAsKey(left, right);
            right = RowAsKey(right, left);
            if (!SameScope(left, right, whole, out List<Step>? path))
            {
                return null;
            }

            PolicyValue? l = EnumByName(Value(left, leftOperation), rightOperation);
            PolicyValue? r = EnumByName(Value(right, rightOperation), leftOperation);
            if (l is null || r is null)
            {
                return null;
            }

            // A related row's value against this row's: the related row is looked up for each row.
            if (path!.Count > 0 && (left.Path.Count == 0 ? ReadsRow(l) : right.Path.Count == 0 && ReadsRow(r)))
            {
                PolicyExpression inner = left.Path.Count == 0 ? new Comparison(op, ToOuter(l), r) : new Comparison(op, l, ToOuter(r));
                for (int i = path.Count - 1; i >= 0; i--)
                {
                    inner = new CorrelatedReference(path[i].ForeignKey, path[i].Principal, inner);
                }

                return inner;
            }

            return Wrap(path, new Comparison(op, l, r));
        }

        private static Operand RowAsKey(Operand operand, Operand other)
        {
            if (operand.Row is not null && operand.Path.Count > 0 && other.Value is ConstantValue { Kind: ConstantKind.Null })
            {
                Step last = operand.Path[operand.Path.Count - 1];
                return new Operand(operand.Path.Take(operand.Path.Count - 1).ToList(), new ColumnValue(last.ForeignKey, last.Nullable), null, null);
            }

            return operand;
        }

        private bool SameScope(Operand left, Operand right, IOperation whole, out List<Step>? path)
        {
            path = null;
            if (left.Path.Count > 0 && right.Path.Count > 0 && !left.Path.SequenceEqual(right.Path))
            {
                Unsupported(whole, "two different related rows are compared; compare a related row's value with this row's, a constant or an Auth value");
                return false;
            }

            path = left.Path.Count > 0 ? left.Path : right.Path;
            return true;
        }

        private PolicyValue? Value(Operand operand, IOperation operation)
        {
            if (operand.Value is { } value)
            {
                return value;
            }

            return Unsupported<PolicyValue>(operation, operand.Collection is not null
                ? "a collection is used through Any(...)"
                : "a navigation is compared only with null; compare one of its properties");
        }

        private static PolicyExpression? Wrap(List<Step> path, PolicyExpression? inner)
        {
            if (inner is null)
            {
                return null;
            }

            for (int i = path.Count - 1; i >= 0; i--)
            {
                inner = new ThroughReference(path[i].ForeignKey, path[i].Principal, inner);
            }

            return inner;
        }

        private static LocationInfo? Where(IOperation operation) => AttributeReader.ToInfo(operation.Syntax.GetLocation());

        private PolicyExpression? Unsupported(IOperation operation, string why) => Unsupported<PolicyExpression>(operation, why);

        private T? Unsupported<T>(IOperation operation, string why)
            where T : class
        {
            string text = operation.Syntax.ToString();
            if (text.Length > 80)
            {
                text = text.Substring(0, 77) + "...";
            }

            _report(RelationshipDiagnosticDescriptors.UntranslatablePolicyExpression, Where(operation), new object?[] { _policyName, _entityName, text.Replace("\r", " ").Replace("\n", " "), why });
            return null;
        }
    }
}
