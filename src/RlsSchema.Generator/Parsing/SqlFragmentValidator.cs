using System.Text;
using System.Text.RegularExpressions;

namespace RlsSchema.Generator.Parsing
{
    /// <summary>
    /// Checks that a user's SQL fragment (a policy expression, default, check or type) stays one expression: it
    /// can never end the statement it is placed in, open a comment that swallows the rest of the script, or hide a
    /// psql meta-command. The generator refuses to emit a fragment that fails.
    /// </summary>
    internal static class SqlFragmentValidator
    {
        private static readonly Regex AuthCall = new Regex(@"\bauth\s*\.\s*(\w+)\s*\(\s*\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static readonly Regex WrappedAuthCall = new Regex(@"\(\s*select\s+auth\s*\.\s*\w+\s*\(\s*\)\s*\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>Says why <paramref name="sql"/> is unsafe, or returns null when it is one balanced expression.</summary>
        /// <param name="sql">The fragment.</param>
        /// <param name="code">The fragment with the insides of literals and quoted names blanked, for further checks.</param>
        /// <returns>The reason, or null.</returns>
        public static string? Validate(string sql, out string code)
        {
            var blanked = new StringBuilder(sql.Length);
            code = sql;
            if (SqlNames.HasUnpairedSurrogate(sql))
            {
                return "it contains an unpaired UTF-16 surrogate, which UTF-8 cannot encode";
            }

            int depth = 0;
            int i = 0;
            while (i < sql.Length)
            {
                char c = sql[i];
                char next = i + 1 < sql.Length ? sql[i + 1] : '\0';
                switch (c)
                {
                    case '\0':
                        return "it contains a NUL character";
                    case '\'':
                    {
                        bool backslashEscapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IsIdentifierChar(sql[i - 2]));
                        int end = ScanQuoted(sql, i, '\'', backslashEscapes);
                        if (end < 0)
                        {
                            return "a string literal is not closed";
                        }

                        blanked.Append('\'').Append(' ', end - i - 1).Append('\'');
                        i = end + 1;
                        continue;
                    }

                    case '"':
                    {
                        int end = ScanQuoted(sql, i, '"', backslashEscapes: false);
                        if (end < 0)
                        {
                            return "a quoted name is not closed";
                        }

                        blanked.Append('"').Append(' ', end - i - 1).Append('"');
                        i = end + 1;
                        continue;
                    }

                    case ';':
                        return "it contains ';'";
                    case '\\':
                        return "it contains a backslash outside a string literal";
                    case '-' when next == '-':
                    case '/' when next == '*':
                    case '*' when next == '/':
                        return "it contains a comment marker";
                    case '$':
                        // Only an identifier may hold '$' (as PostgreSQL's lexer reads it: after a letter, never
                        // after a number, so '1$$' is the number 1 and a dollar quote); identifiers are consumed whole below.
                        return "it contains a dollar quote or parameter";
                    case var _ when IsIdentifierStart(c):
                    {
                        int end = i + 1;
                        while (end < sql.Length && IsIdentifierChar(sql[end]))
                        {
                            end++;
                        }

                        blanked.Append(sql, i, end - i);
                        i = end;
                        continue;
                    }

                    case '(':
                        depth++;
                        break;
                    case ')':
                        depth--;
                        if (depth < 0)
                        {
                            return "it closes a parenthesis it did not open";
                        }

                        break;
                }

                blanked.Append(c);
                i++;
            }

            if (depth != 0)
            {
                return "its parentheses are not balanced";
            }

            code = blanked.ToString();
            return null;
        }

        /// <summary>Finds an <c>auth.*()</c> call in <paramref name="code"/> that is not wrapped as <c>(select auth.*())</c>.</summary>
        /// <param name="code">A validated fragment with literals blanked.</param>
        /// <returns>The call, e.g. <c>auth.user_id()</c>, or null.</returns>
        public static string? FindPerRowAuthCall(string code)
        {
            MatchCollection calls = AuthCall.Matches(code);
            if (calls.Count == 0 || calls.Count <= WrappedAuthCall.Matches(code).Count)
            {
                return null;
            }

            foreach (Match call in calls)
            {
                string before = code.Substring(0, call.Index).TrimEnd();
                bool wrapped = before.EndsWith("select", System.StringComparison.OrdinalIgnoreCase)
                    && before.Substring(0, before.Length - 6).TrimEnd().EndsWith("(", System.StringComparison.Ordinal);
                if (!wrapped)
                {
                    return "auth." + call.Groups[1].Value + "()";
                }
            }

            return null;
        }

        /// <summary>Whether the expression is the constant <c>true</c>, possibly in parentheses.</summary>
        /// <param name="sql">The expression.</param>
        /// <returns>True when it always holds.</returns>
        public static bool IsAlwaysTrue(string? sql)
        {
            if (sql is null)
            {
                return false;
            }

            string s = sql.Trim();
            while (s.Length >= 2 && s[0] == '(' && s[s.Length - 1] == ')')
            {
                s = s.Substring(1, s.Length - 2).Trim();
            }

            return string.Equals(s, "true", System.StringComparison.OrdinalIgnoreCase);
        }

        private static int ScanQuoted(string sql, int start, char quote, bool backslashEscapes)
        {
            int j = start + 1;
            while (j < sql.Length)
            {
                char c = sql[j];
                if (c == '\0')
                {
                    return -1;
                }

                if (backslashEscapes && c == '\\')
                {
                    j += 2;
                    continue;
                }

                if (c == quote)
                {
                    if (j + 1 < sql.Length && sql[j + 1] == quote)
                    {
                        j += 2;
                        continue;
                    }

                    return j;
                }

                j++;
            }

            return -1;
        }

        // PostgreSQL's lexer: an identifier starts with a letter, '_' or any non-ASCII character, and goes on with
        // those, digits and '$'.
        private static bool IsIdentifierStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= '\u0080';

        private static bool IsIdentifierChar(char c) => IsIdentifierStart(c) || (c >= '0' && c <= '9') || c == '$';
    }
}
