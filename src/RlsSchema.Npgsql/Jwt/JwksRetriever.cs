using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace RlsSchema.Npgsql;

/// <summary>
/// Turns the fetched JWKS document into the keys tokens may be signed with, and tells waiting callers when a fetch ends.
/// </summary>
internal sealed class JwksRetriever : IConfigurationRetriever<JwksKeySet>
{
    private TaskCompletionSource _nextFetch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private long _sequence;
    private JwksKeySet? _latest;

    /// <summary>The keys of the last successful fetch.</summary>
    public JwksKeySet? Latest => Volatile.Read(ref _latest);

    /// <summary>Completes when the fetch in flight, or else the next one, ends (whether it succeeded or not).</summary>
    public Task NextFetchCompleted => Volatile.Read(ref _nextFetch).Task;

    public bool InFlight => Volatile.Read(ref _inFlight) > 0;

    public async Task<JwksKeySet> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            var json = await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false);
            var keys = Parse(json, Interlocked.Increment(ref _sequence));
            Volatile.Write(ref _latest, keys);
            return keys;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            Interlocked.Exchange(ref _nextFetch, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    private static JwksKeySet Parse(string json, long sequence)
    {
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

        return new JwksKeySet(all, byKid, sequence);
    }
}

/// <summary>The signing keys of one fetched key set, by <c>kid</c>.</summary>
internal sealed class JwksKeySet(List<SecurityKey> all, Dictionary<string, SecurityKey[]> byKid, long sequence)
{
    /// <summary>Which fetch this is; later fetches have higher numbers.</summary>
    public long Sequence { get; } = sequence;

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
