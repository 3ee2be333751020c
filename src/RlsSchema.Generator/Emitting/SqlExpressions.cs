using System;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Emitting
{
    /// <summary>Writes the model's conditions, defaults and commands as SQL.</summary>
    internal static class SqlExpressions
    {
        /// <summary>
        /// A policy condition. An owner check is always the initplan form <c>(select auth.user_id()) = owner</c>, so that
        /// PostgreSQL evaluates the user's id once per statement, not once per row.
        /// </summary>
        public static string Condition(PolicyExpression expression) => expression switch
        {
            SqlPolicyExpression sql => sql.Sql,
            OwnerPolicyExpression owner => "(select " + CurrentUserId(owner.Owner.IdType) + ") = " + SqlSyntax.Identifier(owner.Owner.ColumnName),
            _ => throw new ArgumentOutOfRangeException(nameof(expression), expression.GetType().Name, "Unknown policy expression."),
        };

        /// <summary>The call that yields the signed-in user's id, typed to compare with an owner column.</summary>
        public static string CurrentUserId(UserIdType idType) => idType == UserIdType.Uuid ? "auth.uid()" : "auth.user_id()";

        /// <summary>A column default's expression.</summary>
        public static string Default(ColumnDefault columnDefault) => columnDefault switch
        {
            SqlColumnDefault sql => sql.Sql,
            FalseColumnDefault => "false",
            RandomUuidColumnDefault => "gen_random_uuid()",
            _ => throw new ArgumentOutOfRangeException(nameof(columnDefault), columnDefault.GetType().Name, "Unknown column default."),
        };

        /// <summary>The command as a policy's <c>FOR</c> clause takes it.</summary>
        public static string Command(PolicyCommand command) => command switch
        {
            PolicyCommand.All => "ALL",
            PolicyCommand.Select => "SELECT",
            PolicyCommand.Insert => "INSERT",
            PolicyCommand.Update => "UPDATE",
            PolicyCommand.Delete => "DELETE",
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown policy command."),
        };
    }
}
