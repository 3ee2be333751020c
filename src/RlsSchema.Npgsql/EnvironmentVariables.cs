using System;

namespace RlsSchema.Npgsql;

/// <summary>The environment variables the runtime reads, in one place.</summary>
internal sealed class EnvironmentVariables(Func<string, string?>? getVariable)
{
    public const string OwnerUrl = "DATABASE_URL";
    public const string AuthenticatedUrl = "DATABASE_AUTHENTICATED_URL";

    private readonly Func<string, string?> _get = getVariable ?? Environment.GetEnvironmentVariable;

    public string? Read(string name) => _get(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public JwtValidationOptions? Jwt()
    {
        Uri? jwks = null;
        if (Read("RLS_JWKS_URL") is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out jwks) || (jwks.Scheme != Uri.UriSchemeHttps && jwks.Scheme != Uri.UriSchemeHttp))
            {
                throw new ArgumentException($"RLS_JWKS_URL is not an http(s) URL: '{url}'.");
            }
        }
        else if (Read("WORKOS_CLIENT_ID") is { } clientId)
        {
            jwks = JwtValidationOptions.WorkOSJwksUri(clientId);
        }

        return jwks is null ? null : new JwtValidationOptions(jwks)
        {
            Issuer = Read("RLS_JWT_ISSUER"),
            Audience = Read("RLS_JWT_AUDIENCE"),
        };
    }
}
