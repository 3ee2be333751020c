using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.Checks
{
    /// <summary>EF Core's <c>[Comment]</c> text becomes a SQL string literal: it must be text PostgreSQL can hold.</summary>
    internal static class CommentChecks
    {
        /// <summary>RLS0017 for a comment with a NUL character or an unpaired surrogate.</summary>
        /// <returns>The comment, or null when there is none or it was refused.</returns>
        public static string? Text(ParseContext context, string? comment, LocationInfo? location, string what)
        {
            if (comment is null)
            {
                return null;
            }

            if (comment.IndexOf('\0') >= 0 || SqlNames.HasUnpairedSurrogate(comment))
            {
                context.Report(DiagnosticDescriptors.InvalidAttributeUsage, location, what, context.Name, "a comment cannot hold a NUL character or an unpaired UTF-16 surrogate");
                return null;
            }

            return comment;
        }
    }
}
