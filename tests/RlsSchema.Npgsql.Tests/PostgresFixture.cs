using System.Collections.Concurrent;
using System.Threading.Tasks;
using System;
using RlsSchema.Generated;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Npgsql.Tests;

/// <summary>One PostgreSQL server and one token issuer for the whole run; one database per test class.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TestDatabase>>> _databases = new();

    public PostgresServer Server { get; private set; } = null!;

    public DevTokenIssuer Issuer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await PostgresServer.StartAsync();
        Issuer = await DevTokenIssuer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Issuer is not null)
        {
            await Issuer.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    /// <summary>The seeded database of one test class, created on first use.</summary>
    public Task<TestDatabase> DatabaseFor(Type testClass) =>
        _databases.GetOrAdd(testClass.Name, _ => new Lazy<Task<TestDatabase>>(CreateSeededAsync)).Value;

    /// <summary>A fresh seeded database.</summary>
    public async Task<TestDatabase> CreateSeededAsync()
    {
        var database = await Server.CreateDatabaseAsync();
        await database.MigrateAsync(RlsSchemaScript.Sql);
        return database;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
