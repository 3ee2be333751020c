using System;
using System.Collections.Generic;
using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>Writes SQL names so that no name can end its quotes.</summary>
    internal static class SqlSyntax
    {
        // PostgreSQL's reserved words and the column-name and type-function keywords: quoting them is always safe.
        private static readonly HashSet<string> Keywords = new HashSet<string>(StringComparer.Ordinal)
        {
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "between",
            "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character", "check", "coalesce",
            "collate", "collation", "column", "concurrently", "constraint", "create", "cross", "current_catalog",
            "current_date", "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "dec",
            "decimal", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists", "extract",
            "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant", "greatest", "group",
            "grouping", "having", "ilike", "in", "initially", "inner", "inout", "int", "integer", "intersect", "interval",
            "into", "is", "isnull", "join", "json", "lateral", "leading", "least", "left", "like", "limit", "localtime",
            "localtimestamp", "national", "natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif",
            "numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing", "position",
            "precision", "primary", "real", "references", "returning", "right", "row", "select", "session_user", "setof",
            "similar", "smallint", "some", "substring", "symmetric", "system_user", "table", "tablesample", "then", "time",
            "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique", "user", "using", "values", "varchar",
            "variadic", "verbose", "when", "where", "window", "with",
        };

        /// <summary>The name as SQL: bare when it is a plain lower-case non-keyword, otherwise double-quoted with quotes doubled.</summary>
        /// <param name="name">The unquoted name.</param>
        /// <returns>The SQL identifier.</returns>
        public static string Identifier(string name)
        {
            bool plain = name.Length > 0 && (name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z'))
                && name.All(c => c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                && !Keywords.Contains(name);
            return plain ? name : "\"" + name.Replace("\"", "\"\"") + "\"";
        }

        /// <summary>The name, always double-quoted with quotes doubled (policy names, which read as prose).</summary>
        /// <param name="name">The unquoted name.</param>
        /// <returns>The quoted identifier.</returns>
        public static string QuotedIdentifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

        /// <summary>A table name, qualified by its schema when it has one.</summary>
        /// <param name="schema">The schema, or null.</param>
        /// <param name="table">The table.</param>
        /// <returns>The SQL name.</returns>
        public static string Table(string? schema, string table) => schema is null ? Identifier(table) : Identifier(schema) + "." + Identifier(table);

        /// <summary>A SQL string literal with quotes doubled.</summary>
        /// <param name="value">The text.</param>
        /// <returns>The literal.</returns>
        public static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

        /// <summary>A generated name cut to PostgreSQL's 63 bytes, as PostgreSQL itself would cut it, never inside a character.</summary>
        /// <param name="name">The name.</param>
        /// <returns>The name, at most 63 bytes of UTF-8.</returns>
        public static string Truncate(string name)
        {
            int bytes = 0;
            for (int i = 0; i < name.Length; i++)
            {
                int width = char.IsHighSurrogate(name[i]) ? 4 : name[i] < 0x80 ? 1 : name[i] < 0x800 ? 2 : 3;
                if (bytes + width > 63)
                {
                    return name.Substring(0, i);
                }

                bytes += width;
                if (width == 4)
                {
                    i++;
                }
            }

            return name;
        }

        /// <summary>A table name always qualified by its schema (<c>public</c> by default), for code that runs with an empty <c>search_path</c>.</summary>
        /// <param name="schema">The schema, or null for <c>public</c>.</param>
        /// <param name="table">The table.</param>
        /// <returns>The SQL name.</returns>
        public static string QualifiedTable(string? schema, string table) => Identifier(schema ?? "public") + "." + Identifier(table);
    }
}
