using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace RlsSchema.Npgsql;

/// <summary>
/// The issuer's signing keys, kept by IdentityModel's <see cref="ConfigurationManager{T}"/>: fetched once for all callers
/// and never with one caller's cancellation, refreshed in the background after
/// <see cref="JwtValidationOptions.KeyCacheDuration"/>, and kept when a refresh fails (stale keys over none). A token with
/// an unknown <c>kid</c> asks for a refresh at most once per <see cref="JwtValidationOptions.MinimumRefreshInterval"/>
/// and waits, as long as its own cancellation allows, for the fetch in flight.
/// </summary>
internal sealed class JwksKeyCache : IDisposable
{
    // The manager refuses shorter intervals; a little slack on ours keeps its own throttle from ever dropping our request.
    private static readonly TimeSpan ManagerRefreshInterval = BaseConfigurationManager.MinimumRefreshInterval;
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(100);

    private readonly JwtValidationOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly JwksRetriever _retriever;
    private readonly ConfigurationManager<JwksKeySet> _manager;
    private readonly TimeSpan _refreshInterval;
    private readonly Lock _refreshLock = new();
    private long _lastRefreshRequest = long.MinValue;
    private Task? _refreshing;

    public JwksKeyCache(JwtValidationOptions options)
    {
        _options = options;
        _ownsHttp = options.HttpClient is null;
        _http = options.HttpClient ?? new HttpClient();
        _retriever = new JwksRetriever();
        _manager = new ConfigurationManager<JwksKeySet>(options.JwksUri.AbsoluteUri, _retriever, new JwksDocumentRetriever(_http, options.JwksFetchTimeout))
        {
            AutomaticRefreshInterval = Max(options.KeyCacheDuration, BaseConfigurationManager.MinimumAutomaticRefreshInterval),
            RefreshInterval = ManagerRefreshInterval,
        };
        _refreshInterval = Max(options.MinimumRefreshInterval, ManagerRefreshInterval + Slack);
    }

    public async ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(string? kid, CancellationToken cancellationToken)
    {
        var keys = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (keys.TryFind(kid, out var found))
        {
            return found;
        }

        // Wait for the refresh already asked for, or ask for one; capture the fetch's end before asking, so it cannot be missed.
        var fetched = Volatile.Read(ref _refreshing);
        if (fetched is { IsCompleted: false } || _retriever.InFlight || TryRequestRefresh(out fetched))
        {
            fetched ??= _retriever.NextFetchCompleted;
            try
            {
                await fetched.WaitAsync(_options.JwksFetchTimeout + Slack, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The fetch timed out on its own as well; the keys already known are all there is.
            }

            keys = await CurrentAsync(cancellationToken).ConfigureAwait(false);
            if (keys.TryFind(kid, out found))
            {
                return found;
            }
        }

        throw new RlsTokenException(
            TokenFailure.UnknownKey,
            kid is null
                ? "The token names no key (kid) and the key set has no signing key."
                : $"No signing key with kid '{Describe(kid)}' is in the issuer's key set.");
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<JwksKeySet> CurrentAsync(CancellationToken cancellationToken)
    {
        try
        {
            var managed = await _manager.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);

            // The retriever sees a fetch's keys a moment before the manager publishes them.
            return _retriever.Latest is { } latest && latest.Sequence > managed.Sequence ? latest : managed;
        }
        catch (InvalidOperationException e) when (!cancellationToken.IsCancellationRequested)
        {
            var cause = e.InnerException ?? e;
            throw new RlsTokenException(
                TokenFailure.KeysUnavailable,
                $"The signing keys could not be fetched from {UrlMasking.Masked(_options.JwksUri)}: {cause.Message}",
                cause);
        }
    }

    // At most one refresh per interval, whoever asks: a flood of forged kids must not become a flood of fetches.
    private bool TryRequestRefresh(out Task? fetched)
    {
        lock (_refreshLock)
        {
            var now = Stopwatch.GetTimestamp();
            if (_lastRefreshRequest != long.MinValue && Stopwatch.GetElapsedTime(_lastRefreshRequest, now) < _refreshInterval)
            {
                fetched = null;
                return false;
            }

            _lastRefreshRequest = now;
            fetched = _retriever.NextFetchCompleted;
            Volatile.Write(ref _refreshing, fetched);
        }

        // The manager fetches on a thread of its own, with no caller's cancellation.
        _manager.RequestRefresh();
        return true;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Describe(string kid) => kid.Length > 64 ? kid[..64] + "..." : kid;
}
