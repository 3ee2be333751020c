using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Model.TypedPolicies;
using RlsSchema.Generator.Parsing.Relationships;

namespace RlsSchema.Generator.Parsing.TypedPolicies
{
    /// <summary>The operands of a condition: constants, the row's columns, its navigations and the <c>Auth</c> values, and the paths that reach them.</summary>
    internal sealed partial class PolicyTranslator
    {
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

                    if (IsTime(property.Property.ContainingType) && property.Property.Name is "UtcNow" or "Now" or "Today")
                    {
                        return property.Property.Name == "UtcNow"
                            ? Time(new NowValue(NowKind.Timestamp, ImmutableEquatableArray<IntervalStep>.Empty))
                            : Unsupported<Operand>(operation, "the local time is the server's, not the database's; use UtcNow");
                    }

                    return Unsupported<Operand>(operation, "static members other than Auth's are read at run time, not in the database; use a const");

                case IPropertyReferenceOperation property when property.Instance is not null:
                    return TranslateMember(property);

                case IInvocationOperation invocation when IsAuthMember(invocation.TargetMethod, "Claim"):
                    return ConstantString(invocation.Arguments[0].Value, "the claim's name") is { } claim
                        ? new Operand(new List<Step>(), new AuthValue(AuthValueKind.Claim, claim), null, null)
                        : null;

                case IInvocationOperation invocation when SqlFunctionName(invocation.TargetMethod) is not null:
                    return TranslateFunction(invocation);

                case IInvocationOperation invocation when IsTime(invocation.TargetMethod.ContainingType):
                    return TranslateTimeCall(invocation);

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } binary when IsTime(binary.Type):
                    return TranslateTimeArithmetic(binary);
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
                case PropertyRole.Reference when target is not null && EntityDetector.IsEntity(target) && EntityDetector.KeysOf(target) is { Count: > 1 } targetKeys:
                    return CompositeKey(property, symbol, target, targetKeys);

                case PropertyRole.Collection when target is not null && EntityDetector.IsEntity(target) && EntityDetector.KeysOf(row) is { Count: > 1 } rowKeys:
                    return CompositeKey(property, symbol, row, rowKeys);

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

        // A join on several columns has no shape among the translated conditions yet.
        private Operand? CompositeKey(IOperation operation, IPropertySymbol navigation, ITypeSymbol keyed, List<IPropertySymbol> keys)
        {
            _report(RelationshipDiagnosticDescriptors.ReferenceToCompositeKey, Where(operation), new object?[] { _policyName, _entityName, navigation.Name, keyed.Name, string.Join(", ", keys.Select(k => k.Name)) });
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
