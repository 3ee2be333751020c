using System;

namespace RlsSchema.Npgsql;

/// <summary>A token whose signature, issuer, audience and lifetime were checked.</summary>
public sealed class ValidatedToken
{
    internal ValidatedToken(string subject, string claimsJson, string algorithm, string? keyId, DateTimeOffset expiresAt)
    {
        Subject = subject;
        ClaimsJson = claimsJson;
        Algorithm = algorithm;
        KeyId = keyId;
        ExpiresAt = expiresAt;
    }

    /// <summary>The <c>sub</c> claim: the end user's id, which <c>auth.user_id()</c> returns.</summary>
    public string Subject { get; }

    /// <summary>The token's payload exactly as the issuer signed it: the JSON object a session sets as <c>request.jwt.claims</c>.</summary>
    public string ClaimsJson { get; }

    /// <summary>The signature algorithm, for example <c>RS256</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The id of the key that signed the token, when the token named one.</summary>
    public string? KeyId { get; }

    /// <summary>When the token expires (<c>exp</c>).</summary>
    public DateTimeOffset ExpiresAt { get; }
}
