using System.Globalization;
using System.Text;

namespace RlsSchema.Schema
{
    /// <summary>
    /// The rule that turns C# names into SQL names when no <c>[Table]</c> or <c>[Column]</c> says otherwise: the generator
    /// names tables and columns with it, and the EF Core package checks EF's names against it.
    /// </summary>
    internal static class SnakeCase
    {
        /// <summary>
        /// Turns <c>IsComplete</c> into <c>is_complete</c> and <c>HTTPServer</c> into <c>http_server</c>, by the rule of
        /// EFCore.NamingConventions' <c>UseSnakeCaseNamingConvention()</c>, so that a table EF Core created under that
        /// convention has the names RlsSchema expects.
        /// </summary>
        /// <remarks>
        /// An underscore goes before a capital that follows a lower-case letter, and before a capital that is followed by a
        /// lower-case letter and follows anything but a digit or an underscore; never after a digit: <c>Sha256Hash</c> is
        /// <c>sha256hash</c>, <c>UserIDs</c> is <c>user_i_ds</c>. Underscores are kept. One difference on purpose: letters
        /// without case (<c>名前</c>), combining marks and the like are kept, where EFCore.NamingConventions drops them and
        /// would leave <c>名前</c> with no name at all.
        /// </remarks>
        /// <param name="name">A C# identifier.</param>
        /// <returns>The snake_case name.</returns>
        public static string Of(string name)
        {
            var builder = new StringBuilder(name.Length + 8);
            UnicodeCategory? previous = null;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (c == '_')
                {
                    builder.Append(c);
                    previous = null;
                    continue;
                }

                UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
                if (category == UnicodeCategory.UppercaseLetter || category == UnicodeCategory.TitlecaseLetter)
                {
                    bool wordStarts = previous == UnicodeCategory.LowercaseLetter
                        || (previous is not null && previous != UnicodeCategory.DecimalDigitNumber && i + 1 < name.Length && char.IsLower(name[i + 1]));
                    if (wordStarts)
                    {
                        builder.Append('_');
                    }

                    c = char.ToLowerInvariant(c);
                }

                builder.Append(c);
                previous = category;
            }

            return builder.ToString();
        }
    }
}
