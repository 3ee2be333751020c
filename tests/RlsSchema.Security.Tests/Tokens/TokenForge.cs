using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RlsSchema.Security.Tests.Tokens;

/// <summary>
/// Builds JWTs by hand, byte by byte, so that every field an attacker controls can be set: headers, claims,
/// signatures, encodings. Independent of the runtime's own token code on purpose.
/// </summary>
public static class TokenForge
{
    /// <summary>base64url without padding (RFC 7515).</summary>
    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>base64url of the UTF-8 text.</summary>
    public static string Base64Url(string text) => Base64Url(Encoding.UTF8.GetBytes(text));

    /// <summary>Decodes base64url with or without padding.</summary>
    public static byte[] FromBase64Url(string text)
    {
        string s = text.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        return Convert.FromBase64String(s);
    }

    /// <summary>The standard claims of a token valid right now for the given issuer and audience.</summary>
    public static JsonObject Claims(string sub, string? issuer, string? audience, TimeSpan? lifetime = null, DateTimeOffset? now = null)
    {
        DateTimeOffset t = now ?? DateTimeOffset.UtcNow;
        var claims = new JsonObject
        {
            ["sub"] = sub,
            ["sid"] = "session_" + Guid.NewGuid().ToString("N"),
            ["iat"] = t.ToUnixTimeSeconds(),
            ["exp"] = t.Add(lifetime ?? TimeSpan.FromMinutes(5)).ToUnixTimeSeconds(),
        };
        if (issuer is not null)
        {
            claims["iss"] = issuer;
        }

        if (audience is not null)
        {
            claims["aud"] = audience;
        }

        return claims;
    }

    /// <summary>A header naming the algorithm and, when given, the key id.</summary>
    public static JsonObject Header(string alg, string? kid)
    {
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT" };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        return header;
    }

    /// <summary>Signs header and claims with RSASSA-PKCS1-v1_5 SHA-256 (RS256).</summary>
    public static string SignRs256(RSA key, string? kid, JsonObject claims) =>
        Sign(Header("RS256", kid), claims, input => key.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>Signs header and claims with HMAC SHA-256 under the given secret (the key-confusion attack when the secret is a public key).</summary>
    public static string SignHs256(byte[] secret, string? kid, JsonObject claims) =>
        Sign(Header("HS256", kid), claims, input => HMACSHA256.HashData(secret, input));

    /// <summary>An unsigned token (<c>alg</c> spelled as given, e.g. <c>none</c>, <c>None</c>), with an empty signature part.</summary>
    public static string Unsigned(string alg, string? kid, JsonObject claims) =>
        Base64Url(Header(alg, kid).ToJsonString()) + "." + Base64Url(claims.ToJsonString()) + ".";

    /// <summary>Signs any header with any signing function over <c>base64url(header).base64url(claims)</c>.</summary>
    public static string Sign(JsonObject header, JsonObject claims, Func<byte[], byte[]> sign)
    {
        string input = Base64Url(header.ToJsonString()) + "." + Base64Url(claims.ToJsonString());
        return input + "." + Base64Url(sign(Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>The token's claims as JSON.</summary>
    public static JsonObject ReadClaims(string token) =>
        JsonNode.Parse(FromBase64Url(token.Split('.')[1]))!.AsObject();

    /// <summary>The token's header as JSON.</summary>
    public static JsonObject ReadHeader(string token) =>
        JsonNode.Parse(FromBase64Url(token.Split('.')[0]))!.AsObject();

    /// <summary>Replaces the claims part and keeps the original header and signature: a payload changed after signing.</summary>
    public static string WithClaims(string token, Action<JsonObject> change)
    {
        string[] parts = token.Split('.');
        JsonObject claims = ReadClaims(token);
        change(claims);
        return parts[0] + "." + Base64Url(claims.ToJsonString()) + "." + parts[2];
    }

    /// <summary>Keeps header and claims and swaps in another header (e.g. a different <c>alg</c>), keeping the signature.</summary>
    public static string WithHeader(string token, Action<JsonObject> change)
    {
        string[] parts = token.Split('.');
        JsonObject header = ReadHeader(token);
        change(header);
        return Base64Url(header.ToJsonString()) + "." + parts[1] + "." + parts[2];
    }

    /// <summary>The public key in the JWK form a JWKS publishes.</summary>
    public static JsonObject PublicJwk(RSA key, string kid)
    {
        RSAParameters p = key.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = kid,
            ["n"] = Base64Url(p.Modulus),
            ["e"] = Base64Url(p.Exponent),
        };
    }

    /// <summary>Reads the RSA public key of a JWK (what an attacker downloads from the JWKS URL).</summary>
    public static RSA RsaFromJwk(JsonNode jwk)
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = FromBase64Url(jwk["n"]!.GetValue<string>()),
            Exponent = FromBase64Url(jwk["e"]!.GetValue<string>()),
        });
        return rsa;
    }

    /// <summary>Every byte form of a public key that an HS256-with-the-public-key attack has been seen to use.</summary>
    public static byte[][] PublicKeyForms(RSA publicKey, JsonNode jwk) =>
    [
        Encoding.ASCII.GetBytes(publicKey.ExportSubjectPublicKeyInfoPem()),
        Encoding.ASCII.GetBytes(publicKey.ExportSubjectPublicKeyInfoPem() + "\n"),
        Encoding.ASCII.GetBytes(publicKey.ExportRSAPublicKeyPem()),
        publicKey.ExportSubjectPublicKeyInfo(),
        publicKey.ExportRSAPublicKey(),
        publicKey.ExportParameters(false).Modulus!,
        Encoding.UTF8.GetBytes(jwk.ToJsonString()),
        Encoding.UTF8.GetBytes(jwk["n"]!.GetValue<string>()),
    ];

    /// <summary>Serializes JSON compactly, the way a JWT carries it.</summary>
    public static string Compact(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
