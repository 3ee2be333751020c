using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Generated;
using RlsSchema.Tests.Shared;
using Xunit;

namespace RlsSchema.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The run's server and token issuer; each test class gets a database of its own with the generated script applied,
/// created the first time the class asks for it.
/// </summary>
public sealed class PostgresCluster : PostgresFixtureBase
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, SchemaDatabase> _databases = new();

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
                database = await CreateSchemaDatabaseAsync(migrate);
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
    public Task<SchemaDatabase> CreateEmptyDatabaseAsync() => CreateSchemaDatabaseAsync(migrate: false);

    /// <inheritdoc />
    protected override async Task OnStoppingAsync()
    {
        foreach (var database in _databases.Values)
        {
            await database.DisposeAsync();
        }
    }

    private async Task<SchemaDatabase> CreateSchemaDatabaseAsync(bool migrate) =>
        new(await CreateDatabaseAsync(migrate ? RlsSchemaScript.Sql : null), Issuer);
}

/// <summary>The test classes that share the run's PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "PostgreSQL";
}
