using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Npgsql;

namespace RlsSchema.Testing;

/// <summary>
/// A development stand-in for WorkOS: an RSA signing key whose JWKS is served over HTTP on 127.0.0.1 (at
/// <c>/sso/jwks/{clientId}</c>, the WorkOS path), and access tokens with WorkOS-shaped claims. The runtime fetches the
/// keys from it exactly as it would from WorkOS. Knobs in <see cref="DevTokenOptions"/> forge every kind of bad token.
/// </summary>
public sealed class DevTokenIssuer : IAsyncDisposable
{
    private const string CrockfordBase32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _serving;
    private readonly RSA _otherKey = RSA.Create(2048);
    private readonly Lock _keysLock = new();
    private SigningKey _current;
    private List<SigningKey> _published;
    private readonly List<SigningKey> _everyKey = [];
    private volatile string _jwksJson;
    private int _jwksRequests;
    private volatile bool _jwksAvailable = true;

    private DevTokenIssuer(string clientId)
    {
        ClientId = clientId;
        _current = SigningKey.Create();
        _published = [_current];
        _everyKey.Add(_current);
        _jwksJson = BuildJwks(_published);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        JwksUri = new Uri(BaseUri, "sso/jwks/" + clientId);
        Issuer = new Uri(BaseUri, "user_management/" + clientId).ToString();
        _serving = ServeAsync(_stopping.Token);
    }

    /// <summary>The client id: the default audience and the last segment of the JWKS path.</summary>
    public string ClientId { get; }

    /// <summary>The loopback address the JWKS is served from.</summary>
    public Uri BaseUri { get; }

    /// <summary>The JWKS URL: <c>http://127.0.0.1:{port}/sso/jwks/{clientId}</c>.</summary>
    public Uri JwksUri { get; }

    /// <summary>The <c>iss</c> of issued tokens.</summary>
    public string Issuer { get; }

    /// <summary>The <c>aud</c> of issued tokens: the client id.</summary>
    public string Audience => ClientId;

    /// <summary>The <c>kid</c> of the current signing key.</summary>
    public string KeyId => _current.Kid;

    /// <summary>How many times the JWKS was requested.</summary>
    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    /// <summary>When false the JWKS endpoint answers 503, to test an issuer outage. True by default.</summary>
    public bool JwksAvailable
    {
        get => _jwksAvailable;
        set => _jwksAvailable = value;
    }

    /// <summary>
    /// Validation options that accept this issuer's tokens: its JWKS URL, issuer and audience, the default checks.
    /// A record: adjust with <c>with { ... }</c>.
    /// </summary>
    public JwtValidationOptions ValidationOptions => new(JwksUri) { Issuer = Issuer, Audience = Audience };

    /// <summary>Starts an issuer with a fresh RSA 2048 key and its JWKS endpoint.</summary>
    /// <param name="clientId">The client id; <c>client_dev</c> by default.</param>
    /// <returns>The running issuer; dispose it.</returns>
    public static Task<DevTokenIssuer> StartAsync(string clientId = "client_dev") =>
        Task.FromResult(new DevTokenIssuer(clientId));

    /// <summary>A WorkOS-shaped user id: <c>user_01</c> and 24 random Crockford base32 characters.</summary>
    /// <returns>The id.</returns>
    public static string NewUserId() => NewId("user_");

    /// <summary>Issues an access token for <paramref name="subject"/> with WorkOS-shaped claims.</summary>
    /// <param name="subject">The <c>sub</c>; null leaves it out.</param>
    /// <param name="options">Claims and forgery knobs; a valid token when null.</param>
    /// <returns>The compact JWS.</returns>
    public string IssueToken(string? subject, DevTokenOptions? options = null)
    {
        options ??= new DevTokenOptions();
        var key = _current;
        var kid = options.KeyId ?? key.Kid;
        var header = Header(options.Signing, kid);
        var payload = Payload(subject, options, pad: 0);
        if (options.PadToLength is { } target)
        {
            // Base64url grows by 4/3; a couple of passes land on or just past the target.
            for (var pad = 0; ; )
            {
                var length = Encode(header).Length + Encode(payload).Length + 342 + 2;
                if (length >= target)
                {
                    break;
                }

                pad += Math.Max(1, (target - length) * 3 / 4 + 1);
                payload = Payload(subject, options, pad);
            }
        }

        var signingInput = Encode(header) + "." + Encode(payload);
        var signature = Sign(signingInput, options.Signing, key);
        if (options.TamperedSubject is { } tampered)
        {
            signingInput = Encode(header) + "." + Encode(Payload(tampered, options, pad: 0));
        }

        return signingInput + "." + signature;
    }

    /// <summary>Signs any header and payload text as given, for tokens the knobs cannot describe (broken JSON, odd claims).</summary>
    /// <param name="headerJson">The header text; it is encoded as is, whatever algorithm it names.</param>
    /// <param name="payloadJson">The payload text, encoded as is.</param>
    /// <param name="signing">How the signature is made; RS256 for the two key options.</param>
    /// <returns>The compact JWS.</returns>
    public string SignRaw(string headerJson, string payloadJson, DevTokenSigning signing = DevTokenSigning.CurrentKey)
    {
        var signingInput = Encode(Encoding.UTF8.GetBytes(headerJson)) + "." + Encode(Encoding.UTF8.GetBytes(payloadJson));
        return signingInput + "." + Sign(signingInput, signing, _current);
    }

    /// <summary>Replaces the signing key by a new one with a new <c>kid</c>, as an issuer does when it rotates keys.</summary>
    /// <param name="keepPreviousKeys">Keep serving the earlier public keys so that tokens already issued stay valid.</param>
    public void RotateKey(bool keepPreviousKeys = true)
    {
        lock (_keysLock)
        {
            var next = SigningKey.Create();
            _published = keepPreviousKeys ? [next, .. _published] : [next];
            _everyKey.Add(next);
            _current = next;
            _jwksJson = BuildJwks(_published);
        }
    }

    /// <summary>Stops serving the JWKS and releases the keys.</summary>
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
        _otherKey.Dispose();
        lock (_keysLock)
        {
            foreach (var key in _everyKey)
            {
                key.Rsa.Dispose();
            }
        }
    }

    private static string NewId(string prefix) =>
        prefix + "01" + new string(RandomNumberGenerator.GetItems<char>(CrockfordBase32, 24));

    private static byte[] Header(DevTokenSigning signing, string kid)
    {
        var alg = signing switch
        {
            DevTokenSigning.None => "none",
            DevTokenSigning.Hs256WithPublicKey => "HS256",
            _ => "RS256",
        };
        return Json(writer =>
        {
            writer.WriteString("alg", alg);
            writer.WriteString("kid", kid);
            writer.WriteString("typ", "JWT");
        });
    }

    private byte[] Payload(string? subject, DevTokenOptions options, int pad)
    {
        var issuedAt = options.IssuedAt ?? DateTimeOffset.UtcNow;
        var expiresAt = options.ExpiresAt ?? issuedAt + options.Lifetime;
        return Json(writer =>
        {
            writer.WriteString("iss", options.Issuer ?? Issuer);
            if (subject is not null)
            {
                writer.WriteString("sub", subject);
            }

            writer.WriteString("aud", options.Audience ?? Audience);
            writer.WriteString("sid", options.SessionId ?? NewId("session_"));
            writer.WriteString("org_id", options.OrganizationId ?? NewId("org_"));
            writer.WriteString("role", options.Role);
            writer.WriteStartArray("permissions");
            foreach (var permission in options.Permissions)
            {
                writer.WriteStringValue(permission);
            }

            writer.WriteEndArray();
            writer.WriteString("jti", NewId(""));
            writer.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
            if (options.NotBefore is { } notBefore)
            {
                writer.WriteNumber("nbf", notBefore.ToUnixTimeSeconds());
            }

            if (!options.OmitExpiry)
            {
                writer.WriteNumber("exp", expiresAt.ToUnixTimeSeconds());
            }

            foreach (var (name, value) in options.ExtraClaims ?? new Dictionary<string, object?>())
            {
                writer.WritePropertyName(name);
                JsonSerializer.Serialize(writer, value);
            }

            if (pad > 0)
            {
                writer.WriteString("pad", new string('x', pad));
            }
        });
    }

    private string Sign(string signingInput, DevTokenSigning signing, SigningKey key)
    {
        var data = Encoding.ASCII.GetBytes(signingInput);
        return signing switch
        {
            DevTokenSigning.CurrentKey => Encode(key.Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
            DevTokenSigning.OtherKey => Encode(_otherKey.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
            DevTokenSigning.None => "",
            DevTokenSigning.Hs256WithPublicKey => Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key.Rsa.ExportSubjectPublicKeyInfoPem()), data)),
            _ => throw new ArgumentOutOfRangeException(nameof(signing)),
        };
    }

    private static string BuildJwks(IEnumerable<SigningKey> keys) => Encoding.UTF8.GetString(Json(writer =>
    {
        writer.WriteStartArray("keys");
        foreach (var key in keys)
        {
            var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
            writer.WriteStartObject();
            writer.WriteString("alg", "RS256");
            writer.WriteString("kty", "RSA");
            writer.WriteString("use", "sig");
            writer.WriteString("kid", key.Kid);
            writer.WriteString("n", Encode(parameters.Modulus!));
            writer.WriteString("e", Encode(parameters.Exponent!));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }));

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            _ = AnswerAsync(client, cancellationToken);
        }
    }

    // A minimal HTTP/1.1 responder: one request per connection, GET of the JWKS path or 404.
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
                    (status, body) = _jwksAvailable ? ("200 OK", _jwksJson) : ("503 Service Unavailable", "{\"error\":\"unavailable\"}");
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

    private sealed record SigningKey(RSA Rsa, string Kid)
    {
        public static SigningKey Create() => new(RSA.Create(2048), NewId("sso_oidc_key_pair_"));
    }
}
