using System;
using System.Threading.Tasks;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Tests.Shared;

/// <summary>
/// One throwaway PostgreSQL server and one development token issuer for a test run, disposed at its end. Each test
/// project's collection fixture derives from this and adds only what its tests need on top. One file, linked into each
/// project that runs against a server, like the other files under tests/Shared.
/// </summary>
public abstract class PostgresFixtureBase : IAsyncLifetime
{
    private PostgresServer? _server;
    private DevTokenIssuer? _issuer;

    /// <summary>The running server.</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException("The fixture has not started: xunit starts it before the first test of its collection.");

    /// <summary>The issuer end users' tokens come from.</summary>
    public DevTokenIssuer Issuer => _issuer ?? throw new InvalidOperationException("The fixture has not started: xunit starts it before the first test of its collection.");

    /// <summary>A fresh database on the server, with <paramref name="script"/> applied by its owner when given.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync(string? script = null)
    {
        TestDatabase database = await Server.CreateDatabaseAsync();
        if (script is not null)
        {
            await database.MigrateAsync(script);
        }

        return database;
    }

    /// <summary>Starts the server and the issuer, then runs <see cref="OnStartedAsync"/>.</summary>
    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        _issuer = await DevTokenIssuer.StartAsync();
        await OnStartedAsync();
    }

    /// <summary>Runs <see cref="OnStoppingAsync"/>, then stops the issuer and the server.</summary>
    public async Task DisposeAsync()
    {
        try
        {
            await OnStoppingAsync();
        }
        finally
        {
            if (_issuer is not null)
            {
                await _issuer.DisposeAsync();
            }

            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }

    /// <summary>Set-up of the derived fixture, once the server and the issuer run.</summary>
    protected virtual Task OnStartedAsync() => Task.CompletedTask;

    /// <summary>Clean-up of the derived fixture, while the server and the issuer still run.</summary>
    protected virtual Task OnStoppingAsync() => Task.CompletedTask;
}
