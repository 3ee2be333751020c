namespace RlsSchema.Testing;

/// <summary>How <see cref="DevTokenIssuer"/> signs a token; everything but <see cref="CurrentKey"/> forges one.</summary>
public enum DevTokenSigning
{
    /// <summary>RS256 with the issuer's current key, whose public half the JWKS serves.</summary>
    CurrentKey,

    /// <summary>RS256 with a key that is not in the JWKS, under the current key's <c>kid</c>: the signature does not verify.</summary>
    OtherKey,

    /// <summary><c>alg: none</c> and an empty signature.</summary>
    None,

    /// <summary>HS256 with the current public key (its PEM text) as the HMAC secret: the classic key-confusion attack.</summary>
    Hs256WithPublicKey,
}
