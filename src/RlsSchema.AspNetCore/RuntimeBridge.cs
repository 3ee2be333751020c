using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RlsSchema.Npgsql;

namespace RlsSchema.AspNetCore;

/// <summary>Everything this package asks of the runtime, in one place.</summary>
internal static class RuntimeBridge
{
    /// <summary>
    /// The runtime's builder, configured from the options (the session connection and the issuer), then by the
    /// application's own <c>AddRlsSchema(Action&lt;RlsDataSourceBuilder&gt;)</c> callbacks, in order.
    /// </summary>
    /// <exception cref="ArgumentException">A connection string or the JWKS URL is malformed; the message names the setting, never a password.</exception>
    public static RlsDataSourceBuilder CreateBuilder(RlsSchemaOptions options)
    {
        var builder = RlsDataSourceBuilder.ForSetting(options.AuthenticatedConnectionString, "RlsSchema:AuthenticatedConnectionString (DATABASE_AUTHENTICATED_URL)");

        var jwks = options.JwksUrl is { } url ? EnvironmentVariables.JwksUri(url, "RlsSchema:JwksUrl (RLS_JWKS_URL)")
            : options.WorkOSClientId is { } clientId ? JwtValidationOptions.WorkOSJwksUri(clientId)
            : null;
        if (jwks is not null)
        {
            builder.UseJwtValidation(new JwtValidationOptions(jwks) { Issuer = options.Issuer, Audience = options.Audience });
        }

        foreach (var configure in options.DataSourceConfigurations)
        {
            configure(builder);
        }

        return builder;
    }

    /// <summary>
    /// Why the options cannot give a working data source (no session connection, no issuer, a malformed setting), or null
    /// when they can. Builds one and disposes it: nothing connects.
    /// </summary>
    public static string? Problem(RlsSchemaOptions options)
    {
        try
        {
            var builder = CreateBuilder(options);
            if (string.IsNullOrWhiteSpace(builder.ConnectionStringBuilder.Host))
            {
                return "RlsSchema has no connection for sessions: set RlsSchema:AuthenticatedConnectionString or DATABASE_AUTHENTICATED_URL (a login role that may switch to authenticated and anonymous).";
            }

            var dataSource = builder.Build();
            var validates = dataSource.TokenValidator is not null;
            dataSource.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return validates ? null
                : "RlsSchema cannot validate tokens: set RlsSchema:JwksUrl or RLS_JWKS_URL (the issuer's JWKS), or RlsSchema:WorkOSClientId or WORKOS_CLIENT_ID.";
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            return e.Message;
        }
    }

    /// <summary>Builds the application's data source: see <see cref="CreateBuilder"/>.</summary>
    public static RlsDataSource CreateDataSource(RlsSchemaOptions options, ILoggerFactory? loggerFactory) =>
        CreateBuilder(options).UseLoggerFactory(loggerFactory).Build();

    /// <summary>The role names sessions switch to, as the builder is configured.</summary>
    public static SessionRoles Roles(RlsSchemaOptions options)
    {
        var builder = CreateBuilder(options);
        return new SessionRoles(builder.AuthenticatedRole, builder.AnonymousRole);
    }

    /// <summary>The validator the JwtBearer handler uses: the data source's own, so keys are fetched and cached once.</summary>
    public static JwtValidator Validator(RlsDataSource dataSource) =>
        dataSource.TokenValidator ?? throw new InvalidOperationException("The RlsSchema data source has no token validator.");

    /// <summary>
    /// The request's session: for a token the JwtBearer handler validated, a session on that validated token (not
    /// validated again; the session keeps its expiry); without one, the anonymous role.
    /// </summary>
    public static ValueTask<RlsSession> OpenSessionAsync(RlsDataSource dataSource, ValidatedToken? token, CancellationToken cancellationToken) =>
        token is null
            ? dataSource.OpenAnonymousSessionAsync(cancellationToken)
            : dataSource.OpenValidatedSessionAsync(token, cancellationToken);

    /// <summary>Applies the pending migrations as the owner through the runtime's migrator, which alone holds the owner's connection.</summary>
    public static async Task<IReadOnlyList<RlsMigration>> MigrateAsync(string ownerConnectionString, SessionRoles roles, IReadOnlyList<RlsMigration> migrations, CancellationToken cancellationToken)
    {
        var migrator = new RlsMigrator(ownerConnectionString, roles.Authenticated, roles.Anonymous);
        await using (migrator.ConfigureAwait(false))
        {
            return await migrator.MigrateAsync(migrations, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Applies the script as the owner through the runtime's migrator, which alone holds the owner's connection.</summary>
    public static async Task MigrateAsync(string ownerConnectionString, SessionRoles roles, string script, CancellationToken cancellationToken)
    {
        var migrator = new RlsMigrator(ownerConnectionString, roles.Authenticated, roles.Anonymous);
        await using (migrator.ConfigureAwait(false))
        {
            await migrator.MigrateAsync(script, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>The roles the application's sessions switch to (<see cref="RlsDataSourceBuilder.AuthenticatedRole"/>, <see cref="RlsDataSourceBuilder.AnonymousRole"/>).</summary>
internal sealed record SessionRoles(string Authenticated, string Anonymous);
