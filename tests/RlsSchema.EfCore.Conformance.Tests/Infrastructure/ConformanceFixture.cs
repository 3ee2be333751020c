using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlsSchema.Generated;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.EfCore.Conformance.Tests.Infrastructure;

/// <summary>
/// Two fresh databases on one real server: one holds the script EF Core generates for the entity set, the other
/// RlsSchema's script for the same classes. Both are read back from the catalog.
/// </summary>
public sealed class ConformanceFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server!;

    /// <summary>Signs the round trips' users in.</summary>
    public DevTokenIssuer Issuer { get; private set; } = null!;

    /// <summary>The script EF Core generates (<c>GenerateCreateScript</c>).</summary>
    public string EfCoreScript { get; private set; } = "";

    /// <summary>What the EF Core database holds.</summary>
    public IReadOnlyList<SchemaFact> EfCore { get; private set; } = [];

    /// <summary>What the RlsSchema database holds.</summary>
    public IReadOnlyList<SchemaFact> RlsSchema { get; private set; } = [];

    /// <summary>The RlsSchema database, for round trips through the generated repositories.</summary>
    public TestDatabase RlsSchemaDatabase { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        Issuer = await DevTokenIssuer.StartAsync();
        using (var context = new ConformanceContext())
        {
            EfCoreScript = context.Database.GenerateCreateScript();
        }

        var efDatabase = await _server.CreateDatabaseAsync();
        await using (var connection = new NpgsqlConnection(PostgresConnectionString.ToNpgsql(efDatabase.OwnerConnectionString)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(EfCoreScript, connection);
            await command.ExecuteNonQueryAsync();
        }

        RlsSchemaDatabase = await _server.CreateDatabaseAsync();
        await RlsSchemaDatabase.MigrateAsync(RlsSchemaScript.Sql);

        EfCore = await SchemaFacts.ReadAsync(efDatabase.OwnerConnectionString, CancellationToken.None);
        RlsSchema = await SchemaFacts.ReadAsync(RlsSchemaDatabase.OwnerConnectionString, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (Issuer is not null)
        {
            await Issuer.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>The column subjects EF Core's database holds.</summary>
    public IReadOnlyList<string> EfCoreColumns => EfCore.Where(f => f.Subject.StartsWith("column ")).Select(f => f.Subject).Distinct().ToList();

    /// <summary>The foreign key subjects EF Core's database holds.</summary>
    public IReadOnlyList<string> EfCoreForeignKeys => EfCore.Where(f => f.Subject.StartsWith("foreign key ")).Select(f => f.Subject).Distinct().ToList();
}

[CollectionDefinition(Name)]
public sealed class ConformanceCollection : ICollectionFixture<ConformanceFixture>
{
    public const string Name = "conformance";
}
