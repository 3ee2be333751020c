using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using RlsSchema.Schema;

namespace RlsSchema.Generator.Emitting
{
    /// <summary>
    /// Which JWT claims the model's own SQL reads (policies, column defaults, checks), for the runtime to set only those:
    /// <c>sub</c> through <c>auth.user_id()</c> and <c>auth.uid()</c>, a named claim through <c>auth.claim('name')</c>,
    /// <c>permissions</c> through <c>auth.has_permission(...)</c>. Anything that may read the whole payload
    /// (<c>auth.session()</c>, <c>auth.jwt()</c>, <c>current_setting(...)</c>, a claim named by an expression, an application
    /// function called by a schema-qualified name) makes the answer <see cref="Unknown"/>, and sessions then set the whole payload.
    /// </summary>
    internal static class ClaimsRead
    {
        /// <summary>The answer when a claim the SQL reads is not known at compile time.</summary>
        public const string Unknown = "*";

        private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

        private static readonly Regex WholePayload = new Regex(@"\bauth\s*\.\s*(session|jwt)\s*\(|\bcurrent_setting\s*\(|request\.jwt\.claims", Options);
        private static readonly Regex AnyClaim = new Regex(@"\bauth\s*\.\s*claim\s*\(", Options);
        private static readonly Regex NamedClaim = new Regex(@"\bauth\s*\.\s*claim\s*\(\s*'((?:[^']|'')*)'\s*\)", Options);
        private static readonly Regex Permission = new Regex(@"\bauth\s*\.\s*has_permission\s*\(", Options);

        // A call of a schema-qualified function outside auth and pg_catalog: an application function, which may read any claim.
        private static readonly Regex QualifiedCall = new Regex(@"\b([A-Za-z_][A-Za-z0-9_$]*)\s*\.\s*[A-Za-z_][A-Za-z0-9_$]*\s*\(", Options);

        /// <summary>The claims the model's SQL reads, sorted and comma-separated, <c>sub</c> always among them; or <see cref="Unknown"/>.</summary>
        /// <param name="model">The database model the script creates, policies in their SQL form.</param>
        /// <returns>For example <c>sub</c>, <c>org_id,sub</c>, or <c>*</c>.</returns>
        public static string Of(DatabaseModel model)
        {
            var claims = new SortedSet<string>(System.StringComparer.Ordinal) { "sub" };
            foreach (string sql in Sql(model))
            {
                if (!Add(sql, claims))
                {
                    return Unknown;
                }
            }

            return string.Join(",", claims);
        }

        private static IEnumerable<string> Sql(DatabaseModel model)
        {
            var auth = new HashSet<string>(AuthFunctions.All.Select(f => f.Signature), System.StringComparer.Ordinal);
            foreach (FunctionModel function in model.Functions)
            {
                // The auth functions read the payload only where the runtime's subject setting is missing.
                if (!auth.Contains(function.Signature))
                {
                    yield return function.Body;
                }
            }

            foreach (TableModel table in model.Tables)
            {
                foreach (PolicyDefinition policy in table.Policies)
                {
                    yield return policy.Using ?? "";
                    yield return policy.WithCheck ?? "";
                }

                foreach (ColumnDefinition column in table.Columns)
                {
                    yield return column.Default ?? "";
                }

                foreach (CheckDefinition check in table.Checks)
                {
                    yield return check.Sql;
                }
            }
        }

        // False when the SQL may read a claim that cannot be named here.
        private static bool Add(string sql, ISet<string> claims)
        {
            string text = sql.Replace("\"", "");
            if (WholePayload.IsMatch(text))
            {
                return false;
            }

            foreach (Match call in QualifiedCall.Matches(text))
            {
                string schema = call.Groups[1].Value;
                if (!string.Equals(schema, "auth", System.StringComparison.OrdinalIgnoreCase)
                    && !string.Equals(schema, "pg_catalog", System.StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }

            MatchCollection named = NamedClaim.Matches(text);
            if (named.Count != AnyClaim.Matches(text).Count)
            {
                return false;
            }

            foreach (Match claim in named)
            {
                claims.Add(claim.Groups[1].Value.Replace("''", "'"));
            }

            if (Permission.IsMatch(text))
            {
                claims.Add("permissions");
            }

            return true;
        }
    }
}
