using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace RlsSchema.Testing;

/// <summary>
/// A minimal HTTP/1.1 responder on 127.0.0.1 that serves a JWKS at <c>/sso/jwks/{clientId}</c> (the WorkOS path) and at
/// <c>/.well-known/jwks.json</c>: one request per connection, 404 for anything else, 503 while unavailable.
/// </summary>
internal sealed class JwksEndpoint : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _serving;
    private readonly Func<string> _jwksJson;
    private int _jwksRequests;
    private volatile bool _jwksAvailable = true;

    /// <summary>Starts listening on a free loopback port.</summary>
    /// <param name="clientId">The last segment of the JWKS path.</param>
    /// <param name="jwksJson">The JWKS document to answer with, read at each request.</param>
    public JwksEndpoint(string clientId, Func<string> jwksJson)
    {
        _jwksJson = jwksJson;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        JwksUri = new Uri(BaseUri, "sso/jwks/" + clientId);
        _serving = ServeAsync(_stopping.Token);
    }

    /// <summary>The loopback address served.</summary>
    public Uri BaseUri { get; }

    /// <summary>The JWKS URL.</summary>
    public Uri JwksUri { get; }

    /// <summary>How many times the JWKS was requested.</summary>
    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    /// <summary>When false the JWKS is answered with 503.</summary>
    public bool JwksAvailable
    {
        get => _jwksAvailable;
        set => _jwksAvailable = value;
    }

    /// <summary>Stops listening and waits for the accept loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _serving.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            _ = AnswerAsync(client, cancellationToken);
        }
    }

    private async Task AnswerAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (head.Length < 16 * 1024 && !head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                var requestLine = head.ToString().Split("\r\n", 2)[0].Split(' ');
                var path = requestLine.Length >= 2 ? requestLine[1].Split('?', 2)[0] : "";
                string status;
                string body;
                if (requestLine[0] != "GET" || (path != JwksUri.AbsolutePath && path != "/.well-known/jwks.json"))
                {
                    (status, body) = ("404 Not Found", "{\"error\":\"not_found\"}");
                }
                else
                {
                    Interlocked.Increment(ref _jwksRequests);
                    (status, body) = _jwksAvailable ? ("200 OK", _jwksJson()) : ("503 Service Unavailable", "{\"error\":\"unavailable\"}");
                }

                var bodyBytes = Encoding.UTF8.GetBytes(body);
                var response = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {bodyBytes.Length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(response, cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync(bodyBytes, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }
}
