using System;
using System.Buffers.Text;
using System.Text.Json;

namespace RlsSchema.Npgsql;

/// <summary>
/// What the validator reads from a token's header and payload JSON itself, beside the token handler: the checks the
/// handler does not make (<c>crit</c>, a subject that is not a string, <c>aud</c> as string or array, times in seconds).
/// </summary>
internal static class TokenJson
{
    // RFC 7515 section 4.1.11: a recipient MUST refuse a token whose "crit" lists an extension it does not understand, and
    // this validator understands none; an empty or malformed "crit" is refused as well.
    public static void RefuseCriticalHeader(ReadOnlySpan<char> encodedHeader)
    {
        if (Decode(encodedHeader) is not { } header)
        {
            return; // Malformed headers are reported by the parser, with its own message.
        }

        using (header)
        {
            if (header.RootElement.ValueKind == JsonValueKind.Object && header.RootElement.TryGetProperty("crit", out _))
            {
                throw new RlsTokenException(
                    TokenFailure.Malformed,
                    "The token's header lists critical extensions (crit); none are supported, so the token is refused.");
            }
        }
    }

    public static void RefuseNonStringSubject(ReadOnlySpan<char> encodedPayload, Exception parseError)
    {
        if (Decode(encodedPayload) is not { } payload)
        {
            return;
        }

        using (payload)
        {
            if (payload.RootElement.ValueKind == JsonValueKind.Object
                && payload.RootElement.TryGetProperty("sub", out var sub)
                && sub.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
            {
                throw new RlsTokenException(
                    TokenFailure.NoSubject,
                    $"The token's subject (sub) is {(sub.ValueKind == JsonValueKind.Array ? "an array" : "an object")}; it must be a non-empty string.",
                    parseError);
            }
        }
    }

    public static JsonDocument? Decode(ReadOnlySpan<char> base64Url)
    {
        try
        {
            return JsonDocument.Parse(Base64Url.DecodeFromChars(base64Url));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    public static bool HasAudience(JsonElement root, string audience)
    {
        if (!root.TryGetProperty("aud", out var aud))
        {
            return false;
        }

        if (aud.ValueKind == JsonValueKind.String)
        {
            return string.Equals(aud.GetString(), audience, StringComparison.Ordinal);
        }

        if (aud.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in aud.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && string.Equals(item.GetString(), audience, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static DateTimeOffset? ReadTime(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || double.IsNaN(seconds) || seconds < 0 || seconds > 253402300799d)
        {
            throw new RlsTokenException(TokenFailure.Malformed, $"The claim '{name}' is not a number of seconds.");
        }

        return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
    }
}
