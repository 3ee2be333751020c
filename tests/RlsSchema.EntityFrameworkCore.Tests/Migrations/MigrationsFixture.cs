using System;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.EntityFrameworkCore.Tests.Migrations;

/// <summary>One throwaway PostgreSQL server for the EF migrations tests; each test makes its own database.</summary>
public sealed class MigrationsFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    /// <summary>The running server.</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException("xunit starts the fixture before the first test.");

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Runs a script as the owner, as psql would: its own BEGIN and COMMIT included.</summary>
    /// <param name="connectionString">The database's owner connection string.</param>
    /// <param name="sql">The script.</param>
    /// <returns>A task that completes when the script ran.</returns>
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a query as the owner and returns its first column, one string per row.</summary>
    /// <param name="connectionString">The database's owner connection string.</param>
    /// <param name="sql">The query.</param>
    /// <returns>The values, as text.</returns>
    public static async Task<string[]> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new System.Collections.Generic.List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.IsDBNull(0) ? "" : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows.ToArray();
    }
}

/// <summary>The tests that share <see cref="MigrationsFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class MigrationsCollection : ICollectionFixture<MigrationsFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "EF migrations";
}
