using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server and one development token issuer for the whole run; each test class gets a database of
/// its own with the generated script applied, created the first time the class asks for it.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, SchemaDatabase> _databases = new();
    private PostgresServer? _server;
    private DevTokenIssuer? _issuer;

    /// <summary>The running server.</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>The token issuer standing in for WorkOS.</summary>
    public DevTokenIssuer Issuer => _issuer ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>The database of <paramref name="testClass"/>, with the generated schema applied.</summary>
    public Task<SchemaDatabase> DatabaseForAsync(Type testClass) =>
        SharedDatabaseAsync(testClass.FullName!, _ => Task.CompletedTask, migrate: true);

    /// <summary>
    /// The database named <paramref name="key"/>, created on first use for the rest of the run: migrated when
    /// <paramref name="migrate"/>, then handed to <paramref name="setUp"/>.
    /// </summary>
    public async Task<SchemaDatabase> SharedDatabaseAsync(string key, Func<SchemaDatabase, Task> setUp, bool migrate)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_databases.TryGetValue(key, out var database))
            {
                database = await SchemaDatabase.CreateAsync(Server, Issuer, migrate);
                await setUp(database);
                _databases.Add(key, database);
            }

            return database;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A fresh database with nothing applied, owned by the caller.</summary>
    public Task<SchemaDatabase> CreateEmptyDatabaseAsync() => SchemaDatabase.CreateAsync(Server, Issuer, migrate: false);

    async Task IAsyncLifetime.InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        _issuer = await DevTokenIssuer.StartAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (var database in _databases.Values)
        {
            await database.DisposeAsync();
        }

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

/// <summary>The test classes that share the run's PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "PostgreSQL";
}
