using System;
using System.Collections.Generic;
using System.Linq;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Model.TypedPolicies;

namespace RlsSchema.Generator.Emitting
{
    /// <summary>
    /// Writes a typed policy's condition as SQL. Every column is qualified by its table or its subquery's alias. The
    /// shapes are the fast ones by construction: <c>auth.*</c> calls in <c>(select ...)</c> initplans, related rows
    /// through uncorrelated <c>col = ANY (ARRAY(SELECT ...))</c> (computed once per statement, and an index on
    /// <c>col</c> can serve it), membership through the SECURITY DEFINER function. Negations are pushed down to the
    /// comparisons so C#'s two-valued logic survives SQL's nulls: <c>!=</c> on a nullable side is
    /// <c>IS DISTINCT FROM</c>, and a negated test that SQL could leave unknown becomes <c>IS NOT TRUE</c>.
    /// A condition on a related row matches only rows whose related row exists and is visible to the user.
    /// </summary>
    internal sealed partial class PolicySqlEmitter
    {
        /// <summary>The function membership checks call: the tenants the signed-in user belongs to, with a role or any.</summary>
        public const string MemberTenantsFunction = "auth.member_tenants";

        private readonly IReadOnlyDictionary<string, EntityModel> _entities;
        private int _aliases;

        private PolicySqlEmitter(IReadOnlyDictionary<string, EntityModel> entities) => _entities = entities;

        /// <summary>Writes a condition over one entity's rows.</summary>
        /// <param name="expression">The condition.</param>
        /// <param name="entity">The entity the policy is on.</param>
        /// <param name="entities">Every entity, by full name, for navigations.</param>
        /// <returns>The SQL boolean expression.</returns>
        public static string Emit(PolicyExpression expression, EntityModel entity, IReadOnlyDictionary<string, EntityModel> entities) =>
            new PolicySqlEmitter(entities).Condition(expression, new Scope(entity, SqlSyntax.Table(entity.Schema, entity.TableName)), negated: false);

        private string Condition(PolicyExpression expression, Scope scope, bool negated)
        {
            switch (expression)
            {
                // Two conditions on the same related row read it once: a row references one related row, so
                // "fk in A and fk in B" is "fk in (A and B)", and likewise for or.
                case AndExpression { Left: ThroughReference l, Right: ThroughReference r } when SameReference(l, r):
                    return Condition(new ThroughReference(l.ForeignKeyProperty, l.PrincipalEntity, new AndExpression(l.Condition, r.Condition)), scope, negated);
                case OrExpression { Left: ThroughReference l, Right: ThroughReference r } when SameReference(l, r):
                    return Condition(new ThroughReference(l.ForeignKeyProperty, l.PrincipalEntity, new OrExpression(l.Condition, r.Condition)), scope, negated);
                case AndExpression and:
                    return Junction(negated ? " OR " : " AND ", and.Left, and.Right, scope, negated);
                case OrExpression or:
                    return Junction(negated ? " AND " : " OR ", or.Left, or.Right, scope, negated);
                case NotExpression not:
                    return Condition(not.Operand, scope, !negated);
                case BooleanConstant constant:
                    return constant.Value != negated ? "true" : "false";
                case Comparison comparison:
                    return Compare(comparison, scope, negated);
                case InList list:
                    return In(list, scope, negated);
                case BooleanTest test:
                    string value = Value(test.Value, scope);
                    return !negated ? value : test.Value.MayBeNull ? value + " IS NOT TRUE" : "NOT " + value;
                case HasPermission permission:
                    return (negated ? "NOT " : "") + "(select auth.has_permission(" + SqlSyntax.Literal(permission.Permission) + "))";
                case MemberOf member:
                    string test2 = Value(member.Tenant, scope) + " = ANY (ARRAY(SELECT " + MemberTenantsFunction + "("
                        + (member.Role is null ? "" : SqlSyntax.Literal(member.Role)) + ")))";
                    return negated ? "(" + test2 + ") IS NOT TRUE" : test2;
                case ThroughReference through:
                    return Through(through, scope, negated);
                case AnyDependent any:
                    return Any(any, scope, negated);
                case CorrelatedReference correlated:
                    return Correlated(correlated, scope, negated);
                default:
                    // The crud and raw forms: an owner check or the user's SQL, which negation never reaches.
                    return SqlExpressions.Condition(expression);
            }
        }

        private static bool SameReference(ThroughReference left, ThroughReference right) =>
            left.ForeignKeyProperty == right.ForeignKeyProperty && left.PrincipalEntity == right.PrincipalEntity;

        private string Junction(string separator, PolicyExpression left, PolicyExpression right, Scope scope, bool negated) =>
            "(" + Condition(left, scope, negated) + separator + Condition(right, scope, negated) + ")";

        private string Compare(Comparison comparison, Scope scope, bool negated)
        {
            ComparisonOperator op = comparison.Operator;
            bool nullable = comparison.Left.MayBeNull || comparison.Right.MayBeNull;
            bool ordering = op != ComparisonOperator.Equal && op != ComparisonOperator.NotEqual;
            if (negated && ordering && nullable)
            {
                return "(" + Compare(comparison, scope, negated: false) + ") IS NOT TRUE";
            }

            if (negated)
            {
                op = Negate(op);
            }

            string left = Value(comparison.Left, scope);
            string right = Value(comparison.Right, scope);
            bool leftNull = comparison.Left is ConstantValue { Kind: ConstantKind.Null };
            bool rightNull = comparison.Right is ConstantValue { Kind: ConstantKind.Null };
            if (op == ComparisonOperator.Equal || op == ComparisonOperator.NotEqual)
            {
                string suffix = op == ComparisonOperator.Equal ? " IS NULL" : " IS NOT NULL";
                if (leftNull && rightNull)
                {
                    return op == ComparisonOperator.Equal ? "true" : "false";
                }

                if (rightNull)
                {
                    return left + suffix;
                }

                if (leftNull)
                {
                    return right + suffix;
                }

                if (op == ComparisonOperator.Equal)
                {
                    return left + (comparison.Left.MayBeNull && comparison.Right.MayBeNull ? " IS NOT DISTINCT FROM " : " = ") + right;
                }

                return left + (nullable ? " IS DISTINCT FROM " : " <> ") + right;
            }

            return left + " " + Symbol(op) + " " + right;
        }

        private string In(InList list, Scope scope, bool negated)
        {
            string value = Value(list.Value, scope);
            string items = string.Join(", ", list.Items.Where(i => !(i is ConstantValue { Kind: ConstantKind.Null })).Select(i => Value(i, scope)));
            bool hasNull = list.Items.Any(i => i is ConstantValue { Kind: ConstantKind.Null });
            string positive = items.Length == 0 ? "false" : value + " IN (" + items + ")";
            if (hasNull && list.Value.MayBeNull)
            {
                positive = "(" + positive + " OR " + value + " IS NULL)";
            }

            if (!negated)
            {
                return positive;
            }

            return list.Value.MayBeNull || items.Length == 0 ? "(" + positive + ") IS NOT TRUE" : value + " NOT IN (" + items + ")";
        }

        private string Through(ThroughReference through, Scope scope, bool negated)
        {
            EntityModel principal = Entity(through.PrincipalEntity);
            ColumnModel key = principal.Columns.First(c => c.IsKey);
            string alias = NextAlias();
            var inner = new Scope(principal, alias);
            return Column(scope, through.ForeignKeyProperty) + " = ANY (ARRAY(SELECT " + alias + "." + SqlSyntax.Identifier(key.ColumnName)
                + " FROM " + SqlSyntax.Table(principal.Schema, principal.TableName) + " " + alias
                + " WHERE " + Condition(through.Condition, inner, negated) + "))";
        }

        private string Any(AnyDependent any, Scope scope, bool negated)
        {
            EntityModel dependent = Entity(any.DependentEntity);
            ColumnModel key = scope.Entity.Columns.First(c => c.IsKey);
            string alias = NextAlias();
            var inner = new Scope(dependent, alias);
            string foreignKey = Column(inner, any.ForeignKeyProperty);
            string where = foreignKey + " IS NOT NULL" + (any.Condition is null ? "" : " AND " + Condition(any.Condition, inner, negated: false));
            string test = scope.Qualifier + "." + SqlSyntax.Identifier(key.ColumnName) + " = ANY (ARRAY(SELECT " + foreignKey
                + " FROM " + SqlSyntax.Table(dependent.Schema, dependent.TableName) + " " + alias + " WHERE " + where + "))";
            return negated ? "NOT (" + test + ")" : test;
        }

        private string Value(PolicyValue value, Scope scope) => value switch
        {
            ColumnValue column => Column(scope, column.PropertyName),
            ConstantValue { Kind: ConstantKind.Null } => "NULL",
            ConstantValue { Kind: ConstantKind.String } constant => SqlSyntax.Literal(constant.Text),
            ConstantValue constant => constant.Text,
            AuthValue { Kind: AuthValueKind.UserId } => "(select auth.user_id())",
            AuthValue { Kind: AuthValueKind.Uid } => "(select auth.uid())",
            AuthValue auth => "(select auth.claim(" + SqlSyntax.Literal(auth.ClaimName ?? "") + "))",
            _ => Extended(value, scope),
        };

        private static string Column(Scope scope, string property)
        {
            ColumnModel column = scope.Entity.Columns.FirstOrDefault(c => c.PropertyName == property)
                ?? throw new InvalidOperationException("'" + property + "' is not a column of " + scope.Entity.ClassName);
            return scope.Qualifier + "." + SqlSyntax.Identifier(column.ColumnName);
        }

        private EntityModel Entity(string fullName) =>
            _entities.TryGetValue(fullName, out EntityModel? entity) ? entity : throw new InvalidOperationException("Unknown entity " + fullName);

        private string NextAlias() => "r" + (++_aliases).ToString(System.Globalization.CultureInfo.InvariantCulture);

        private static ComparisonOperator Negate(ComparisonOperator op) => op switch
        {
            ComparisonOperator.Equal => ComparisonOperator.NotEqual,
            ComparisonOperator.NotEqual => ComparisonOperator.Equal,
            ComparisonOperator.LessThan => ComparisonOperator.GreaterThanOrEqual,
            ComparisonOperator.LessThanOrEqual => ComparisonOperator.GreaterThan,
            ComparisonOperator.GreaterThan => ComparisonOperator.LessThanOrEqual,
            _ => ComparisonOperator.LessThan,
        };

        private static string Symbol(ComparisonOperator op) => op switch
        {
            ComparisonOperator.LessThan => "<",
            ComparisonOperator.LessThanOrEqual => "<=",
            ComparisonOperator.GreaterThan => ">",
            ComparisonOperator.GreaterThanOrEqual => ">=",
            ComparisonOperator.Equal => "=",
            _ => "<>",
        };

        private sealed class Scope
        {
            public Scope(EntityModel entity, string qualifier)
            {
                Entity = entity;
                Qualifier = qualifier;
            }

            public EntityModel Entity { get; }

            public string Qualifier { get; }
        }
    }
}
