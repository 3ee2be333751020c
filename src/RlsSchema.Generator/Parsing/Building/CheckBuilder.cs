using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Parsing.Checks;
using RlsSchema.Generator.Parsing.Configuration;

namespace RlsSchema.Generator.Parsing.Building
{
    /// <summary>Turns a <c>[Check]</c> into a check constraint, refusing an empty or unsafe expression and an invalid name.</summary>
    internal static class CheckBuilder
    {
        /// <param name="context">The entity being parsed.</param>
        /// <param name="check">What the attribute says.</param>
        /// <param name="what">Where the check stands, as messages show it.</param>
        /// <returns>The constraint, or null when it is refused.</returns>
        public static CheckModel? Build(ParseContext context, CheckConfiguration check, string what)
        {
            if (check.Sql is null || check.Sql.Trim().Length == 0)
            {
                context.Report(DiagnosticDescriptors.InvalidAttributeUsage, check.Location, what, context.Name, "the check expression is empty");
                return null;
            }

            if (check.Name.Value is { } name)
            {
                SqlInputChecks.Name(context, "constraint", name, check.Name.Location);
            }

            string? valid = SqlInputChecks.Fragment(context, check.Sql, what, check.Location, warnPerRow: false);
            return valid is null ? null : new CheckModel(check.Name.Value, valid);
        }
    }
}
