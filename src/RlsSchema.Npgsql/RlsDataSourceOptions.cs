using System;

namespace RlsSchema.Npgsql;

/// <summary>Where an <see cref="RlsDataSource"/> connects and how it validates tokens.</summary>
public sealed class RlsDataSourceOptions
{
    /// <summary>
    /// The owner's connection (<c>DATABASE_URL</c>): used only by <see cref="RlsDataSource.MigrateAsync"/>, never for an
    /// end user's query. A <c>postgres://</c> URL or an Npgsql connection string. Null when this process never migrates.
    /// </summary>
    public string? OwnerConnectionString { get; set; }

    /// <summary>
    /// The connection sessions use (<c>DATABASE_AUTHENTICATED_URL</c>): a login role with no privileges of its own that is a
    /// member of <see cref="AuthenticatedRole"/> and <see cref="AnonymousRole"/> (the <c>authenticator</c> pattern), or the
    /// <c>authenticated</c> role itself on Neon. A <c>postgres://</c> URL or an Npgsql connection string.
    /// </summary>
    public string? AuthenticatedConnectionString { get; set; }

    /// <summary>
    /// Where read-only sessions (<see cref="RlsDataSource.OpenReadOnlySessionAsync"/>) connect, as the same login role:
    /// a standby, or several hosts with <c>Target Session Attributes=prefer-standby</c>. Null to open them on
    /// <see cref="AuthenticatedConnectionString"/>. A <c>postgres://</c> URL or an Npgsql connection string.
    /// </summary>
    public string? ReadOnlyConnectionString { get; set; }

    /// <summary>How tokens are validated; when null only anonymous sessions can be opened.</summary>
    public JwtValidationOptions? Jwt { get; set; }

    /// <summary>The role an authenticated session runs in. <c>authenticated</c> by default.</summary>
    public string AuthenticatedRole { get; set; } = "authenticated";

    /// <summary>The role an anonymous session runs in. <c>anonymous</c> by default.</summary>
    public string AnonymousRole { get; set; } = "anonymous";

    /// <summary>
    /// Reads the options from environment variables: <c>DATABASE_URL</c> (owner), <c>DATABASE_AUTHENTICATED_URL</c>,
    /// <c>RLS_JWKS_URL</c> or else <c>WORKOS_CLIENT_ID</c> (giving <c>https://api.workos.com/sso/jwks/{id}</c>),
    /// <c>RLS_JWT_ISSUER</c> and <c>RLS_JWT_AUDIENCE</c>.
    /// </summary>
    /// <param name="getVariable">Reads one variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    /// <returns>The options; properties whose variables are unset stay null.</returns>
    public static RlsDataSourceOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? Read(string name) => getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

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

        return new RlsDataSourceOptions
        {
            OwnerConnectionString = Read("DATABASE_URL"),
            AuthenticatedConnectionString = Read("DATABASE_AUTHENTICATED_URL"),
            Jwt = jwks is null ? null : new JwtValidationOptions(jwks)
            {
                Issuer = Read("RLS_JWT_ISSUER"),
                Audience = Read("RLS_JWT_AUDIENCE"),
            },
        };
    }
}
