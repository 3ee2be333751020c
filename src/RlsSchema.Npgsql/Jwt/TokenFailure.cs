namespace RlsSchema.Npgsql;

/// <summary>Why a JSON Web Token was refused.</summary>
public enum TokenFailure
{
    /// <summary>No token was given where one is required.</summary>
    Missing,

    /// <summary>The token is longer than <see cref="JwtValidationOptions.MaxTokenLength"/>; it was not parsed.</summary>
    TooLarge,

    /// <summary>The token is not a well-formed signed JWT: wrong number of parts, broken base64url or JSON, an encrypted token.</summary>
    Malformed,

    /// <summary>The header names an algorithm outside <see cref="JwtValidationOptions.Algorithms"/> (for example <c>none</c> or <c>HS256</c>).</summary>
    DisallowedAlgorithm,

    /// <summary>No key in the issuer's JWKS has the token's <c>kid</c>, even after the key set was fetched again.</summary>
    UnknownKey,

    /// <summary>The signature does not verify with the issuer's key.</summary>
    BadSignature,

    /// <summary>The token's <c>exp</c> is missing or in the past (beyond the clock skew).</summary>
    Expired,

    /// <summary>The token's <c>nbf</c> is in the future (beyond the clock skew).</summary>
    NotYetValid,

    /// <summary>The token's <c>iat</c> is in the future (beyond the clock skew).</summary>
    IssuedInFuture,

    /// <summary>The token's <c>iss</c> is not <see cref="JwtValidationOptions.Issuer"/>.</summary>
    WrongIssuer,

    /// <summary>The token's <c>aud</c> does not contain <see cref="JwtValidationOptions.Audience"/>.</summary>
    WrongAudience,

    /// <summary>The token has no <c>sub</c> claim, or it is not a non-empty string.</summary>
    NoSubject,

    /// <summary>
    /// The issuer's key set could not be fetched and no keys are cached. This is a fault on the server's side
    /// (answer 503, not 401); the token itself may be fine.
    /// </summary>
    KeysUnavailable,
}
