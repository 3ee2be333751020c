using System;
using System.Collections.Generic;
using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>
    /// A database model as sorted lines of text, one per object (<c>table</c>, <c>column</c>, <c>constraint</c>,
    /// <c>index</c>, <c>policy</c>, <c>grant</c>, <c>function</c>, <c>role</c>), each naming its table: two databases read
    /// by <see cref="CatalogReader"/> hold the same schema exactly when their lines are equal, and the lines only one
    /// holds say where they differ. Names PostgreSQL derives (an unnamed check's) are left out: checks compare by definition.
    /// </summary>
    internal static class CatalogLines
    {
        private static readonly string[] TableKinds = { "table", "column", "constraint", "index", "policy", "grant" };

        /// <summary>The lines of a model, sorted ordinally.</summary>
        /// <param name="model">The model, as the catalog reader read it.</param>
        /// <returns>The lines.</returns>
        public static IReadOnlyList<string> Of(DatabaseModel model)
        {
            var lines = new List<string>();
            foreach (TableModel t in model.Tables)
            {
                string table = SqlSyntax.Identifier(t.Schema) + "." + SqlSyntax.Identifier(t.Name);
                lines.Add("table " + table + " rls=" + Bool(t.RowLevelSecurity) + " force=" + Bool(t.ForceRowLevelSecurity));
                lines.AddRange(t.Columns.Select(c => "column " + table + " " + SqlSyntax.Identifier(c.Name) + " " + c.Type
                    + (c.Nullable ? " null" : " not null") + (c.Identity ? " identity" : "") + (c.Default is null ? "" : " default " + c.Default)));
                if (t.PrimaryKey.Count > 0)
                {
                    lines.Add("constraint " + table + " PRIMARY KEY (" + Names(t.PrimaryKey) + ")");
                }

                lines.AddRange(t.Checks.Select(k => "constraint " + table + " CHECK (" + k.Sql + ")"));
                // As pg_get_constraintdef prints a key: by definition, not by name.
                lines.AddRange(t.ForeignKeys.Select(k => "constraint " + table + " FOREIGN KEY (" + Names(k.Columns) + ") REFERENCES "
                    + SqlSyntax.Table(k.ReferencedSchema == "public" ? null : k.ReferencedSchema, k.ReferencedTable) + "(" + Names(k.ReferencedColumns) + ")"
                    + (k.OnDelete == "NO ACTION" ? "" : " ON DELETE " + k.OnDelete)));
                lines.AddRange(t.Indexes.Select(i => "index " + table + " " + SqlSyntax.Identifier(i.Name) + (i.Unique ? " unique" : "") + " (" + Names(i.Columns) + ")"));
                lines.AddRange(t.Policies.Select(p => "policy " + table + " " + SqlSyntax.Identifier(p.Name) + (p.Permissive ? " permissive" : " restrictive")
                    + " for " + p.Command.ToLowerInvariant() + " to " + string.Join(",", p.Roles.Select(SqlSyntax.Identifier))
                    + (p.Using is null ? "" : " using " + p.Using) + (p.WithCheck is null ? "" : " with check " + p.WithCheck)));
                lines.AddRange(t.Grants.Select(g => "grant " + table + " " + SqlSyntax.Identifier(g.Role) + " " + string.Join(",", g.Privileges)));
            }

            lines.AddRange(model.Functions.Select(f => "function " + f.Signature + " returns " + f.Returns + (f.SecurityDefiner ? " security definer" : "") + " body " + f.Body));
            lines.AddRange(model.Roles.Select(r => "role " + SqlSyntax.Identifier(r)));
            lines.Sort(StringComparer.Ordinal);
            return lines;
        }

        /// <summary>Whether the lines show any table: the database is not empty.</summary>
        /// <param name="lines">Catalog lines.</param>
        /// <returns>True when a table exists.</returns>
        public static bool HasTables(IReadOnlyList<string> lines) => lines.Any(l => l.StartsWith("table ", StringComparison.Ordinal));

        /// <summary>The table a line is about (<c>schema.table</c> as quoted in the line), or null for a line about no table.</summary>
        /// <param name="line">A catalog line.</param>
        /// <returns>The table's name, or null.</returns>
        public static string? TableOf(string line)
        {
            int space = line.IndexOf(' ');
            string kind = space < 0 ? line : line.Substring(0, space);
            if (Array.IndexOf(TableKinds, kind) < 0)
            {
                return null;
            }

            // schema.table, where either part may be a quoted identifier holding spaces, dots or doubled quotes.
            int i = space + 1;
            bool quoted = false;
            while (i < line.Length)
            {
                char c = line[i];
                if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c == ' ' && !quoted)
                {
                    break;
                }

                i++;
            }

            return line.Substring(space + 1, i - space - 1);
        }

        /// <summary>The lines only one side holds, each prefixed with <c>-</c> (only in <paramref name="expected"/>) or <c>+</c> (only in <paramref name="actual"/>).</summary>
        /// <param name="expected">The expected lines.</param>
        /// <param name="actual">The actual lines.</param>
        /// <returns>The differences, sorted; empty when the catalogs match.</returns>
        public static IReadOnlyList<string> Compare(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
        {
            var missing = expected.Except(actual, StringComparer.Ordinal).Select(l => "- " + l);
            var extra = actual.Except(expected, StringComparer.Ordinal).Select(l => "+ " + l);
            return missing.Concat(extra).OrderBy(l => l.Substring(2), StringComparer.Ordinal).ToList();
        }

        private static string Bool(bool value) => value ? "true" : "false";

        private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(SqlSyntax.Identifier));
    }
}
