using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlsSchema.Generated;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Shared;
using Xunit;

namespace RlsSchema.EfCore.Conformance.Tests.Infrastructure;

/// <summary>
/// Two fresh databases on the run's server: one holds the script EF Core generates for the entity set, the other
/// RlsSchema's script for the same classes. Both are read back from the catalog.
/// </summary>
public sealed class ConformanceFixture : PostgresFixtureBase
{
    /// <summary>The script EF Core generates (<c>GenerateCreateScript</c>).</summary>
    public string EfCoreScript { get; private set; } = "";

    /// <summary>What the EF Core database holds.</summary>
    public IReadOnlyList<SchemaFact> EfCore { get; private set; } = [];

    /// <summary>What the RlsSchema database holds.</summary>
    public IReadOnlyList<SchemaFact> RlsSchema { get; private set; } = [];

    /// <summary>The RlsSchema database, for round trips through the generated repositories.</summary>
    public TestDatabase RlsSchemaDatabase { get; private set; } = null!;

    /// <inheritdoc />
    protected override async Task OnStartedAsync()
    {
        using (var context = new ConformanceContext())
        {
            EfCoreScript = context.Database.GenerateCreateScript();
        }

        var efDatabase = await CreateDatabaseAsync();
        await using (var connection = new NpgsqlConnection(efDatabase.OwnerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(EfCoreScript, connection);
            await command.ExecuteNonQueryAsync();
        }

        RlsSchemaDatabase = await CreateDatabaseAsync(RlsSchemaScript.Sql);

        EfCore = await SchemaFacts.ReadAsync(efDatabase.OwnerConnectionString, CancellationToken.None);
        RlsSchema = await SchemaFacts.ReadAsync(RlsSchemaDatabase.OwnerConnectionString, CancellationToken.None);
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
