using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace RlsSchema.Npgsql.Migrations;

/// <summary>The <c>rls_schema.migrations</c> table: which migrations a database holds.</summary>
internal static class MigrationHistory
{
    // Created under the migration lock, inside each migration's transaction. The session roles may call only
    // rls_schema.applied_migration_ids() (a health check compares it with the application's migrations); the table
    // itself stays the owner's.
    public const string SetUpSql = """
        CREATE SCHEMA IF NOT EXISTS rls_schema;
        REVOKE ALL ON SCHEMA rls_schema FROM PUBLIC;
        CREATE TABLE IF NOT EXISTS rls_schema.migrations (
          id bigint PRIMARY KEY,
          name text NOT NULL,
          checksum text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        );
        REVOKE ALL ON rls_schema.migrations FROM PUBLIC;
        CREATE OR REPLACE FUNCTION rls_schema.applied_migration_ids() RETURNS SETOF bigint
          LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
          AS $fn$ SELECT id FROM rls_schema.migrations ORDER BY id $fn$;
        REVOKE ALL ON FUNCTION rls_schema.applied_migration_ids() FROM PUBLIC;
        """;

    /// <summary>Lets the given roles, those that exist, call <c>rls_schema.applied_migration_ids()</c>.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The transaction.</param>
    /// <param name="roles">The session roles.</param>
    /// <param name="cancellationToken">Cancels the grants.</param>
    /// <returns>A task.</returns>
    public static async Task GrantAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        // The session roles exist once the first migration ran; until then there is nobody to grant to.
        var existing = new List<string>();
        var query = new NpgsqlCommand("SELECT rolname::text FROM pg_roles WHERE rolname = ANY(@roles) ORDER BY 1", connection, transaction);
        await using (query.ConfigureAwait(false))
        {
            query.Parameters.AddWithValue("roles", roles);
            var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    existing.Add(reader.GetString(0));
                }
            }
        }

        foreach (var role in existing)
        {
            var quoted = "\"" + role.Replace("\"", "\"\"", System.StringComparison.Ordinal) + "\"";
            var grant = new NpgsqlCommand(
                "GRANT USAGE ON SCHEMA rls_schema TO " + quoted + "; GRANT EXECUTE ON FUNCTION rls_schema.applied_migration_ids() TO " + quoted + ";",
                connection,
                transaction);
            await using (grant.ConfigureAwait(false))
            {
                await grant.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One row of the history.</summary>
    /// <param name="Id">The migration id.</param>
    /// <param name="Name">Its name.</param>
    /// <param name="Checksum">Its checksum when applied.</param>
    /// <param name="AppliedAt">When it was applied.</param>
    public sealed record Entry(long Id, string Name, string Checksum, System.DateTimeOffset AppliedAt);

    /// <summary>Reads the history, or an empty list when the database has none.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The transaction, or null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows, by id.</returns>
    public static async Task<IReadOnlyList<Entry>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var entries = new List<Entry>();
        var exists = new NpgsqlCommand("SELECT to_regclass('rls_schema.migrations') IS NOT NULL", connection, transaction);
        await using (exists.ConfigureAwait(false))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return entries;
            }
        }

        var command = new NpgsqlCommand("SELECT id, name, checksum, applied_at FROM rls_schema.migrations ORDER BY id", connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    entries.Add(new Entry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<System.DateTimeOffset>(3)));
                }
            }
        }

        return entries;
    }
}
