using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace RlsSchema.Npgsql;

/// <summary>
/// The entry point of the runtime: applies the schema as the owner, and opens sessions in which an end user's
/// validated token decides, through row-level security, what the user's queries see and change.
/// Thread-safe; keep one for the application's lifetime.
/// </summary>
public sealed class RlsDataSource : IAsyncDisposable
{
    // One lock id for every RlsSchema migration of a database; advisory locks are per database.
    private const long MigrationLockId = 0x524C_5353_6368_656D; // "RLSSchem"

    private readonly NpgsqlDataSource? _owner;
    private readonly SessionConnections? _sessions;
    private readonly SessionConnections? _readOnlySessions;
    private readonly JwtValidator? _validator;
    private readonly bool _ownsResources;
    private readonly string _authenticatedRole;
    private readonly string _anonymousRole;

    /// <summary>Creates a data source from connection strings and token validation options.</summary>
    /// <param name="options">The owner and session connections, and how tokens are validated.</param>
    /// <exception cref="ArgumentException">A connection string or a validation option is invalid.</exception>
    public RlsDataSource(RlsDataSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateRoles(options.AuthenticatedRole, options.AnonymousRole);
        _ownsResources = true;
        _authenticatedRole = options.AuthenticatedRole;
        _anonymousRole = options.AnonymousRole;
        _owner = options.OwnerConnectionString is { } owner ? NpgsqlDataSource.Create(PostgresConnectionString.ToNpgsql(owner)) : null;
        _sessions = options.AuthenticatedConnectionString is { } sessions ? SessionConnections.Create(sessions) : null;
        _readOnlySessions = options.ReadOnlyConnectionString is { } readOnly ? SessionConnections.Create(readOnly) : null;
        _validator = options.Jwt is { } jwt ? new JwtValidator(jwt) : null;
    }

    /// <summary>
    /// Creates a data source over Npgsql data sources the caller built and keeps owning (for custom type mappings,
    /// logging or pooling settings). They are not disposed with this data source.
    /// </summary>
    /// <param name="ownerDataSource">Connects as the schema owner, for <see cref="MigrateAsync"/>; null when this process never migrates.</param>
    /// <param name="sessionDataSource">Connects as the low-privilege login sessions run under; null when no session is opened.</param>
    /// <param name="tokenValidator">Validates tokens; null when only anonymous sessions are opened. Not disposed with this data source.</param>
    /// <param name="authenticatedRole">The role of authenticated sessions.</param>
    /// <param name="anonymousRole">The role of anonymous sessions.</param>
    public RlsDataSource(
        NpgsqlDataSource? ownerDataSource,
        NpgsqlDataSource? sessionDataSource,
        JwtValidator? tokenValidator,
        string authenticatedRole = "authenticated",
        string anonymousRole = "anonymous")
    {
        ValidateRoles(authenticatedRole, anonymousRole);
        _owner = ownerDataSource;
        _sessions = sessionDataSource is null ? null : SessionConnections.Over(sessionDataSource);
        _validator = tokenValidator;
        _authenticatedRole = authenticatedRole;
        _anonymousRole = anonymousRole;
    }

    /// <summary>
    /// Creates a data source from the environment: <c>DATABASE_URL</c>, <c>DATABASE_AUTHENTICATED_URL</c>,
    /// <c>RLS_JWKS_URL</c> or <c>WORKOS_CLIENT_ID</c>, <c>RLS_JWT_ISSUER</c>, <c>RLS_JWT_AUDIENCE</c>.
    /// </summary>
    /// <returns>The data source.</returns>
    /// <exception cref="InvalidOperationException">Neither <c>DATABASE_URL</c> nor <c>DATABASE_AUTHENTICATED_URL</c> is set.</exception>
    public static RlsDataSource FromEnvironment()
    {
        var options = RlsDataSourceOptions.FromEnvironment();
        if (options.OwnerConnectionString is null && options.AuthenticatedConnectionString is null)
        {
            throw new InvalidOperationException(
                "Set DATABASE_URL (the schema owner's connection) and DATABASE_AUTHENTICATED_URL (the connection sessions use), as postgres:// URLs or Npgsql connection strings.");
        }

        return new RlsDataSource(options);
    }

    /// <summary>The token validator, or null when no JWKS is configured.</summary>
    public JwtValidator? TokenValidator => _validator;

    /// <summary>
    /// Applies a migration script as the owner, in one transaction, holding a transaction-scoped advisory lock so that
    /// instances starting together apply it one after the other. The script must be idempotent (the generated one is),
    /// so applying it again is harmless.
    /// </summary>
    /// <param name="script">The SQL script, for example the generated <c>RlsSchemaScript.Sql</c>.</param>
    /// <param name="cancellationToken">Cancels the migration; nothing of it is kept.</param>
    /// <exception cref="InvalidOperationException">No owner connection is configured.</exception>
    public async Task MigrateAsync(string script, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(script);
        var owner = _owner ?? throw new InvalidOperationException(
            "No owner connection is configured: set DATABASE_URL (RlsDataSourceOptions.OwnerConnectionString) to migrate.");

        var connection = await owner.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Opens a session for the bearer of <paramref name="jwt"/>: the token is validated first, and only a valid
    /// token gives a session in the authenticated role with the token's claims. A null or empty token gives an
    /// anonymous session. No connection is opened here; the session's statements take one from the pool.
    /// </summary>
    /// <param name="jwt">The end user's token (compact JWS, without <c>Bearer </c>), or null.</param>
    /// <param name="cancellationToken">Cancels a key set fetch.</param>
    /// <returns>The session; dispose it when the request ends.</returns>
    /// <exception cref="RlsTokenException">The token was refused. No connection was opened and no SQL ran.</exception>
    /// <exception cref="InvalidOperationException">No session connection, or no JWKS for a given token, is configured.</exception>
    public ValueTask<RlsSession> OpenSessionAsync(string? jwt, CancellationToken cancellationToken = default) =>
        OpenAsync(SessionDataSource(), jwt, isReadOnly: false, cancellationToken);

    /// <summary>
    /// Opens a session that only reads, for the bearer of <paramref name="jwt"/> (validated as by
    /// <see cref="OpenSessionAsync"/>): on <see cref="RlsDataSourceOptions.ReadOnlyConnectionString"/> when set (a standby),
    /// else on the session connection. Its transactions are <c>READ ONLY</c> on any host, in the same round trip as
    /// the settings; the policies that hold on the primary hold on a standby too, since they are replicated with the data.
    /// A standby may lag: a user may not yet see a write that a read-write session just committed.
    /// </summary>
    /// <param name="jwt">The end user's token (compact JWS, without <c>Bearer </c>), or null for an anonymous session.</param>
    /// <param name="cancellationToken">Cancels a key set fetch.</param>
    /// <returns>The session; dispose it when the request ends. A write through it throws <see cref="InvalidOperationException"/>.</returns>
    /// <exception cref="RlsTokenException">The token was refused. No connection was opened and no SQL ran.</exception>
    /// <exception cref="InvalidOperationException">No session connection, or no JWKS for a given token, is configured.</exception>
    public ValueTask<RlsSession> OpenReadOnlySessionAsync(string? jwt, CancellationToken cancellationToken = default) =>
        OpenAsync(_readOnlySessions ?? SessionDataSource(), jwt, isReadOnly: true, cancellationToken);

    /// <summary>Opens a session with no user: the anonymous role and no claims, so <c>auth.user_id()</c> is null.</summary>
    /// <param name="cancellationToken">Unused; no connection is opened here.</param>
    /// <returns>The session; dispose it when the request ends.</returns>
    /// <exception cref="InvalidOperationException">No session connection is configured.</exception>
    public ValueTask<RlsSession> OpenAnonymousSessionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(new RlsSession(SessionDataSource(), _anonymousRole, "", null));
    }

    /// <summary>Closes the pools and the key fetcher this data source created.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_ownsResources)
        {
            return;
        }

        _validator?.Dispose();
        if (_sessions is not null)
        {
            await _sessions.DisposeAsync().ConfigureAwait(false);
        }

        if (_readOnlySessions is not null)
        {
            await _readOnlySessions.DisposeAsync().ConfigureAwait(false);
        }

        if (_owner is not null)
        {
            await _owner.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<RlsSession> OpenAsync(SessionConnections dataSource, string? jwt, bool isReadOnly, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(jwt))
        {
            return new RlsSession(dataSource, _anonymousRole, "", null, isReadOnly);
        }

        var validator = _validator ?? throw new InvalidOperationException(
            "A token was given but no JWKS is configured: set RLS_JWKS_URL or WORKOS_CLIENT_ID (RlsDataSourceOptions.Jwt).");
        var token = await validator.ValidateAsync(jwt, cancellationToken).ConfigureAwait(false);
        return new RlsSession(dataSource, _authenticatedRole, token.ClaimsJson, token.Subject, isReadOnly);
    }

    private SessionConnections SessionDataSource() => _sessions ?? throw new InvalidOperationException(
        "No session connection is configured: set DATABASE_AUTHENTICATED_URL (RlsDataSourceOptions.AuthenticatedConnectionString). End users' queries never run on the owner's connection.");

    private static void ValidateRoles(string authenticatedRole, string anonymousRole)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(authenticatedRole);
        ArgumentException.ThrowIfNullOrWhiteSpace(anonymousRole);
    }
}
