using System;

namespace RlsSchema.Npgsql;

/// <summary>The environment variables the runtime reads, in one place.</summary>
internal sealed class EnvironmentVariables(Func<string, string?>? getVariable)
{
    public const string OwnerUrl = "DATABASE_URL";
    public const string AuthenticatedUrl = "DATABASE_AUTHENTICATED_URL";

    private readonly Func<string, string?> _get = getVariable ?? Environment.GetEnvironmentVariable;

    public string? Read(string name) => _get(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>Reads a JWKS URL given as <paramref name="setting"/>: an absolute http(s) URL, or an error that names the setting and shows the URL masked.</summary>
    public static Uri JwksUri(string url, string setting)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var jwks) || (jwks.Scheme != Uri.UriSchemeHttps && jwks.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"{setting} is not an http(s) URL: '{UrlMasking.Masked(url.Trim())}'.");
        }

        return jwks;
    }

    public JwtValidationOptions? Jwt()
    {
        Uri? jwks = null;
        if (Read("RLS_JWKS_URL") is { } url)
        {
            jwks = JwksUri(url, "RLS_JWKS_URL");
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
