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
    /// on the exact expression.
    /// </summary>
    internal sealed class PolicyTranslator
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
                        PolicyExpression operand => new NotExpression(operand),
                    };
                case IIsPatternOperation pattern:
                    return TranslatePattern(pattern);
                case IInvocationOperation invocation when !IsAuthMember(invocation.TargetMethod, "Claim"):
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

            PolicyValue? l = Value(left, leftOperation);
            PolicyValue? r = Value(right, rightOperation);
            return l is null || r is null ? null : Wrap(path!, new Comparison(op, l, r));
        }

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
                if (method.Name == "HasMemberRole" && (role = ConstantString(Argument(1), "the role")) is null)
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

        private Operand? TranslateOperand(IOperation operation)
        {
            _ct.ThrowIfCancellationRequested();
            operation = Unwrap(operation);
            if (Constant(operation) is { } constant)
            {
                return new Operand(new List<Step>(), constant, null, null);
            }

            switch (operation)
            {
                case IParameterReferenceOperation parameter:
                    if (SymbolEqualityComparer.Default.Equals(parameter.Parameter, _scope.Parameter))
                    {
                        return new Operand(new List<Step>(), null, _scope.Entity, null);
                    }

                    return Unsupported<Operand>(operation, _scope.Outer is null
                        ? "only the policy's own parameter can be read"
                        : "a lambda inside Any may use only its own parameter, so that the SQL stays uncorrelated");

                case IConditionalAccessOperation conditional:
                {
                    Operand? receiver = TranslateOperand(conditional.Operation);
                    if (receiver is null)
                    {
                        return null;
                    }

                    _conditionalReceivers.Push(receiver);
                    try
                    {
                        return TranslateOperand(conditional.WhenNotNull);
                    }
                    finally
                    {
                        _conditionalReceivers.Pop();
                    }
                }

                case IConditionalAccessInstanceOperation when _conditionalReceivers.Count > 0:
                    return _conditionalReceivers.Peek();

                case IPropertyReferenceOperation property when property.Property.IsStatic:
                    if (IsAuthMember(property.Property, "UserId"))
                    {
                        return new Operand(new List<Step>(), new AuthValue(AuthValueKind.UserId, null), null, null);
                    }

                    if (IsAuthMember(property.Property, "Uid"))
                    {
                        return new Operand(new List<Step>(), new AuthValue(AuthValueKind.Uid, null), null, null);
                    }

                    return Unsupported<Operand>(operation, "static members other than Auth's are read at run time, not in the database; use a const");

                case IPropertyReferenceOperation property when property.Instance is not null:
                    return TranslateMember(property);

                case IInvocationOperation invocation when IsAuthMember(invocation.TargetMethod, "Claim"):
                    return ConstantString(invocation.Arguments[0].Value, "the claim's name") is { } claim
                        ? new Operand(new List<Step>(), new AuthValue(AuthValueKind.Claim, claim), null, null)
                        : null;
            }

            return Unsupported<Operand>(operation, "not a column, a navigation, a constant or an Auth value");
        }

        private Operand? TranslateMember(IPropertyReferenceOperation property)
        {
            Operand? receiver = TranslateOperand(property.Instance!);
            if (receiver is null)
            {
                return null;
            }

            if (receiver.Row is not { } row)
            {
                return Unsupported<Operand>(property, "members are translated only on the entity and its navigations");
            }

            IPropertySymbol symbol = property.Property;
            if (!EntityDetector.MappableProperties(row).Any(p => SymbolEqualityComparer.Default.Equals(p, symbol) || SymbolEqualityComparer.Default.Equals(p, symbol.OriginalDefinition)))
            {
                return Unsupported<Operand>(property, "'" + symbol.Name + "' is not a mapped property of '" + row.Name + "'");
            }

            switch (NavigationKind.Classify(symbol, out ITypeSymbol? target))
            {
                case PropertyRole.Reference when target is not null && EntityDetector.IsEntity(target):
                {
                    IPropertySymbol? key = RelationshipReader.ForeignKeyOf(row, symbol, target);
                    if (key is null)
                    {
                        return Unsupported<Operand>(property, "'" + symbol.Name + "' has no foreign key property");
                    }

                    var path = new List<Step>(receiver.Path) { new Step(key.Name, FullName(target), IsNullable(key)) };
                    return new Operand(path, null, target, null);
                }

                case PropertyRole.Collection when target is not null && EntityDetector.IsEntity(target):
                {
                    string? key = RelationshipReader.InverseForeignKeyOf(row, symbol, target);
                    if (key is null)
                    {
                        return Unsupported<Operand>(property, "'" + symbol.Name + "' has no single foreign key back to '" + row.Name + "'");
                    }

                    return new Operand(receiver.Path, null, null, new CollectionInfo(target, key));
                }

                case PropertyRole.Column:
                    return new Operand(receiver.Path, new ColumnValue(symbol.Name, IsNullable(symbol)), null, null);
            }

            return Unsupported<Operand>(property, "'" + symbol.Name + "' is a navigation to a type that is not an entity");
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
                Unsupported(whole, "two different related rows are compared; compare a related row's value with a constant or an Auth value");
                return false;
            }

            if ((left.Path.Count > 0 && right.Value is ColumnValue && right.Path.Count == 0)
                || (right.Path.Count > 0 && left.Value is ColumnValue && left.Path.Count == 0))
            {
                Unsupported(whole, "a related row's value is compared with a column of this row, which needs a per-row correlated subquery; compare it with a constant or an Auth value");
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

        private string? ConstantString(IOperation operation, string what)
        {
            if (Unwrap(operation).ConstantValue is { HasValue: true, Value: string text } && text.Length > 0)
            {
                return text;
            }

            Unsupported(operation, what + " must be a non-empty constant string");
            return null;
        }

        private static ConstantValue? Constant(IOperation operation)
        {
            if (!operation.ConstantValue.HasValue)
            {
                return null;
            }

            object? value = operation.ConstantValue.Value;
            return value switch
            {
                null => new ConstantValue(ConstantKind.Null, ""),
                string text => new ConstantValue(ConstantKind.String, text),
                bool flag => new ConstantValue(ConstantKind.Boolean, flag ? "true" : "false"),
                char => null,
                float f when float.IsNaN(f) || float.IsInfinity(f) => null,
                double d when double.IsNaN(d) || double.IsInfinity(d) => null,
                float f => new ConstantValue(ConstantKind.Number, f.ToString("R", CultureInfo.InvariantCulture)),
                double d => new ConstantValue(ConstantKind.Number, d.ToString("R", CultureInfo.InvariantCulture)),
                IConvertible number => new ConstantValue(ConstantKind.Number, number.ToString(CultureInfo.InvariantCulture)),
                _ => null,
            };
        }

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

        private static string FullName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

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

        private sealed class Scope
        {
            public Scope(IParameterSymbol parameter, ITypeSymbol entity, Scope? outer)
            {
                Parameter = parameter;
                Entity = entity;
                Outer = outer;
            }

            public IParameterSymbol Parameter { get; }

            public ITypeSymbol Entity { get; }

            public Scope? Outer { get; }
        }

        private sealed record Step(string ForeignKey, string Principal, bool Nullable);

        private sealed class CollectionInfo
        {
            public CollectionInfo(ITypeSymbol dependent, string foreignKey)
            {
                Dependent = dependent;
                ForeignKey = foreignKey;
            }

            public ITypeSymbol Dependent { get; }

            public string ForeignKey { get; }
        }

        private sealed class Operand
        {
            public Operand(List<Step> path, PolicyValue? value, ITypeSymbol? row, CollectionInfo? collection)
            {
                Path = path;
                Value = value;
                Row = row;
                Collection = collection;
            }

            public List<Step> Path { get; }

            public PolicyValue? Value { get; }

            public ITypeSymbol? Row { get; }

            public CollectionInfo? Collection { get; }
        }
    }
}
