using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace RlsSchema.Npgsql;

/// <summary>
/// Applies the schema as its owner. The only object that holds the owner's credentials (<c>DATABASE_URL</c>), which bypass
/// row-level security: create one where the schema is deployed (at start-up or in a deployment step), apart from the
/// <see cref="RlsDataSource"/> that serves end users. Thread-safe.
/// </summary>
public sealed class RlsMigrator : IAsyncDisposable
{
    // One lock id for every RlsSchema migration of a database; advisory locks are per database.
    private const long MigrationLockId = 0x524C_5353_6368_656D; // "RLSSchem"

    private readonly NpgsqlDataSource _owner;

    /// <summary>Creates a migrator that connects as the schema owner.</summary>
    /// <param name="ownerConnectionString">The owner's connection (<c>DATABASE_URL</c>): a <c>postgres://</c> URL or an Npgsql connection string.</param>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    public RlsMigrator(string ownerConnectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerConnectionString);
        _owner = NpgsqlDataSource.Create(PostgresConnectionString.ToNpgsql(ownerConnectionString));
    }

    /// <summary>Creates a migrator from <c>DATABASE_URL</c>.</summary>
    /// <param name="getVariable">Reads one variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    /// <returns>The migrator; dispose it.</returns>
    /// <exception cref="InvalidOperationException"><c>DATABASE_URL</c> is not set.</exception>
    /// <exception cref="ArgumentException"><c>DATABASE_URL</c> is malformed; the message says how.</exception>
    public static RlsMigrator FromEnvironment(Func<string, string?>? getVariable = null)
    {
        var url = new EnvironmentVariables(getVariable).Read(EnvironmentVariables.OwnerUrl) ?? throw new InvalidOperationException(
            "Set DATABASE_URL to the schema owner's connection (a postgres:// URL or an Npgsql connection string) to migrate.");
        try
        {
            return new RlsMigrator(url);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{EnvironmentVariables.OwnerUrl} is not a usable connection: {e.Message}", e);
        }
    }

    /// <summary>
    /// Applies a migration script as the owner, in one transaction, holding a transaction-scoped advisory lock so that
    /// instances starting together apply it one after the other. The script must be idempotent (the generated one is),
    /// so applying it again is harmless.
    /// </summary>
    /// <param name="script">The SQL script, for example the generated <c>RlsSchemaScript.Sql</c>.</param>
    /// <param name="cancellationToken">Cancels the migration; nothing of it is kept.</param>
    /// <exception cref="ArgumentException">The script is empty.</exception>
    public async Task MigrateAsync(string script, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(script);
        var connection = await _owner.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@id)", connection, transaction);
                await using (lockCommand.ConfigureAwait(false))
                {
                    lockCommand.Parameters.AddWithValue("id", MigrationLockId);
                    await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                var scriptCommand = new NpgsqlCommand(script, connection, transaction);
                await using (scriptCommand.ConfigureAwait(false))
                {
                    await scriptCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Closes the owner's connection pool.</summary>
    public ValueTask DisposeAsync() => _owner.DisposeAsync();
}
