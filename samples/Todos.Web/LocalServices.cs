using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RlsSchema.Testing;

namespace Todos.Web;

/// <summary>
/// What the sample runs on when no database and issuer are configured: a throwaway PostgreSQL (DATABASE_URL's server,
/// the local binaries, or a container) and a development token issuer standing in for WorkOS. They live as long as
/// the application and are removed when it stops.
/// </summary>
internal sealed class LocalServices(PostgresServer server, DevTokenIssuer issuer) : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> _userIds = new(StringComparer.OrdinalIgnoreCase);

    public PostgresServer Server { get; } = server;

    public DevTokenIssuer Issuer { get; } = issuer;

    /// <summary>The user id of a development user: the same id for the same name while the application runs.</summary>
    public string UserIdFor(string name) => _userIds.GetOrAdd(name, _ => DevTokenIssuer.NewUserId());

    /// <summary>True when no database, owner or issuer of the application's own is configured: the sample runs on its own.</summary>
    public static bool NothingConfigured(IConfiguration configuration) =>
        !HasDatabase(configuration) && !HasIssuer(configuration) && Read(configuration, "OwnerConnectionString", "DATABASE_URL") is null;

    public static async Task AddUnlessConfiguredAsync(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (HasDatabase(configuration) && HasIssuer(configuration))
        {
            return;
        }

        var server = await PostgresServer.StartAsync();
        TestDatabase database;
        try
        {
            database = await server.CreateDatabaseAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        var issuer = await DevTokenIssuer.StartAsync();
        var local = new LocalServices(server, issuer);
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RlsSchema:OwnerConnectionString"] = database.OwnerConnectionString,
            ["RlsSchema:AuthenticatedConnectionString"] = database.AuthenticatorConnectionString,
            ["RlsSchema:JwksUrl"] = issuer.JwksUri.ToString(),
            ["RlsSchema:Issuer"] = issuer.Issuer,
            ["RlsSchema:Audience"] = issuer.Audience,
        });

        // Created by the container's factory, so the container disposes it (server and issuer) when the application stops.
        builder.Services.AddSingleton(_ => local);
        builder.Services.AddHostedService(provider => provider.GetRequiredService<LocalServices>());
        builder.Services.AddSingleton(issuer);
        builder.Services.AddSingleton(server);
    }

    private static bool HasDatabase(IConfiguration configuration) =>
        Read(configuration, "AuthenticatedConnectionString", "DATABASE_AUTHENTICATED_URL") is not null;

    private static bool HasIssuer(IConfiguration configuration) =>
        Read(configuration, "JwksUrl", "RLS_JWKS_URL") is not null || Read(configuration, "WorkOSClientId", "WORKOS_CLIENT_ID") is not null;

    private static string? Read(IConfiguration configuration, string key, string variable) =>
        configuration["RlsSchema:" + key] is { Length: > 0 } value ? value : configuration[variable] is { Length: > 0 } v ? v : null;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await Issuer.DisposeAsync();
        await Server.DisposeAsync();
    }
}
