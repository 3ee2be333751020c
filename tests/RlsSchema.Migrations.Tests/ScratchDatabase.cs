using System;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Testing;

namespace RlsSchema.Migrations.Tests;

/// <summary>A database that is dropped again on dispose; its connections are not pooled, so none outlives it.</summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly PostgresServer _server;
    private readonly string _name;

    private ScratchDatabase(PostgresServer server, string name, string connectionString)
    {
        _server = server;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync(PostgresServer server)
    {
        var database = await server.CreateDatabaseAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(database.OwnerConnectionString) { Pooling = false }.ConnectionString;
        return new ScratchDatabase(server, database.Name, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
