using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Npgsql.Migrations;
using RlsSchema.Schema;

namespace RlsSchema.Npgsql;

/// <summary>
/// Applies the schema as its owner. The only object that holds the owner's credentials (<c>DATABASE_URL</c>), which bypass
/// row-level security: create one where the schema is deployed (at start-up or in a deployment step), apart from the
/// <see cref="RlsDataSource"/> that serves end users. It applies the project's versioned migrations
/// (<c>RlsSchema.Generated.RlsMigrations.All</c>) with their history in <c>rls_schema.migrations</c>, or a create-only
/// script such as <c>RlsSchemaScript.Sql</c>. Thread-safe.
/// </summary>
public sealed class RlsMigrator : IAsyncDisposable
{
    // One lock id for every RlsSchema migration of a database; advisory locks are per database.
    private const long MigrationLockId = 0x524C_5353_6368_656D; // "RLSSchem"

    private readonly NpgsqlDataSource _owner;
    private readonly string[] _sessionRoles;

    /// <summary>Creates a migrator that connects as the schema owner.</summary>
    /// <param name="ownerConnectionString">The owner's connection (<c>DATABASE_URL</c>): a <c>postgres://</c> URL or an Npgsql connection string.</param>
    /// <param name="authenticatedRole">The role of authenticated sessions (<see cref="RlsDataSourceBuilder.AuthenticatedRole"/>), which may read the applied migration ids.</param>
    /// <param name="anonymousRole">The role of anonymous sessions (<see cref="RlsDataSourceBuilder.AnonymousRole"/>), which may read the applied migration ids.</param>
    /// <exception cref="ArgumentException">The connection string is empty or malformed, or a role is empty.</exception>
    public RlsMigrator(string ownerConnectionString, string authenticatedRole = "authenticated", string anonymousRole = "anonymous")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerConnectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(authenticatedRole);
        ArgumentException.ThrowIfNullOrWhiteSpace(anonymousRole);
        _owner = NpgsqlDataSource.Create(PostgresConnectionString.ToNpgsql(ownerConnectionString));
        _sessionRoles = new[] { authenticatedRole, anonymousRole };
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
    /// <exception cref="RlsMigrationException">The history does not fit the migrations (nothing was applied), or a migration calls a function that does not exist (that migration was not applied).</exception>
    /// <exception cref="ArgumentException">Two migrations share an id, or a migration's checksum is not its SQL's.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "A script and a migration list never bind to each other's overload")]
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
                    try
                    {
                        // The model's first migration adopts a database made from the script; application SQL before it is just applied.
                        if (MigrationFiles.IsModelMigration(next.Sql) && history.All(h => known.FirstOrDefault(m => m.Id == h.Id) is not { } done || !MigrationFiles.IsModelMigration(done.Sql)))
                        {
                            await AdoptOrApplyAsync(connection, transaction, next, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await ExecuteAsync(connection, transaction, next.Sql, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    catch (PostgresException e) when (PostgresErrors.IsMissingFunction(e))
                    {
                        throw PostgresErrors.MissingFunction(e, "Migration " + next);
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

    /// <summary>
    /// Applies a migration script as the owner, in one transaction, holding a transaction-scoped advisory lock so that
    /// instances starting together apply it one after the other. The script must be idempotent (the generated one is),
    /// so applying it again is harmless.
    /// </summary>
    /// <param name="script">The SQL script, for example the generated <c>RlsSchemaScript.Sql</c>.</param>
    /// <param name="cancellationToken">Cancels the migration; nothing of it is kept.</param>
    /// <exception cref="ArgumentException">The script is empty.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "A script and a migration list never bind to each other's overload")]
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
                    try
                    {
                        await scriptCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (PostgresException e) when (PostgresErrors.IsMissingFunction(e))
                    {
                        throw PostgresErrors.MissingFunction(e, "The script");
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Closes the owner's connection pool.</summary>
    /// <returns>A task.</returns>
    public ValueTask DisposeAsync() => _owner.DisposeAsync();

    /// <summary>The checksum of a migration's SQL: the lower-case hex SHA-256 of its UTF-8 bytes (the rule the generator embeds with).</summary>
    /// <param name="sql">The SQL, with <c>\n</c> line ends.</param>
    /// <returns>The checksum.</returns>
    internal static string Checksum(string sql) => MigrationFiles.Checksum(sql);

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
        var before = CatalogLines.Of(await CatalogReader.ReadAsync(connection, transaction, CatalogScope.Everything, cancellationToken).ConfigureAwait(false));
        await ExecuteAsync(connection, transaction, first.Sql, cancellationToken).ConfigureAwait(false);
        if (!CatalogLines.HasTables(before))
        {
            return;
        }

        // Grants are left out: the create-only script grants on every table of public, the model's or not.
        var after = CatalogLines.Of(await CatalogReader.ReadAsync(connection, transaction, CatalogScope.Everything, cancellationToken).ConfigureAwait(false));
        var existingTables = before.Select(CatalogLines.TableOf).Where(t => t is not null).ToHashSet(StringComparer.Ordinal);
        var changed = CatalogLines.Compare(before, after)
            .Where(d => !d.StartsWith("- grant ", StringComparison.Ordinal) && !d.StartsWith("+ grant ", StringComparison.Ordinal))
            .Where(d => CatalogLines.TableOf(d.Substring(2)) is { } table && existingTables.Contains(table))
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
