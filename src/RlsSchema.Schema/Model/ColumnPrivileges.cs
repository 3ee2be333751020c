using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace RlsSchema.Schema
{
    /// <summary>
    /// A privilege on some columns of a table, as a grant's privilege list holds it: the privilege, a space and the
    /// columns as SQL, sorted by name (<c>UPDATE (body, title)</c>), which is also how <c>GRANT</c> and <c>REVOKE</c> take
    /// it. A privilege on the whole table is its bare name (<c>UPDATE</c>).
    /// </summary>
    internal static class ColumnPrivileges
    {
        /// <summary>A privilege on the given columns.</summary>
        /// <param name="privilege">The privilege, e.g. <c>UPDATE</c>.</param>
        /// <param name="columns">The column names, unquoted.</param>
        /// <returns>The privilege as a grant lists it.</returns>
        public static string On(string privilege, IEnumerable<string> columns) =>
            privilege + " (" + string.Join(", ", columns.OrderBy(c => c, StringComparer.Ordinal).Select(SqlSyntax.Identifier)) + ")";

        /// <summary>The privilege without its columns: <c>UPDATE</c> for <c>UPDATE (body)</c>.</summary>
        /// <param name="privilege">A privilege as a grant lists it.</param>
        /// <returns>The privilege's name.</returns>
        public static string Kind(string privilege)
        {
            int space = privilege.IndexOf(' ');
            return space < 0 ? privilege : privilege.Substring(0, space);
        }

        /// <summary>The columns a privilege is limited to, unquoted; empty for a privilege on the whole table.</summary>
        /// <param name="privilege">A privilege as a grant lists it.</param>
        /// <returns>The column names.</returns>
        public static IReadOnlyList<string> Columns(string privilege)
        {
            var columns = new List<string>();
            int start = privilege.IndexOf('(');
            if (start < 0)
            {
                return columns;
            }

            var name = new StringBuilder();
            bool quoted = false;
            for (int i = start + 1; i < privilege.Length; i++)
            {
                char c = privilege[i];
                if (c == '"')
                {
                    if (quoted && i + 1 < privilege.Length && privilege[i + 1] == '"')
                    {
                        name.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = !quoted;
                    }
                }
                else if (!quoted && (c == ',' || c == ')'))
                {
                    columns.Add(name.ToString().Trim());
                    name.Clear();
                }
                else
                {
                    name.Append(c);
                }
            }

            return columns;
        }
    }
}
