using System;
using System.Text.RegularExpressions;

namespace RlsSchema.Npgsql;

/// <summary>
/// The one way a URL is shown in a message or a log: its credentials masked (<c>scheme://user:***@host</c>, a bare user
/// info as <c>***@</c>, and the values of password-like query parameters as <c>***</c>), the rest as given.
/// </summary>
internal static partial class UrlMasking
{
    private const string Mask = "***";

    /// <summary>The URL as written, with its credentials masked.</summary>
    public static string Masked(Uri url) => Masked(url.OriginalString);

    /// <summary>The text, with the credentials of the URL it holds masked; text without <c>://</c> is returned as given.</summary>
    public static string Masked(string text)
    {
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return text;
        }

        var start = scheme + 3;
        var end = text.IndexOfAny(['/', '?', '#'], start) is var slash and >= 0 ? slash : text.Length;
        var at = end > start ? text.LastIndexOf('@', end - 1, end - start) : -1;
        if (at >= 0)
        {
            var colon = text.IndexOf(':', start, at - start);
            text = text[..start] + (colon < 0 ? Mask : text[start..colon] + ":" + Mask) + text[at..];
        }

        return SecretParameter().Replace(text, "${name}" + Mask);
    }

    [GeneratedRegex("(?<name>[?&;](?:password|pwd|passwd|secret|token|access_token|api_key|apikey|key)=)[^&#;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretParameter();
}
