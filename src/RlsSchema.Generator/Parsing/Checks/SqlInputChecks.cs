using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Checks
{
    /// <summary>Checks the names and SQL fragments a user writes, reporting each one PostgreSQL could not take as intended.</summary>
    internal static class SqlInputChecks
    {
        /// <summary>Reports RLS0011 when PostgreSQL cannot hold <paramref name="name"/>.</summary>
        /// <param name="context">The entity being parsed.</param>
        /// <param name="kind">What is named: table, schema, column, index, constraint or policy.</param>
        /// <param name="name">The name; null is reported as invalid.</param>
        /// <param name="location">Where the name is written.</param>
        /// <returns>Whether the name is valid.</returns>
        public static bool Name(ParseContext context, string kind, string? name, LocationInfo? location)
        {
            if (SqlNames.Validate(name) is { } reason)
            {
                context.Report(DiagnosticDescriptors.InvalidName, location, kind, name ?? "", context.Name, reason);
                return false;
            }

            return true;
        }

        /// <summary>
        /// Reports RLS0010 when <paramref name="sql"/> could end the statement it is placed in, and RLS0018 when
        /// <paramref name="warnPerRow"/> and it calls an auth function once per row.
        /// </summary>
        /// <param name="context">The entity being parsed.</param>
        /// <param name="sql">The fragment.</param>
        /// <param name="what">What the fragment is for, as the message shows it.</param>
        /// <param name="location">Where the fragment is written.</param>
        /// <param name="warnPerRow">Whether to look for per-row auth calls (policy expressions).</param>
        /// <returns>The fragment, trimmed, or null when it is refused.</returns>
        public static string? Fragment(ParseContext context, string sql, string what, LocationInfo? location, bool warnPerRow)
        {
            if (SqlFragmentValidator.Validate(sql, out string code) is { } reason)
            {
                context.Report(DiagnosticDescriptors.UnsafeSql, location, what, context.Name, reason);
                return null;
            }

            if (warnPerRow && SqlFragmentValidator.FindPerRowAuthCall(code) is { } call)
            {
                context.Report(DiagnosticDescriptors.PerRowAuthCall, location, what, context.Name, call);
            }

            return sql.Trim();
        }
    }
}
