using System;
using System.Linq;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Model.TypedPolicies;

namespace RlsSchema.Generator.Emitting
{
    /// <summary>
    /// The current time, application functions and comparisons of a related row with this row. Time and functions
    /// whose arguments read no row are initplans, <c>(select now() - interval '24 hours')</c>, evaluated once per
    /// statement. A related row compared with this row cannot be a set computed once, so it is
    /// <c>EXISTS (SELECT FROM related r WHERE r.key = this.fk AND ...)</c>: one primary key lookup per row.
    /// </summary>
    internal sealed partial class PolicySqlEmitter
    {
        // The row a chain of correlated references starts from: the one OuterColumnValue reads.
        private Scope? _correlationRoot;

        private string Correlated(CorrelatedReference correlated, Scope scope, bool negated)
        {
            EntityModel principal = Entity(correlated.PrincipalEntity);
            ColumnModel key = principal.Columns.First(c => c.IsKey);
            string alias = NextAlias();
            Scope? saved = _correlationRoot;
            _correlationRoot ??= scope;
            try
            {
                string condition = Condition(correlated.Condition, new Scope(principal, alias), negated);
                return "EXISTS (SELECT FROM " + SqlSyntax.Table(principal.Schema, principal.TableName) + " " + alias
                    + " WHERE " + alias + "." + SqlSyntax.Identifier(key.ColumnName) + " = " + Column(scope, correlated.ForeignKeyProperty)
                    + " AND " + condition + ")";
            }
            finally
            {
                _correlationRoot = saved;
            }
        }

        private string Extended(PolicyValue value, Scope scope) => value switch
        {
            OuterColumnValue outer => Column(_correlationRoot ?? throw new InvalidOperationException("An outer column outside a related row's condition"), outer.PropertyName),
            NowValue now => "(select " + Now(now) + ")",
            FunctionValue function => Call(function, scope),
            _ => throw new InvalidOperationException("Unknown policy value " + value.GetType().Name),
        };

        private static string Now(NowValue now)
        {
            string steps = string.Concat(now.Steps.Select(s => (s.Amount.StartsWith("-", StringComparison.Ordinal) ? " - interval '" + s.Amount.Substring(1) : " + interval '" + s.Amount) + " " + s.Unit + "'"));
            return now.Kind == NowKind.Timestamp
                ? "now()" + steps
                : steps.Length == 0 ? "(now() AT TIME ZONE 'UTC')::date" : "((now() AT TIME ZONE 'UTC')" + steps + ")::date";
        }

        private string Call(FunctionValue function, Scope scope)
        {
            string call = string.Join(".", function.Name.Select(SqlSyntax.Identifier)) + "(" + string.Join(", ", function.Arguments.Select(a => Value(a, scope))) + ")";
            return ReadsRow(function) ? call : "(select " + call + ")";
        }

        private static bool ReadsRow(PolicyValue value) =>
            value is ColumnValue or OuterColumnValue || (value is FunctionValue function && function.Arguments.Any(ReadsRow));
    }
}
