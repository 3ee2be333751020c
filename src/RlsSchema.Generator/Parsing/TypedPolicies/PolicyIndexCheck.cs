using System.Collections.Generic;
using System.Linq;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Model.TypedPolicies;
using RlsSchema.Generator.Parsing.Building;

namespace RlsSchema.Generator.Parsing.TypedPolicies
{
    /// <summary>
    /// Finds the columns of the policy's own table that a typed policy filters on (equal to an Auth value, or checked
    /// for membership) and that no index leads with, so each statement would scan the table.
    /// </summary>
    internal static class PolicyIndexCheck
    {
        /// <summary>Reports each unindexed filter column once per policy.</summary>
        /// <param name="context">The entity being parsed.</param>
        /// <param name="policies">The entity's policies.</param>
        /// <param name="columns">The entity's columns.</param>
        /// <param name="indexes">The entity's indexes.</param>
        public static void Run(ParseContext context, IEnumerable<BuiltPolicy> policies, IReadOnlyList<MappedColumn> columns, IReadOnlyList<IndexModel> indexes)
        {
            var leading = new HashSet<string>(indexes.Where(i => i.Columns.Count > 0).Select(i => i.Columns[0]));
            foreach (BuiltPolicy built in policies)
            {
                var reported = new HashSet<string>();
                foreach (PolicyExpression? condition in new[] { built.Policy.Using, built.Policy.WithCheck })
                {
                    foreach (string property in condition is null ? Enumerable.Empty<string>() : FilterColumns(condition))
                    {
                        MappedColumn? column = columns.FirstOrDefault(c => c.Symbol.Name == property);
                        if (column is not null && !column.Column.IsKey && !leading.Contains(column.Column.ColumnName) && reported.Add(property))
                        {
                            context.Report(Diagnostics.RelationshipDiagnosticDescriptors.PolicyColumnWithoutIndex, built.Location,
                                "Policy '" + built.Policy.Name + "'", context.Name, column.Column.ColumnName, property);
                        }
                    }
                }
            }
        }

        // Only the top level: related rows are reached through foreign keys, which are indexed already.
        private static IEnumerable<string> FilterColumns(PolicyExpression expression)
        {
            switch (expression)
            {
                case AndExpression and:
                    return FilterColumns(and.Left).Concat(FilterColumns(and.Right));
                case OrExpression or:
                    return FilterColumns(or.Left).Concat(FilterColumns(or.Right));
                case NotExpression not:
                    return FilterColumns(not.Operand);
                case Comparison { Operator: ComparisonOperator.Equal, Left: ColumnValue column, Right: AuthValue }:
                    return new[] { column.PropertyName };
                case Comparison { Operator: ComparisonOperator.Equal, Right: ColumnValue column, Left: AuthValue }:
                    return new[] { column.PropertyName };
                case MemberOf { Tenant: ColumnValue column }:
                    return new[] { column.PropertyName };
                default:
                    return Enumerable.Empty<string>();
            }
        }
    }
}
