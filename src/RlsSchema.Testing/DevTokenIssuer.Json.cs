using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RlsSchema.Testing;

// The JSON the issuer writes: a token's header and claims, and the JWKS of its public keys.
public sealed partial class DevTokenIssuer
{
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
}
