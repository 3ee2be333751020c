using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Dapper;
using Npgsql;
using RlsSchema.Generated;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Shared;
using Xunit;

namespace RlsSchema.EntityFrameworkCore.Tests.Runtime;

/// <summary>
/// The run's server and issuer, and one database with the generated script applied, whose sessions connect as the
/// database's login role for sessions; EF contexts connect as that role too.
/// </summary>
public sealed class EfDatabase : PostgresFixtureBase
{
    private TestDatabase? _database;
    private RlsDataSource? _dataSource;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The fixture has not started.");

    public RlsDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>The Npgsql connection string sessions and contexts connect with (the login role that switches roles).</summary>
    public string SessionConnectionString => Database.AuthenticatorConnectionString;

    /// <summary>A session of a new user with a fresh token.</summary>
    public async Task<RlsSession> SignInAsync(string userId, DevTokenOptions? options = null) =>
        await DataSource.OpenSessionAsync(Issuer.IssueToken(userId, options));

    /// <summary>A context on the session connection, bound to <paramref name="session"/>.</summary>
    public TodoContext ContextFor(RlsSession session) => TodoContext.Create(SessionConnectionString).UseSession(session);

    /// <summary>What the server really holds: read as the owner, who bypasses row-level security.</summary>
    public async Task<IReadOnlyList<T>> OwnerQueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(Database.OwnerConnectionString);
        await connection.OpenAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).ToList();
    }

    /// <summary>Adds a todo for <paramref name="userId"/> as the owner and returns its id.</summary>
    public async Task<long> SeedAsync(string userId, string task) =>
        (await OwnerQueryAsync<long>("INSERT INTO todos (user_id, task) VALUES (@userId, @task) RETURNING id", new { userId, task })).Single();

    protected override async Task OnStartedAsync()
    {
        _database = await CreateDatabaseAsync(RlsSchemaScript.Sql);
        _dataSource = Database.CreateDataSource(Issuer.ValidationOptions);
    }

    protected override async Task OnStoppingAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EfDatabaseCollection : ICollectionFixture<EfDatabase>
{
    public const string Name = "ef-runtime";
}
