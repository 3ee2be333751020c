using System;
using System.Collections.Generic;

namespace RlsSchema.Testing;

/// <summary>
/// The claims and knobs of one token from <see cref="DevTokenIssuer.IssueToken(string?, DevTokenOptions?)"/>. The defaults
/// give a valid WorkOS-shaped access token; each knob forges one kind of bad token.
/// </summary>
public sealed record DevTokenOptions
{
    /// <summary>The <c>sid</c> claim; a fresh <c>session_01...</c> id when null.</summary>
    public string? SessionId { get; init; }

    /// <summary>The <c>org_id</c> claim; <c>org_01...</c> derived from nothing in particular when null.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>The <c>role</c> claim. <c>member</c> by default.</summary>
    public string Role { get; init; } = "member";

    /// <summary>The <c>permissions</c> claim. Empty by default.</summary>
    public IReadOnlyList<string> Permissions { get; init; } = [];

    /// <summary>The <c>iss</c> claim; the issuer's own when null.</summary>
    public string? Issuer { get; init; }

    /// <summary>The <c>aud</c> claim; the issuer's client id when null.</summary>
    public string? Audience { get; init; }

    /// <summary>The <c>iat</c> claim; now when null.</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>The <c>nbf</c> claim; left out when null.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The <c>exp</c> claim; <see cref="IssuedAt"/> plus <see cref="Lifetime"/> when null.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>How long the token lives when <see cref="ExpiresAt"/> is null. 5 minutes by default (WorkOS access tokens).</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Leaves <c>exp</c> out.</summary>
    public bool OmitExpiry { get; init; }

    /// <summary>The header's <c>kid</c>; the signing key's when null. Any other value names a key the JWKS does not have.</summary>
    public string? KeyId { get; init; }

    /// <summary>How the token is signed. <see cref="DevTokenSigning.CurrentKey"/> by default.</summary>
    public DevTokenSigning Signing { get; init; } = DevTokenSigning.CurrentKey;

    /// <summary>When set, the payload is replaced after signing by one whose <c>sub</c> is this value: the signature no longer matches.</summary>
    public string? TamperedSubject { get; init; }

    /// <summary>When set, a <c>pad</c> claim makes the token at least this many characters long (still validly signed).</summary>
    public int? PadToLength { get; init; }

    /// <summary>More claims, serialized as JSON values.</summary>
    public IReadOnlyDictionary<string, object?>? ExtraClaims { get; init; }
}
