using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Protocols;

namespace RlsSchema.Npgsql;

/// <summary>Fetches the JWKS document with a time limit and a size cap, so a slow or hostile issuer cannot hold or flood the validator.</summary>
internal sealed class JwksDocumentRetriever(HttpClient http, TimeSpan timeout) : IDocumentRetriever
{
    private const int MaxJwksBytes = 1024 * 1024;

    public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        using var response = await http.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength is > MaxJwksBytes)
        {
            throw new InvalidOperationException("The key set is larger than 1 MiB.");
        }

        var json = await response.Content.ReadAsStringAsync(limit.Token).ConfigureAwait(false);
        if (json.Length > MaxJwksBytes)
        {
            throw new InvalidOperationException("The key set is larger than 1 MiB.");
        }

        return json;
    }
}
