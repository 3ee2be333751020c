using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>Row-level security policies and indexes.</summary>
    internal static partial class PostgresSqlWriter
    {
        private static string CreatePolicy(CreatePolicyOperation o, bool idempotent)
        {
            PolicyDefinition policy = o.Policy;
            string sql = "CREATE POLICY " + SqlSyntax.QuotedIdentifier(policy.Name) + " ON " + Table(o.Table)
                + "\n  AS " + (policy.Permissive ? "PERMISSIVE" : "RESTRICTIVE") + " FOR " + policy.Command
                + "\n  TO " + Names(policy.Roles) + Expressions(policy) + ";";
            return idempotent ? DropPolicy(o.Table, policy.Name) + "\n" + sql : sql;
        }

        private static string AlterPolicy(AlterPolicyOperation o) =>
            "ALTER POLICY " + SqlSyntax.QuotedIdentifier(o.Policy.Name) + " ON " + Table(o.Table) + "\n  TO " + Names(o.Policy.Roles) + Expressions(o.Policy) + ";";

        private static string DropPolicy(TableName table, string name) => "DROP POLICY IF EXISTS " + SqlSyntax.QuotedIdentifier(name) + " ON " + Table(table) + ";";

        private static string Expressions(PolicyDefinition policy) =>
            (policy.Using is null ? "" : "\n  USING (" + policy.Using + ")") + (policy.WithCheck is null ? "" : "\n  WITH CHECK (" + policy.WithCheck + ")");

        private static string CreateIndex(CreateIndexOperation o, bool idempotent) =>
            "CREATE " + (o.Index.Unique ? "UNIQUE " : "") + "INDEX " + (idempotent ? "IF NOT EXISTS " : "") + SqlSyntax.Identifier(o.Index.Name)
            + " ON " + Table(o.Table) + " (" + string.Join(", ", o.Index.Columns.Select(SqlSyntax.Identifier)) + ");";
    }
}
