using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Tokens;

namespace RlsSchema.Npgsql;

/// <summary>
/// The issuer's signing keys, fetched from its JWKS URL and kept for <see cref="JwtValidationOptions.KeyCacheDuration"/>.
/// A token with an unknown <c>kid</c> causes at most one fetch per <see cref="JwtValidationOptions.MinimumRefreshInterval"/>;
/// fetches are single-flight, and a failed fetch keeps the keys already known.
/// </summary>
internal sealed class JwksKeyCache : IDisposable
{
    private const int MaxJwksBytes = 1024 * 1024;

    private readonly JwtValidationOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly SemaphoreSlim _fetchLock = new(1, 1);
    private volatile KeySet? _keys;
    private DateTimeOffset _lastFetchAttempt = DateTimeOffset.MinValue;

    public JwksKeyCache(JwtValidationOptions options)
    {
        _options = options;
        _ownsHttp = options.HttpClient is null;
        _http = options.HttpClient ?? new HttpClient();
    }

    public async ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(string? kid, CancellationToken cancellationToken)
    {
        var keys = _keys;
        if (keys is not null && IsFresh(keys) && keys.TryFind(kid, out var found))
        {
            return found;
        }

        await _fetchLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have fetched while this one waited.
            keys = _keys;
            if (keys is not null && IsFresh(keys) && keys.TryFind(kid, out found))
            {
                return found;
            }

            var now = _options.TimeProvider.GetUtcNow();
            var mayFetch = keys is null || now - _lastFetchAttempt >= _options.MinimumRefreshInterval;
            if (mayFetch)
            {
                _lastFetchAttempt = now;
                try
                {
                    keys = await FetchAsync(cancellationToken).ConfigureAwait(false);
                    _keys = keys;
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    if (keys is null)
                    {
                        throw new RlsTokenException(
                            TokenFailure.KeysUnavailable,
                            $"The signing keys could not be fetched from {_options.JwksUri}: {e.Message}",
                            e);
                    }
                }
            }

            if (keys!.TryFind(kid, out found))
            {
                return found;
            }

            throw new RlsTokenException(
                TokenFailure.UnknownKey,
                kid is null
                    ? "The token names no key (kid) and the key set has no signing key."
                    : $"No signing key with kid '{Describe(kid)}' is in the issuer's key set.");
        }
        finally
        {
            _fetchLock.Release();
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }

        _fetchLock.Dispose();
    }

    private bool IsFresh(KeySet keys) => _options.TimeProvider.GetUtcNow() - keys.FetchedAt < _options.KeyCacheDuration;

    private async Task<KeySet> FetchAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.JwksFetchTimeout);
        using var response = await _http
            .GetAsync(_options.JwksUri, HttpCompletionOption.ResponseHeadersRead, timeout.Token)
            .ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength is > MaxJwksBytes)
        {
            throw new InvalidOperationException("The key set is larger than 1 MiB.");
        }

        var json = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        if (json.Length > MaxJwksBytes)
        {
            throw new InvalidOperationException("The key set is larger than 1 MiB.");
        }

        var set = new JsonWebKeySet(json);
        var all = new List<SecurityKey>();
        var byKid = new Dictionary<string, SecurityKey[]>(StringComparer.Ordinal);
        foreach (var key in set.GetSigningKeys())
        {
            // Only asymmetric keys: a shared secret in a public key set is never a valid way to sign.
            if (key is SymmetricSecurityKey)
            {
                continue;
            }

            all.Add(key);
            if (key.KeyId is { } id)
            {
                byKid[id] = byKid.TryGetValue(id, out var existing) ? [.. existing, key] : [key];
            }
        }

        return new KeySet(all, byKid, _options.TimeProvider.GetUtcNow());
    }

    private static string Describe(string kid) => kid.Length > 64 ? kid[..64] + "..." : kid;

    private sealed class KeySet(List<SecurityKey> all, Dictionary<string, SecurityKey[]> byKid, DateTimeOffset fetchedAt)
    {
        public DateTimeOffset FetchedAt { get; } = fetchedAt;

        public bool TryFind(string? kid, out IReadOnlyList<SecurityKey> keys)
        {
            if (kid is null)
            {
                keys = all;
                return all.Count > 0;
            }

            if (byKid.TryGetValue(kid, out var found))
            {
                keys = found;
                return true;
            }

            keys = [];
            return false;
        }
    }
}
