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
    /// <summary>Builds the application's data source from the options, reusing the runtime's reading of the variables.</summary>
    public static RlsDataSource CreateDataSource(RlsSchemaOptions options, ILoggerFactory? loggerFactory)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["DATABASE_AUTHENTICATED_URL"] = options.AuthenticatedConnectionString,
            ["RLS_JWKS_URL"] = options.JwksUrl,
            ["WORKOS_CLIENT_ID"] = options.WorkOSClientId,
            ["RLS_JWT_ISSUER"] = options.Issuer,
            ["RLS_JWT_AUDIENCE"] = options.Audience,
        };
        if (options.AuthenticatedConnectionString is null)
        {
            throw new InvalidOperationException(
                "RlsSchema has no connection for sessions: set RlsSchema:AuthenticatedConnectionString or DATABASE_AUTHENTICATED_URL (a login role that may switch to authenticated and anonymous).");
        }

        if (options.JwksUrl is null && options.WorkOSClientId is null)
        {
            throw new InvalidOperationException(
                "RlsSchema cannot validate tokens: set RlsSchema:JwksUrl or RLS_JWKS_URL (the issuer's JWKS), or RlsSchema:WorkOSClientId or WORKOS_CLIENT_ID.");
        }

        return RlsDataSourceBuilder.FromEnvironment(name => values.GetValueOrDefault(name))
            .UseLoggerFactory(loggerFactory)
            .Build();
    }

    /// <summary>The validator the JwtBearer handler uses: the data source's own, so keys are fetched and cached once.</summary>
    public static JwtValidator Validator(RlsDataSource dataSource) =>
        dataSource.TokenValidator ?? throw new InvalidOperationException("The RlsSchema data source has no token validator.");

    public static string AuthenticatedRole => "authenticated";

    public static string AnonymousRole => "anonymous";

    /// <summary>
    /// The request's session: for a token the JwtBearer handler validated, a session on that validated token (not
    /// validated again; the session keeps its expiry); without one, the anonymous role.
    /// </summary>
    public static ValueTask<RlsSession> OpenSessionAsync(RlsDataSource dataSource, ValidatedToken? token, CancellationToken cancellationToken) =>
        token is null
            ? dataSource.OpenAnonymousSessionAsync(cancellationToken)
            : dataSource.OpenValidatedSessionAsync(token, cancellationToken);

    /// <summary>Applies the pending migrations as the owner through the runtime's migrator, which alone holds the owner's connection.</summary>
    public static async Task<IReadOnlyList<RlsMigration>> MigrateAsync(string ownerConnectionString, IReadOnlyList<RlsMigration> migrations, CancellationToken cancellationToken)
    {
        var migrator = new RlsMigrator(ownerConnectionString, AuthenticatedRole, AnonymousRole);
        await using (migrator.ConfigureAwait(false))
        {
            return await migrator.MigrateAsync(migrations, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Applies the script as the owner through the runtime's migrator, which alone holds the owner's connection.</summary>
    public static async Task MigrateAsync(string ownerConnectionString, string script, CancellationToken cancellationToken)
    {
        var migrator = new RlsMigrator(ownerConnectionString);
        await using (migrator.ConfigureAwait(false))
        {
            await migrator.MigrateAsync(script, cancellationToken).ConfigureAwait(false);
        }
    }
}
