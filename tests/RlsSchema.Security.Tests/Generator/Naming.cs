using System.Globalization;
using System.Text;

namespace RlsSchema.Security.Tests.Generator;

/// <summary>The naming rule DESIGN.md states: snake_case of the C# name unless an attribute names it.</summary>
public static class Naming
{
    /// <summary>
    /// <c>UserId</c> -> <c>user_id</c>, <c>IsComplete</c> -> <c>is_complete</c>, <c>Sha256Hash</c> -> <c>sha256hash</c>
    /// (EF Core's snake_case convention). A word break falls before an upper-case letter that follows a lower-case
    /// letter, or that precedes a lower-case letter and follows anything but a digit or an underscore.
    /// A leading <c>@</c> (C# keyword escape) is not part of the name.
    /// </summary>
    public static string SnakeCase(string name)
    {
        string s = name.StartsWith('@') ? name[1..] : name;
        var sb = new StringBuilder(s.Length + 8);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsUpper(c))
            {
                bool afterLower = i > 0 && char.IsLower(s[i - 1]);
                bool beforeLower = i > 0 && !char.IsDigit(s[i - 1]) && s[i - 1] != '_' && i + 1 < s.Length && char.IsLower(s[i + 1]);
                if (afterLower || beforeLower)
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
