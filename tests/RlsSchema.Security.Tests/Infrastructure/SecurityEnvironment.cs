using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Generated;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Shared;
using Xunit;

namespace RlsSchema.Security.Tests.Infrastructure;

/// <summary>
/// The run's PostgreSQL server and development issuer, with a database migrated with this project's generated script
/// by a non-superuser owner role (as on Neon, where the owner is not a superuser) and a data source whose sessions
/// share a pool of at most <see cref="PoolSize"/> connections.
/// </summary>
public sealed class SecurityEnvironment : PostgresFixtureBase
{
    /// <summary>The session pool's size in the shared data source.</summary>
    public const int PoolSize = 8;

    private readonly List<IAsyncDisposable> _dataSources = [];

    /// <summary>The database the suite attacks.</summary>
    public TestDatabase Database { get; private set; } = null!;

    /// <summary>Sessions as the authenticator on a pool of <see cref="PoolSize"/>, migrations as the app owner.</summary>
    public RlsDataSource Data { get; private set; } = null!;

    /// <summary>The server's superuser, on the suite's database: for set-up, inspection and fault injection only.</summary>
    public string AdminConnectionString { get; private set; } = "";

    /// <summary>The non-superuser role that owns the tables (it ran the migration).</summary>
    public string OwnerRole { get; private set; } = "";

    /// <summary>Connects as <see cref="OwnerRole"/>.</summary>
    public string OwnerConnectionString { get; private set; } = "";

    /// <inheritdoc />
    protected override async Task OnStartedAsync()
    {
        Database = await CreateDatabaseAsync();
        AdminConnectionString = Database.OwnerConnectionString;
        (OwnerRole, OwnerConnectionString) = await CreateOwnerRoleAsync(Server, Database);
        await using (var migrator = new RlsMigrator(OwnerConnectionString))
        {
            await migrator.MigrateAsync(RlsSchemaScript.Sql);
        }

        Data = CreateDataSource(PoolSize);
    }

    /// <summary>
    /// Creates a LOGIN role that is neither superuser nor BYPASSRLS, allowed to create in the database and in
    /// <c>public</c>: the shape of a hosted database's owner role.
    /// </summary>
    public static async Task<(string Role, string ConnectionString)> CreateOwnerRoleAsync(PostgresServer server, TestDatabase database)
    {
        string role = database.Name + "_owner";
        string password = RandomNumberGenerator.GetHexString(24, lowercase: true);
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand(
                $"CREATE ROLE \"{role}\" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE PASSWORD '{password}'; " +
                $"GRANT CREATE, CONNECT ON DATABASE \"{database.Name}\" TO \"{role}\";", admin);
            await create.ExecuteNonQueryAsync();
        }

        await using (var inDatabase = new NpgsqlConnection(database.OwnerConnectionString))
        {
            await inDatabase.OpenAsync();
            await using var grant = new NpgsqlCommand($"ALTER SCHEMA public OWNER TO \"{role}\";", inDatabase);
            await grant.ExecuteNonQueryAsync();
        }

        string connectionString = new NpgsqlConnectionStringBuilder(database.OwnerConnectionString) { Username = role, Password = password }.ConnectionString;
        return (role, connectionString);
    }

    /// <summary>A further data source on the suite's database, disposed with the environment.</summary>
    /// <param name="maxPoolSize">The session pool's size.</param>
    /// <param name="jwt">Token validation; the issuer's options when null.</param>
    /// <param name="sessionConnectionString">Where sessions connect; the authenticator when null.</param>
    public RlsDataSource CreateDataSource(int maxPoolSize, JwtValidationOptions? jwt = null, string? sessionConnectionString = null)
    {
        var builder = new RlsDataSourceBuilder(sessionConnectionString ?? Database.AuthenticatorConnectionString)
            .UseJwtValidation(jwt ?? Issuer.ValidationOptions);
        builder.ConnectionStringBuilder.MaxPoolSize = maxPoolSize;
        RlsDataSource data = builder.Build();
        lock (_dataSources)
        {
            _dataSources.Add(data);
        }

        return data;
    }

    /// <summary>A valid token for <paramref name="sub"/>.</summary>
    public string Token(string sub) => Issuer.IssueToken(sub);

    /// <summary>Runs a scalar query as the superuser.</summary>
    public Task<T> AdminScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) =>
        Sql.ScalarAsync<T>(AdminConnectionString, sql, parameters);

    /// <inheritdoc />
    protected override async Task OnStoppingAsync()
    {
        foreach (IAsyncDisposable data in _dataSources)
        {
            await data.DisposeAsync();
        }
    }
}

/// <summary>The tests that share <see cref="SecurityEnvironment"/>; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<SecurityEnvironment>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "postgres";
}
