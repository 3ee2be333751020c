using RlsSchema.Tests.Shared;
using Xunit;

namespace RlsSchema.Migrations.Tests;

/// <summary>The run's server and token issuer; each test makes the databases it needs.</summary>
public sealed class PostgresFixture : PostgresFixtureBase
{
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
