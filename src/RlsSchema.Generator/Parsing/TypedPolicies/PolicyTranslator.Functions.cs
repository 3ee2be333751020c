using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Model.TypedPolicies;

namespace RlsSchema.Generator.Parsing.TypedPolicies
{
    /// <summary>
    /// Calls of application SQL functions: a static method marked <c>[SqlFunction("schema.name")]</c>, or EF Core's
    /// <c>[DbFunction]</c> (its name and schema, the method's name by default), is called as that function.
    /// </summary>
    internal sealed partial class PolicyTranslator
    {
        private static string? SqlFunctionName(IMethodSymbol method)
        {
            if (AttributeReader.OfType(method, KnownAttributes.SqlFunction).FirstOrDefault() is { } own)
            {
                return AttributeReader.PositionalString(own, 0) ?? "";
            }

            if (AttributeReader.OfType(method, KnownAttributes.EfDbFunction).FirstOrDefault() is { } ef)
            {
                string name = AttributeReader.NamedString(ef, "Name") ?? AttributeReader.PositionalString(ef, 0) ?? method.Name;
                string? schema = AttributeReader.NamedString(ef, "Schema") ?? AttributeReader.PositionalString(ef, 1);
                return string.IsNullOrEmpty(schema) ? name : schema + "." + name;
            }

            return null;
        }

        private Operand? TranslateFunction(IInvocationOperation invocation)
        {
            IMethodSymbol method = invocation.TargetMethod;
            string[] name = SqlFunctionName(method)!.Split('.');
            if (name.Length > 2 || name.Any(part => part.Length == 0))
            {
                return Unsupported<Operand>(invocation, "the SQL function's name must be 'schema.name' or 'name'");
            }

            if (!method.IsStatic || method.ReturnsVoid)
            {
                return Unsupported<Operand>(invocation, "a SQL function is a static method that returns a value");
            }

            var arguments = new List<PolicyValue>();
            List<Step> path = new List<Step>();
            foreach (IArgumentOperation argument in invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
            {
                Operand? operand = TranslateOperand(argument.Value);
                if (operand is null || Value(operand, argument.Value) is not { } value)
                {
                    return null;
                }

                // Every argument that reads a row reads the same one, so that the call is evaluated on that row.
                bool conflicts = operand.Path.Count > 0
                    ? (path.Count > 0 && !operand.Path.SequenceEqual(path)) || (path.Count == 0 && arguments.Any(ReadsRow))
                    : path.Count > 0 && ReadsRow(value);
                if (conflicts)
                {
                    return Unsupported<Operand>(argument.Value, "a SQL function's arguments read one row: this row or one related row");
                }

                path = operand.Path.Count > 0 ? operand.Path : path;
                arguments.Add(value);
            }

            return new Operand(path, new FunctionValue(name.ToImmutableEquatableArray(), arguments.ToImmutableEquatableArray()), null, null);
        }

        /// <summary>Whether the value reads a column of the row it is evaluated on.</summary>
        private static bool ReadsRow(PolicyValue value) => value switch
        {
            ColumnValue => true,
            FunctionValue function => function.Arguments.Any(ReadsRow),
            _ => false,
        };

        /// <summary>The value read from inside a related row's condition: this row's columns become outer columns.</summary>
        private static PolicyValue ToOuter(PolicyValue value) => value switch
        {
            ColumnValue column => new OuterColumnValue(column.PropertyName, column.Nullable),
            FunctionValue function => new FunctionValue(function.Name, function.Arguments.Select(ToOuter).ToImmutableEquatableArray()),
            _ => value,
        };
    }
}
