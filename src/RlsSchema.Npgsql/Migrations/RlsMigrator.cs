using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Npgsql.Migrations;

namespace RlsSchema.Npgsql;

/// <summary>
/// Applies a project's migrations (<c>RlsSchema.Generated.RlsMigrations.All</c>) as the database owner and records
/// them in <c>rls_schema.migrations</c>. Each migration runs in its own transaction under a transaction-scoped
/// advisory lock, and the history is read again under that lock, so concurrent migrators (several instances starting
/// at once) and transaction poolers apply each migration exactly once. Owner-only: end users' data sources never hold one.
/// </summary>
public sealed class RlsMigrator : IAsyncDisposable
{
    // One lock id for every RlsSchema migration of a database; advisory locks are per database.
    private const long MigrationLockId = 0x524C_5353_6368_656D; // "RLSSchem"

    private readonly NpgsqlDataSource _owner;
    private readonly bool _ownsDataSource;
    private readonly string[] _sessionRoles;

    /// <summary>Creates a migrator that connects as the owner.</summary>
    /// <param name="ownerConnectionString">The owner's connection (<c>DATABASE_URL</c>): a <c>postgres://</c> URL or an Npgsql connection string.</param>
    /// <param name="authenticatedRole">The role of authenticated sessions, which may read the applied migration ids.</param>
    /// <param name="anonymousRole">The role of anonymous sessions, which may read the applied migration ids.</param>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    public RlsMigrator(string ownerConnectionString, string authenticatedRole = "authenticated", string anonymousRole = "anonymous")
        : this(NpgsqlDataSource.Create(PostgresConnectionString.ToNpgsql(ownerConnectionString)), authenticatedRole, anonymousRole) =>
        _ownsDataSource = true;

    /// <summary>Creates a migrator over an Npgsql data source that connects as the owner; the caller keeps owning it.</summary>
    /// <param name="ownerDataSource">Connects as the schema owner.</param>
    /// <param name="authenticatedRole">The role of authenticated sessions, which may read the applied migration ids.</param>
    /// <param name="anonymousRole">The role of anonymous sessions, which may read the applied migration ids.</param>
    public RlsMigrator(NpgsqlDataSource ownerDataSource, string authenticatedRole = "authenticated", string anonymousRole = "anonymous")
    {
        ArgumentNullException.ThrowIfNull(ownerDataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(authenticatedRole);
        ArgumentException.ThrowIfNullOrWhiteSpace(anonymousRole);
        _owner = ownerDataSource;
        _sessionRoles = new[] { authenticatedRole, anonymousRole };
    }

    /// <summary>
    /// Applies the pending migrations in order. Before applying anything it checks the database's history against
    /// <paramref name="migrations"/> and refuses, applying nothing, when an applied migration's file changed (its
    /// checksum differs), when the database holds a migration the application does not know, or when a pending
    /// migration is older than one already applied.
    /// </summary>
    /// <remarks>
    /// A database created earlier from the create-only script (<c>RlsSchemaScript.Sql</c>) has no history. The first
    /// migration is then applied inside its transaction and the tables that existed before are compared, as PostgreSQL
    /// normalises them, with what they are after: when the migration changed none of them the database already held
    /// its objects and the migration is recorded as applied; otherwise it is rolled back and refused.
    /// </remarks>
    /// <param name="migrations">The application's migrations, for example <c>RlsSchema.Generated.RlsMigrations.All</c>.</param>
    /// <param name="progress">Told of each migration as it starts; null for silence.</param>
    /// <param name="cancellationToken">Cancels the migration in progress, which is then rolled back.</param>
    /// <returns>The migrations this call applied, in order; empty when the database was up to date.</returns>
    /// <exception cref="RlsMigrationException">The history does not fit the migrations; nothing was applied.</exception>
    /// <exception cref="ArgumentException">Two migrations share an id, or a migration's checksum is not its SQL's.</exception>
    public async Task<IReadOnlyList<RlsMigration>> MigrateAsync(
        IEnumerable<RlsMigration> migrations,
        IProgress<RlsMigration>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var known = Validate(migrations);
        var applied = new List<RlsMigration>();
        while (true)
        {
            var connection = await _owner.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(" + MigrationLockId + ")", cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, transaction, MigrationHistory.SetUpSql, cancellationToken).ConfigureAwait(false);
                    var history = await MigrationHistory.ReadAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                    var next = NextPending(known, history);
                    if (next is null)
                    {
                        await MigrationHistory.GrantAsync(connection, transaction, _sessionRoles, cancellationToken).ConfigureAwait(false);
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        return applied;
                    }

                    progress?.Report(next);
                    if (history.Count == 0)
                    {
                        await AdoptOrApplyAsync(connection, transaction, next, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await ExecuteAsync(connection, transaction, next.Sql, cancellationToken).ConfigureAwait(false);
                    }

                    var record = new NpgsqlCommand("INSERT INTO rls_schema.migrations (id, name, checksum) VALUES (@id, @name, @checksum)", connection, transaction);
                    await using (record.ConfigureAwait(false))
                    {
                        record.Parameters.AddWithValue("id", next.Id);
                        record.Parameters.AddWithValue("name", next.Name);
                        record.Parameters.AddWithValue("checksum", next.Checksum);
                        await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await MigrationHistory.GrantAsync(connection, transaction, _sessionRoles, cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    applied.Add(next);
                }
            }
        }
    }

    /// <summary>Lists each migration and whether the database holds it. Changes nothing.</summary>
    /// <param name="migrations">The application's migrations.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One status per migration, by id.</returns>
    /// <exception cref="RlsMigrationException">The database holds a migration the application does not know, or one whose file changed.</exception>
    public async Task<IReadOnlyList<RlsMigrationStatus>> ListAsync(IEnumerable<RlsMigration> migrations, CancellationToken cancellationToken = default)
    {
        var known = Validate(migrations);
        var connection = await _owner.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var history = await MigrationHistory.ReadAsync(connection, null, cancellationToken).ConfigureAwait(false);
            CheckHistory(known, history);
            var appliedAt = history.ToDictionary(h => h.Id, h => h.AppliedAt);
            return known.Select(m => new RlsMigrationStatus(m, appliedAt.TryGetValue(m.Id, out var at) ? at : null)).ToList();
        }
    }

    /// <summary>Closes the pool this migrator created from a connection string.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _owner.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The checksum of a migration's SQL: the lower-case hex SHA-256 of its UTF-8 bytes.</summary>
    /// <param name="sql">The SQL, with <c>\n</c> line ends.</param>
    /// <returns>The checksum.</returns>
    public static string Checksum(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
    }

    private static List<RlsMigration> Validate(IEnumerable<RlsMigration> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        var list = migrations.OrderBy(m => m.Id).ToList();
        for (int i = 0; i < list.Count; i++)
        {
            if (i > 0 && list[i].Id == list[i - 1].Id)
            {
                throw new ArgumentException($"Two migrations have the id {list[i].Id}: {list[i - 1]} and {list[i]}. Renumber one of the files.", nameof(migrations));
            }

            if (!string.Equals(Checksum(list[i].Sql), list[i].Checksum, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The checksum of migration {list[i]} is not the SHA-256 of its SQL.", nameof(migrations));
            }
        }

        return list;
    }

    private static RlsMigration? NextPending(List<RlsMigration> known, IReadOnlyList<MigrationHistory.Entry> history)
    {
        CheckHistory(known, history);
        var appliedIds = history.Select(h => h.Id).ToHashSet();
        var next = known.FirstOrDefault(m => !appliedIds.Contains(m.Id));
        if (next is not null && history.Count > 0 && next.Id < history[^1].Id)
        {
            throw new RlsMigrationException(
                $"Migration {next} is pending but the later migration {history[^1].Id:D4}_{history[^1].Name} is already applied. "
                + "Give the pending migration a number after the applied ones (rename its file), so every database applies migrations in one order.");
        }

        return next;
    }

    private static void CheckHistory(List<RlsMigration> known, IReadOnlyList<MigrationHistory.Entry> history)
    {
        var byId = known.ToDictionary(m => m.Id);
        var unknown = history.Where(h => !byId.ContainsKey(h.Id)).ToList();
        if (unknown.Count > 0)
        {
            throw new RlsMigrationException(
                "The database holds migrations this application does not know: "
                + string.Join(", ", unknown.Select(h => $"{h.Id:D4}_{h.Name}"))
                + ". It was migrated by a newer version, or from another branch: deploy the version that has these migrations. Nothing was applied.");
        }

        var changed = history.Where(h => !string.Equals(byId[h.Id].Checksum, h.Checksum, StringComparison.Ordinal)).ToList();
        if (changed.Count > 0)
        {
            throw new RlsMigrationException(
                "Applied migrations changed since they were applied: "
                + string.Join(", ", changed.Select(h => byId[h.Id].ToString()))
                + ". A migration file must not change once a database holds it: restore the file from version control and put the change in a new migration. Nothing was applied.");
        }
    }

    private static async Task AdoptOrApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RlsMigration first, CancellationToken cancellationToken)
    {
        var before = await DatabaseCatalog.ReadAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, first.Sql, cancellationToken).ConfigureAwait(false);
        if (!DatabaseCatalog.HasTables(before))
        {
            return;
        }

        // Grants are left out: the create-only script grants on every table of public, the model's or not.
        var after = await DatabaseCatalog.ReadAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var existingTables = before.Select(DatabaseCatalog.TableOf).Where(t => t is not null).ToHashSet(StringComparer.Ordinal);
        var changed = DatabaseCatalog.Compare(before, after)
            .Where(d => !d.StartsWith("- grant ", StringComparison.Ordinal) && !d.StartsWith("+ grant ", StringComparison.Ordinal))
            .Where(d => DatabaseCatalog.TableOf(d.Substring(2)) is { } table && existingTables.Contains(table))
            .ToList();
        if (changed.Count > 0)
        {
            throw new RlsMigrationException(
                $"The database has no migration history but already holds tables that migration {first} would change:\n  "
                + string.Join("\n  ", changed.Take(20))
                + (changed.Count > 20 ? $"\n  ... and {changed.Count - 20} more" : "")
                + "\nIt was not created from this migration's model. Bring those tables to the first migration's model (or start from an empty database), then migrate again. Nothing was applied.");
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
