using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace RlsSchema.Schema
{
    /// <summary>How a policy condition compares with what it was.</summary>
    internal enum ConditionChange
    {
        /// <summary>The same text.</summary>
        Same,

        /// <summary>It lets more rows through: it became true, gained an <c>OR</c>, lost an <c>AND</c>, or stopped being false.</summary>
        Looser,

        /// <summary>It lets fewer rows through: the reverse of <see cref="Looser"/>.</summary>
        Stricter,

        /// <summary>Any other change: neither can be told from the text.</summary>
        Other,
    }

    /// <summary>
    /// Compares two SQL conditions by their text, as the model holds them: only what is certain from the text counts as
    /// looser or stricter (always true or false, a top-level <c>OR</c> or <c>AND</c> part added or removed); anything
    /// else is <see cref="ConditionChange.Other"/>, for a reviewer to read.
    /// </summary>
    internal static class ConditionComparison
    {
        /// <summary>Compares a condition with what it was; a missing condition lets every row through.</summary>
        /// <param name="old">The condition before, or null.</param>
        /// <param name="new">The condition after, or null.</param>
        /// <returns>The change.</returns>
        public static ConditionChange Compare(string? old, string? @new)
        {
            string was = Normalize(old ?? "true");
            string now = Normalize(@new ?? "true");
            if (was == now)
            {
                return ConditionChange.Same;
            }

            if (IsTrue(now) || IsFalse(was))
            {
                return ConditionChange.Looser;
            }

            if (IsTrue(was) || IsFalse(now))
            {
                return ConditionChange.Stricter;
            }

            var wasAny = new HashSet<string>(Split(was, "or"), StringComparer.Ordinal);
            var nowAny = new HashSet<string>(Split(now, "or"), StringComparer.Ordinal);
            if (StrictSubset(wasAny, nowAny))
            {
                return ConditionChange.Looser;
            }

            if (StrictSubset(nowAny, wasAny))
            {
                return ConditionChange.Stricter;
            }

            var wasAll = new HashSet<string>(Split(was, "and"), StringComparer.Ordinal);
            var nowAll = new HashSet<string>(Split(now, "and"), StringComparer.Ordinal);
            if (StrictSubset(wasAll, nowAll))
            {
                return ConditionChange.Stricter;
            }

            return StrictSubset(nowAll, wasAll) ? ConditionChange.Looser : ConditionChange.Other;
        }

        /// <summary>The parts a condition joins with <c>AND</c> at its top level, in order: each must hold for the whole to.</summary>
        /// <param name="condition">The condition.</param>
        /// <returns>The parts; the condition itself when it has one.</returns>
        public static IReadOnlyList<string> Conjuncts(string condition) => Split(Normalize(condition), "and");

        /// <summary>Whether a condition is always true (<c>true</c>, in any parentheses or case), or missing.</summary>
        /// <param name="condition">The condition.</param>
        /// <returns>True when it lets every row through.</returns>
        public static bool IsAlwaysTrue(string? condition) => condition is null || IsTrue(Normalize(condition));

        /// <summary>Whether a condition is always false.</summary>
        /// <param name="condition">The condition.</param>
        /// <returns>True when it lets no row through.</returns>
        public static bool IsAlwaysFalse(string? condition) => condition is not null && IsFalse(Normalize(condition));

        private static bool IsTrue(string normalized) => string.Equals(normalized, "true", StringComparison.OrdinalIgnoreCase);

        private static bool IsFalse(string normalized) => string.Equals(normalized, "false", StringComparison.OrdinalIgnoreCase);

        private static bool StrictSubset(HashSet<string> small, HashSet<string> large) => small.Count < large.Count && small.IsSubsetOf(large);

        // Whitespace collapsed outside string literals, and parentheses around the whole taken off.
        private static string Normalize(string condition)
        {
            var b = new StringBuilder(condition.Length);
            bool quoted = false;
            foreach (char c in condition.Trim())
            {
                if (c == '\'')
                {
                    quoted = !quoted;
                }

                if (!quoted && char.IsWhiteSpace(c))
                {
                    if (b.Length > 0 && b[b.Length - 1] != ' ')
                    {
                        b.Append(' ');
                    }

                    continue;
                }

                b.Append(c);
            }

            string s = b.ToString().Trim();
            while (s.Length > 1 && s[0] == '(' && ClosingParenthesis(s, 0) == s.Length - 1)
            {
                s = s.Substring(1, s.Length - 2).Trim();
            }

            return s;
        }

        private static int ClosingParenthesis(string s, int open)
        {
            int depth = 0;
            bool quoted = false;
            for (int i = open; i < s.Length; i++)
            {
                char c = s[i];
                if (c == '\'')
                {
                    quoted = !quoted;
                }
                else if (!quoted && c == '(')
                {
                    depth++;
                }
                else if (!quoted && c == ')' && --depth == 0)
                {
                    return i;
                }
            }

            return -1;
        }

        // The parts joined by a keyword outside parentheses and string literals, each normalised.
        private static List<string> Split(string normalized, string keyword)
        {
            var parts = new List<string>();
            int depth = 0;
            bool quoted = false;
            int start = 0;
            for (int i = 0; i < normalized.Length; i++)
            {
                char c = normalized[i];
                if (c == '\'')
                {
                    quoted = !quoted;
                }
                else if (!quoted && c == '(')
                {
                    depth++;
                }
                else if (!quoted && c == ')')
                {
                    depth--;
                }
                else if (!quoted && depth == 0 && c == ' ' && IsKeywordAt(normalized, i + 1, keyword))
                {
                    parts.Add(Normalize(normalized.Substring(start, i - start)));
                    start = i + 1 + keyword.Length;
                    i = start - 1;
                }
            }

            parts.Add(Normalize(normalized.Substring(start)));
            return parts;
        }

        private static bool IsKeywordAt(string s, int at, string keyword) =>
            at + keyword.Length < s.Length
            && string.Compare(s, at, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0
            && (s[at + keyword.Length] == ' ' || s[at + keyword.Length] == '(');
    }
}
