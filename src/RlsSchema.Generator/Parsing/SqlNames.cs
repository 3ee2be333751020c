using System.Text;

namespace RlsSchema.Generator.Parsing
{
    /// <summary>Derives SQL names from C# names and checks that PostgreSQL can hold a name.</summary>
    internal static class SqlNames
    {
        /// <summary>The longest identifier PostgreSQL keeps, in bytes; longer ones are silently truncated.</summary>
        public const int MaxIdentifierBytes = 63;

        /// <summary>The snake_case name of a C# identifier (<see cref="SnakeCase.Of"/>, which EF Core's package shares).</summary>
        /// <param name="name">A C# identifier.</param>
        /// <returns>The snake_case name.</returns>
        public static string ToSnakeCase(string name) => SnakeCase.Of(name);

        /// <summary>Says why PostgreSQL cannot hold <paramref name="name"/> as an identifier, or null when it can.</summary>
        /// <param name="name">The unquoted name.</param>
        /// <returns>The reason, or null.</returns>
        public static string? Validate(string? name)
        {
            if (name is null || name.Trim().Length == 0)
            {
                return "it is empty";
            }

            if (name.IndexOf('\0') >= 0)
            {
                return "it contains a NUL character";
            }

            if (HasUnpairedSurrogate(name))
            {
                return "it contains an unpaired UTF-16 surrogate, which UTF-8 cannot encode";
            }

            if (Encoding.UTF8.GetByteCount(name) > MaxIdentifierBytes)
            {
                return "it is longer than 63 bytes, and PostgreSQL would truncate it";
            }

            return null;
        }

        /// <summary>Whether <paramref name="text"/> holds a UTF-16 surrogate without its pair, which has no UTF-8 encoding.</summary>
        /// <param name="text">The text.</param>
        /// <returns>True when a high surrogate is not followed by a low one, or a low one not preceded by a high one.</returns>
        public static bool HasUnpairedSurrogate(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]))
                {
                    if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                    {
                        return true;
                    }

                    i++;
                }
                else if (char.IsLowSurrogate(text[i]))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether <paramref name="role"/> is a plain role name.</summary>
        /// <param name="role">The role name.</param>
        /// <returns>True for letters, digits and underscores, not starting with a digit, at most 63 characters.</returns>
        public static bool IsValidRoleName(string role)
        {
            if (role.Length == 0 || role.Length > MaxIdentifierBytes || char.IsDigit(role[0]))
            {
                return false;
            }

            foreach (char c in role)
            {
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
