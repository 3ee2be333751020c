using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using Npgsql;
using RlsSchema.Npgsql;
using RlsSchema.Testing;

namespace RlsSchema.EndToEnd.Tests.Infrastructure;

/// <summary>One database on the shared server, with a data source whose tokens come from the shared issuer.</summary>
public sealed class SchemaDatabase : IAsyncDisposable
{
    private readonly DevTokenIssuer _issuer;

    /// <summary>Wraps <paramref name="database"/>, whose end users' tokens come from <paramref name="issuer"/>.</summary>
    public SchemaDatabase(TestDatabase database, DevTokenIssuer issuer)
    {
        Database = database;
        _issuer = issuer;
        DataSource = database.CreateDataSource(issuer.ValidationOptions);
    }

    /// <summary>The database's connection strings.</summary>
    public TestDatabase Database { get; }

    /// <summary>Migrates as the owner and opens end users' sessions.</summary>
    public RlsDataSource DataSource { get; }

    /// <summary>The issuer that signs this database's users' tokens.</summary>
    public DevTokenIssuer Issuer => _issuer;

    /// <summary>A new user with a WorkOS-shaped id.</summary>
    public TestUser NewUser(string name) => new(name, DevTokenIssuer.NewUserId());

    /// <summary>Signs <paramref name="user"/> in with a freshly issued token.</summary>
    public async Task<RlsSession> SignInAsync(TestUser user) =>
        await DataSource.OpenSessionAsync(_issuer.IssueToken(user.Id));

    /// <summary>A session with no user.</summary>
    public async Task<RlsSession> AnonymousAsync() => await DataSource.OpenAnonymousSessionAsync();

    /// <summary>Runs a query as the owner, who bypasses row-level security: what the server really holds.</summary>
    public async Task<IReadOnlyList<T>> OwnerQueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString.ToNpgsql(Database.OwnerConnectionString));
        await connection.OpenAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).ToList();
    }

    /// <summary>Runs a query in <paramref name="role"/>, switched to from the owner for one rolled-back transaction.</summary>
    public async Task<IReadOnlyList<T>> QueryAsRoleAsync<T>(string role, string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString.ToNpgsql(Database.OwnerConnectionString));
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SELECT set_config('role', @role, true)", new { role }, transaction);
        var rows = (await connection.QueryAsync<T>(sql, parameters, transaction)).ToList();
        await transaction.RollbackAsync();
        return rows;
    }

    /// <summary>Runs a statement as the owner.</summary>
    public async Task OwnerExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString.ToNpgsql(Database.OwnerConnectionString));
        await connection.OpenAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await DataSource.DisposeAsync();
}

/// <summary>An end user of the tests: a display name and a WorkOS-shaped id (<c>user_01...</c>).</summary>
public sealed record TestUser(string Name, string Id);
