using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace RlsSchema.Generator.Parsing.TypedPolicies
{
    /// <summary>What a policy written in SQL reads: the tables after <c>FROM</c> and <c>JOIN</c>, and unqualified names inside subqueries.</summary>
    internal static class RawSqlReferences
    {
        private static readonly Regex TableAfterFrom = new Regex(
            @"\b(?:from|join)\s+(?<first>[a-z_][a-z0-9_$]*)(?:\s*\.\s*(?<second>[a-z_][a-z0-9_$]*))?(?![a-z0-9_$])(?!\s*[.(])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static readonly Regex Name = new Regex(@"(?<![.\w$])(?<name>[a-z_][a-z0-9_$]*)(?!\s*[.(])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>The <c>schema.table</c> names (schema <c>public</c> when unqualified) the SQL reads with <c>FROM</c> or <c>JOIN</c>; quoted names are not seen.</summary>
        /// <param name="sql">A validated policy expression.</param>
        /// <returns>The names, lower-cased as PostgreSQL folds unquoted names.</returns>
        public static IEnumerable<string> Tables(string sql)
        {
            if (SqlFragmentValidator.Validate(sql, out string code) is not null)
            {
                yield break;
            }

            foreach (Match match in TableAfterFrom.Matches(code))
            {
                string first = match.Groups["first"].Value.ToLowerInvariant();
                yield return match.Groups["second"].Success ? first + "." + match.Groups["second"].Value.ToLowerInvariant() : "public." + first;
            }
        }

        /// <summary>
        /// The names among <paramref name="columns"/> that the SQL writes unqualified inside a parenthesized subquery,
        /// where PostgreSQL binds them to the subquery's own table first when it has such a column.
        /// </summary>
        /// <param name="sql">A validated policy expression.</param>
        /// <param name="columns">The policy's table's column names.</param>
        /// <returns>The names, each once.</returns>
        public static IEnumerable<string> UnqualifiedInSubqueries(string sql, ICollection<string> columns)
        {
            if (SqlFragmentValidator.Validate(sql, out string code) is not null)
            {
                yield break;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match select in Regex.Matches(code, @"\(\s*select\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            {
                int depth = 0;
                int end = select.Index;
                for (; end < code.Length; end++)
                {
                    depth += code[end] == '(' ? 1 : code[end] == ')' ? -1 : 0;
                    if (depth == 0)
                    {
                        break;
                    }
                }

                string inside = code.Substring(select.Index, Math.Min(end, code.Length - 1) - select.Index + 1);
                foreach (Match name in Name.Matches(inside))
                {
                    string value = name.Groups["name"].Value.ToLowerInvariant();
                    if (columns.Contains(value) && seen.Add(value))
                    {
                        yield return value;
                    }
                }
            }
        }
    }
}
