using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using RlsSchema.Generated;
using RlsSchema.Testing;
using RlsSchema.Tests.Shared;
using Xunit;

namespace RlsSchema.Npgsql.Tests;

/// <summary>The run's server and token issuer; one seeded database per test class.</summary>
public sealed class PostgresFixture : PostgresFixtureBase
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TestDatabase>>> _databases = new();

    /// <summary>The seeded database of one test class, created on first use.</summary>
    public Task<TestDatabase> DatabaseFor(Type testClass) =>
        _databases.GetOrAdd(testClass.Name, _ => new Lazy<Task<TestDatabase>>(CreateSeededAsync)).Value;

    /// <summary>A fresh seeded database.</summary>
    public Task<TestDatabase> CreateSeededAsync() => CreateDatabaseAsync(RlsSchemaScript.Sql);
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
