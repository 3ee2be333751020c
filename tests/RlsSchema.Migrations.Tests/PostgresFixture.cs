using System.Threading.Tasks;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Migrations.Tests;

/// <summary>One PostgreSQL server and one token issuer for the whole run; each test makes the databases it needs.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
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
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
