using System;
using System.Globalization;

namespace RlsSchema.Schema
{
    /// <summary>What the differ and the writer know about SQL types: the value that fills a new NOT NULL column, and which changes only widen.</summary>
    internal static class SqlTypes
    {
        /// <summary>The value existing rows get when a column becomes NOT NULL without a default.</summary>
        /// <param name="type">The SQL type.</param>
        /// <returns>The value as SQL, or null when there is no obvious one.</returns>
        public static string? ZeroValue(string type)
        {
            if (type == "text" || type.StartsWith("varchar", StringComparison.Ordinal))
            {
                return "''";
            }

            switch (type)
            {
                case "smallint":
                case "integer":
                case "bigint":
                case "numeric":
                case "real":
                case "double precision":
                    return "0";
                case "boolean":
                    return "false";
                case "bytea":
                    return "''::bytea";
                case "interval":
                    return "'0'::interval";
                default:
                    return null;
            }
        }

        /// <summary>Whether every value of one type fits the other unchanged.</summary>
        /// <param name="from">The old type.</param>
        /// <param name="to">The new type.</param>
        /// <returns>True when the change loses nothing.</returns>
        public static bool IsWidening(string from, string to)
        {
            string[] integers = { "smallint", "integer", "bigint" };
            int f = Array.IndexOf(integers, from);
            int t = Array.IndexOf(integers, to);
            if (f >= 0 && (t > f || to == "numeric"))
            {
                return true;
            }

            if (from == "real" && to == "double precision")
            {
                return true;
            }

            if (from.StartsWith("varchar(", StringComparison.Ordinal) && to == "text")
            {
                return true;
            }

            return VarcharLength(from) is int a && VarcharLength(to) is int b && b >= a;
        }

        private static int? VarcharLength(string type) =>
            type.StartsWith("varchar(", StringComparison.Ordinal) && type.EndsWith(")", StringComparison.Ordinal)
                && int.TryParse(type.Substring(8, type.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
                ? n : (int?)null;
    }
}
