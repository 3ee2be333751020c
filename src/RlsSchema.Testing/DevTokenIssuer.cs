using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Npgsql;

namespace RlsSchema.Testing;

/// <summary>
/// A development stand-in for WorkOS: an RSA signing key whose JWKS is served over HTTP on 127.0.0.1 (at
/// <c>/sso/jwks/{clientId}</c>, the WorkOS path), and access tokens with WorkOS-shaped claims. The runtime fetches the
/// keys from it exactly as it would from WorkOS. Knobs in <see cref="DevTokenOptions"/> forge every kind of bad token.
/// </summary>
public sealed partial class DevTokenIssuer : IAsyncDisposable
{
    private const string CrockfordBase32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private readonly JwksEndpoint _endpoint;
    private readonly RSA _otherKey = RSA.Create(2048);
    private readonly Lock _keysLock = new();
    private SigningKey _current;
    private List<SigningKey> _published;
    private readonly List<SigningKey> _everyKey = [];
    private volatile string _jwksJson;
    private bool _disposed;

    private DevTokenIssuer(string clientId)
    {
        ClientId = clientId;
        _current = SigningKey.Create();
        _published = [_current];
        _everyKey.Add(_current);
        _jwksJson = BuildJwks(_published);
        _endpoint = new JwksEndpoint(clientId, () => _jwksJson);
        BaseUri = _endpoint.BaseUri;
        JwksUri = _endpoint.JwksUri;
        Issuer = new Uri(BaseUri, "user_management/" + clientId).ToString();
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
    public int JwksRequests => _endpoint.JwksRequests;

    /// <summary>When false the JWKS endpoint answers 503, to test an issuer outage. True by default.</summary>
    public bool JwksAvailable
    {
        get => _endpoint.JwksAvailable;
        set => _endpoint.JwksAvailable = value;
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
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _endpoint.DisposeAsync().ConfigureAwait(false);
        _otherKey.Dispose();
        lock (_keysLock)
        {
            foreach (var key in _everyKey)
            {
                key.Rsa.Dispose();
            }
        }
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

    private sealed record SigningKey(RSA Rsa, string Kid)
    {
        public static SigningKey Create() => new(RSA.Create(2048), NewId("sso_oidc_key_pair_"));
    }
}
