using System;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RlsSchema.Npgsql;

/// <summary>
/// Validates end users' JSON Web Tokens against an issuer's JWKS. The checks run in a fixed order (size, shape, <c>crit</c>,
/// algorithm, key, signature, issuer, audience, <c>exp</c>, <c>nbf</c>, <c>iat</c>, <c>sub</c>) and the first failure
/// is reported as an <see cref="RlsTokenException"/>. Thread-safe; keep one per issuer.
/// </summary>
public sealed class JwtValidator : IDisposable
{
    private readonly JwtValidationOptions _options;
    private readonly JwksKeyCache _keys;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly HashSet<string> _algorithms;

    // Tokens that passed every check, by their exact text: a changed byte is a different key, so it is checked in full.
    private readonly ConcurrentDictionary<string, (ValidatedToken Token, DateTimeOffset Until)> _validated = new(StringComparer.Ordinal);
    private const int MaxValidatedTokens = 4096;

    /// <summary>Creates a validator.</summary>
    /// <param name="options">The issuer's JWKS URL and the checks to apply.</param>
    /// <exception cref="ArgumentException">An algorithm in <see cref="JwtValidationOptions.Algorithms"/> is not asymmetric, or a limit is not positive.</exception>
    public JwtValidator(JwtValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid(nameof(options));
        _options = options;
        _algorithms = new HashSet<string>(options.Algorithms, StringComparer.Ordinal);
        _keys = new JwksKeyCache(options);
    }

    /// <summary>The options this validator applies.</summary>
    public JwtValidationOptions Options => _options;

    /// <summary>Validates <paramref name="token"/>.</summary>
    /// <param name="token">The compact JWS, without a <c>Bearer </c> prefix.</param>
    /// <param name="cancellationToken">Cancels a key set fetch.</param>
    /// <returns>The validated subject and claims.</returns>
    /// <exception cref="RlsTokenException">The token was refused; <see cref="RlsTokenException.Reason"/> says why.</exception>
    public async ValueTask<ValidatedToken> ValidateAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw Fail(TokenFailure.Missing, "No token was given.");
        }

        if (token.Length > _options.MaxTokenLength)
        {
            throw Fail(TokenFailure.TooLarge, $"The token is {token.Length} characters long; at most {_options.MaxTokenLength} are accepted.");
        }

        if (_validated.TryGetValue(token, out var remembered))
        {
            if (_options.TimeProvider.GetUtcNow() < remembered.Until)
            {
                return remembered.Token;
            }

            _validated.TryRemove(token, out _);
        }

        var dots = token.AsSpan().Count('.');
        if (dots != 2)
        {
            throw Fail(
                TokenFailure.Malformed,
                dots == 4 ? "Encrypted tokens (JWE) are not accepted." : "The token is not a compact JWS of three dot-separated parts.");
        }

        TokenJson.RefuseCriticalHeader(token.AsSpan(0, token.IndexOf('.')));

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or JsonException or FormatException)
        {
            // A payload that is JSON but whose sub is not a string fails to parse here; say that rather than "not JSON".
            TokenJson.RefuseNonStringSubject(token.AsSpan(token.IndexOf('.') + 1, token.LastIndexOf('.') - token.IndexOf('.') - 1), e);
            throw Fail(TokenFailure.Malformed, "The token's header or payload is not base64url-encoded JSON.", e);
        }

        var algorithm = jwt.Alg;
        if (string.IsNullOrEmpty(algorithm) || !_algorithms.Contains(algorithm))
        {
            throw Fail(TokenFailure.DisallowedAlgorithm, $"The algorithm '{Truncate(algorithm)}' is not allowed.");
        }

        if (jwt.EncodedSignature.Length == 0)
        {
            throw Fail(TokenFailure.BadSignature, "The token has no signature.");
        }

        var kid = string.IsNullOrEmpty(jwt.Kid) ? null : jwt.Kid;
        var keys = await _keys.GetKeysAsync(kid, cancellationToken).ConfigureAwait(false);

        var parameters = new TokenValidationParameters
        {
            // Only the signature is checked here; every other check below, in a fixed order, on one clock.
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidateIssuerSigningKey = false,
            RequireSignedTokens = true,
            IssuerSigningKeys = keys,
            TryAllIssuerSigningKeys = true,
            ValidAlgorithms = _options.Algorithms,
        };
        var result = await _handler.ValidateTokenAsync(jwt, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            throw result.Exception switch
            {
                SecurityTokenInvalidAlgorithmException e => Fail(TokenFailure.DisallowedAlgorithm, "The algorithm does not match the signing key.", e),
                SecurityTokenMalformedException e => Fail(TokenFailure.Malformed, "The token is malformed.", e),
                var e => Fail(TokenFailure.BadSignature, "The token's signature does not verify with the issuer's key.", e),
            };
        }

        var validated = CheckClaims(jwt, algorithm, kid);
        Remember(token, validated);
        return validated;
    }

    /// <summary>Releases the HTTP client the validator created for fetching keys.</summary>
    public void Dispose() => _keys.Dispose();

    private void Remember(string token, ValidatedToken validated)
    {
        if (_options.ValidatedTokenCacheDuration == TimeSpan.Zero)
        {
            return;
        }

        // Bounded: past the limit start again rather than track ages; a forgotten token is only checked once more.
        if (_validated.Count >= MaxValidatedTokens)
        {
            _validated.Clear();
        }

        var until = _options.TimeProvider.GetUtcNow() + _options.ValidatedTokenCacheDuration;
        if (validated.ExpiresAt < until)
        {
            until = validated.ExpiresAt;
        }

        _validated[token] = (validated, until);
    }

    private ValidatedToken CheckClaims(JsonWebToken jwt, string algorithm, string? kid)
    {
        byte[] payload;
        try
        {
            payload = Base64Url.DecodeFromChars(jwt.EncodedPayload);
        }
        catch (FormatException e)
        {
            throw Fail(TokenFailure.Malformed, "The token's payload is not base64url.", e);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException e)
        {
            throw Fail(TokenFailure.Malformed, "The token's payload is not JSON.", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Fail(TokenFailure.Malformed, "The token's payload is not a JSON object.");
            }

            // PostgreSQL's jsonb keeps the last of duplicate keys while readers here may see the first: refuse the ambiguity.
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw Fail(TokenFailure.Malformed, $"The token's payload has the claim '{Truncate(property.Name)}' twice.");
                }
            }

            if (_options.Issuer is { } issuer)
            {
                if (!root.TryGetProperty("iss", out var iss) || iss.ValueKind != JsonValueKind.String || !string.Equals(iss.GetString(), issuer, StringComparison.Ordinal))
                {
                    throw Fail(TokenFailure.WrongIssuer, "The token's issuer (iss) is not the configured issuer.");
                }
            }

            if (_options.Audience is { } audience && !TokenJson.HasAudience(root, audience))
            {
                throw Fail(TokenFailure.WrongAudience, "The token's audience (aud) does not include the configured audience.");
            }

            var now = _options.TimeProvider.GetUtcNow();
            var skew = _options.ClockSkew;
            var expiresAt = TokenJson.ReadTime(root, "exp") ?? throw Fail(TokenFailure.Expired, "The token has no expiry (exp).");
            if (now > expiresAt + skew)
            {
                throw Fail(TokenFailure.Expired, "The token has expired.");
            }

            if (TokenJson.ReadTime(root, "nbf") is { } notBefore && notBefore - skew > now)
            {
                throw Fail(TokenFailure.NotYetValid, "The token is not valid yet (nbf).");
            }

            if (TokenJson.ReadTime(root, "iat") is { } issuedAt && issuedAt - skew > now)
            {
                throw Fail(TokenFailure.IssuedInFuture, "The token was issued in the future (iat).");
            }

            if (root.TryGetProperty("sub", out var shaped) && shaped.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
            {
                throw Fail(
                    TokenFailure.NoSubject,
                    $"The token's subject (sub) is {(shaped.ValueKind == JsonValueKind.Array ? "an array" : "an object")}; it must be a non-empty string.");
            }

            if (!root.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(sub.GetString()))
            {
                throw Fail(TokenFailure.NoSubject, "The token has no subject (sub).");
            }

            return new ValidatedToken(sub.GetString()!, Encoding.UTF8.GetString(payload), algorithm, kid, expiresAt);
        }
    }

    private static string Truncate(string? value) =>
        value is null ? "" : value.Length > 32 ? value[..32] + "..." : value;

    private static RlsTokenException Fail(TokenFailure reason, string message, Exception? inner = null) =>
        new(reason, message, inner);
}
