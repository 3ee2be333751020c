using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;
using RlsSchema.Npgsql;

namespace RlsSchema.AspNetCore;

/// <summary>
/// Where the application's database and token issuer are. Read from the configuration section <c>RlsSchema</c>, each
/// key falling back to the environment variable the console runtime reads (<c>DATABASE_URL</c>, ...).
/// </summary>
public sealed class RlsSchemaOptions
{
    /// <summary>The configuration section the options are read from: <c>RlsSchema</c>.</summary>
    public const string SectionName = "RlsSchema";

    /// <summary>
    /// The owner's connection (<c>RlsSchema:OwnerConnectionString</c>, else <c>DATABASE_URL</c>): only for migrations at
    /// start-up, never for a request. Null when this process never migrates.
    /// </summary>
    public string? OwnerConnectionString { get; set; }

    /// <summary>
    /// The connection sessions use (<c>RlsSchema:AuthenticatedConnectionString</c>, else <c>DATABASE_AUTHENTICATED_URL</c>):
    /// a login role without privileges of its own that may switch to the authenticated and anonymous roles.
    /// </summary>
    public string? AuthenticatedConnectionString { get; set; }

    /// <summary>The issuer's JWKS URL (<c>RlsSchema:JwksUrl</c>, else <c>RLS_JWKS_URL</c>).</summary>
    public string? JwksUrl { get; set; }

    /// <summary>
    /// A WorkOS client id (<c>RlsSchema:WorkOSClientId</c>, else <c>WORKOS_CLIENT_ID</c>), standing for the JWKS URL
    /// <c>https://api.workos.com/sso/jwks/{id}</c> when <see cref="JwksUrl"/> is not set.
    /// </summary>
    public string? WorkOSClientId { get; set; }

    /// <summary>The required <c>iss</c> (<c>RlsSchema:Issuer</c>, else <c>RLS_JWT_ISSUER</c>); not checked when null.</summary>
    public string? Issuer { get; set; }

    /// <summary>A required <c>aud</c> value (<c>RlsSchema:Audience</c>, else <c>RLS_JWT_AUDIENCE</c>); not checked when null.</summary>
    public string? Audience { get; set; }

    /// <summary>The application's changes to the runtime's builder, applied after the settings above, in order.</summary>
    internal List<Action<RlsDataSourceBuilder>> DataSourceConfigurations { get; } = [];

    internal void ReadFrom(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        string? Read(string key, string variable) =>
            Given(section[key]) ?? Given(configuration[variable]) ?? Given(Environment.GetEnvironmentVariable(variable));

        OwnerConnectionString ??= Read(nameof(OwnerConnectionString), "DATABASE_URL");
        AuthenticatedConnectionString ??= Read(nameof(AuthenticatedConnectionString), "DATABASE_AUTHENTICATED_URL");
        JwksUrl ??= Read(nameof(JwksUrl), "RLS_JWKS_URL");
        WorkOSClientId ??= Read(nameof(WorkOSClientId), "WORKOS_CLIENT_ID");
        Issuer ??= Read(nameof(Issuer), "RLS_JWT_ISSUER");
        Audience ??= Read(nameof(Audience), "RLS_JWT_AUDIENCE");
    }

    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
