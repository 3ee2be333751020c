using System;
using System.Collections.Generic;
using System.Net.Http;

namespace RlsSchema.Npgsql;

/// <summary>How end users' JSON Web Tokens are validated before a session is opened.</summary>
public sealed record JwtValidationOptions
{
    /// <summary>The asymmetric algorithms accepted by default. <c>none</c> and the HMAC family are never accepted.</summary>
    public static readonly IReadOnlyList<string> DefaultAlgorithms =
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    /// <summary>Creates options for the JWKS at <paramref name="jwksUri"/>.</summary>
    /// <param name="jwksUri">Where the issuer publishes its signing keys, for example <c>https://api.workos.com/sso/jwks/{clientId}</c>.</param>
    public JwtValidationOptions(Uri jwksUri)
    {
        ArgumentNullException.ThrowIfNull(jwksUri);
        JwksUri = jwksUri;
    }

    /// <summary>The WorkOS JWKS URL for a client id: <c>https://api.workos.com/sso/jwks/{clientId}</c>.</summary>
    /// <param name="clientId">The WorkOS client id, <c>client_...</c>.</param>
    public static Uri WorkOSJwksUri(string clientId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        return new Uri("https://api.workos.com/sso/jwks/" + Uri.EscapeDataString(clientId.Trim()));
    }

    /// <summary>Where the issuer publishes its signing keys (a JSON Web Key Set).</summary>
    public Uri JwksUri { get; }

    /// <summary>The required <c>iss</c> claim; when null the issuer is not checked.</summary>
    public string? Issuer { get; init; }

    /// <summary>A value the <c>aud</c> claim must hold; when null the audience is not checked.</summary>
    public string? Audience { get; init; }

    /// <summary>How far clocks may disagree when <c>exp</c>, <c>nbf</c> and <c>iat</c> are checked. 30 seconds by default.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest token accepted, in characters, checked before the token is parsed. 8 KiB by default.</summary>
    public int MaxTokenLength { get; init; } = 8 * 1024;

    /// <summary>
    /// The signature algorithms accepted. Only asymmetric algorithms (RS*, PS*, ES*) may be listed; the constructor of
    /// the validator refuses <c>none</c> and HMAC so that a public key can never be used as a shared secret.
    /// </summary>
    public IReadOnlyList<string> Algorithms { get; init; } = DefaultAlgorithms;

    /// <summary>
    /// The shortest time between two fetches of the key set caused by tokens with an unknown <c>kid</c>,
    /// so that a flood of forged tokens cannot turn into a flood of requests to the issuer. 30 seconds by default; never
    /// less than a little over one second, the shortest interval IdentityModel's configuration manager allows. Callers that
    /// arrive while a fetch is in flight wait for it rather than being refused.
    /// </summary>
    public TimeSpan MinimumRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long fetched keys are used before the key set is fetched again, in the background (the keys known so far stay
    /// in use meanwhile, and if the fetch fails). 1 hour by default; never less than 5 minutes.
    /// </summary>
    public TimeSpan KeyCacheDuration { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a token that passed every check is remembered, so that the same caller's next request skips the
    /// signature check; never past the token's own expiry. Keep it short: a key withdrawn from the key set stops
    /// refusing a remembered token only when this runs out. 30 seconds by default; <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    public TimeSpan ValidatedTokenCacheDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a key set fetch may take. 10 seconds by default.</summary>
    public TimeSpan JwksFetchTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The client used to fetch the key set; when null the data source creates and owns one. A client given here is
    /// not disposed by the data source.
    /// </summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>The clock tokens are checked against; <see cref="System.TimeProvider.System"/> by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    private static readonly HashSet<string> AsymmetricAlgorithms = new(DefaultAlgorithms, StringComparer.Ordinal);

    // The checks a validator makes of its options, also made where the options are handed over.
    internal void ThrowIfInvalid(string paramName)
    {
        if (Algorithms.Count == 0)
        {
            throw new ArgumentException("At least one signature algorithm must be allowed.", paramName);
        }

        foreach (var algorithm in Algorithms)
        {
            if (!AsymmetricAlgorithms.Contains(algorithm))
            {
                throw new ArgumentException(
                    $"The algorithm '{algorithm}' may not be allowed: only {string.Join(", ", JwtValidationOptions.DefaultAlgorithms)} are, so that neither unsigned tokens nor a public key used as an HMAC secret are ever accepted.",
                    paramName);
            }
        }

        if (MaxTokenLength <= 0)
        {
            throw new ArgumentException("MaxTokenLength must be positive.", paramName);
        }

        if (ValidatedTokenCacheDuration < TimeSpan.Zero)
        {
            throw new ArgumentException("ValidatedTokenCacheDuration may not be negative.", paramName);
        }

        if (ClockSkew < TimeSpan.Zero)
        {
            throw new ArgumentException("ClockSkew may not be negative.", paramName);
        }
    }
}
