using System;
using System.Collections.Generic;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using Npgsql;

namespace RlsSchema.Npgsql;

/// <summary>
/// One end user's view of the database: every statement runs in the user's role with the user's validated claims,
/// so row-level security policies decide what it reads and changes.
/// </summary>
/// <remarks>
/// <para>
/// By default each statement is sent in one round trip, as the last command of an <see cref="NpgsqlBatch"/> whose first command is
/// <c>SELECT set_config('role', ..., true), set_config('request.jwt.claims', ..., true), set_config('request.jwt.claim.sub', ..., true)</c>
/// (without the role when the login role is the session's role, and without the claims when
/// <see cref="RlsDataSourceBuilder.UseClaimsRead"/> says nothing reads a claim but <c>sub</c>); the statements run in
/// PostgreSQL's implicit transaction, which ends with the round trip, so the settings end with it and the pooled
/// connection goes back to the pool with neither role nor claims. Between statements the session holds no connection.
/// </para>
/// <para>
/// After <see cref="BeginTransactionAsync(CancellationToken)"/> the session holds one connection and one transaction until
/// the <see cref="RlsTransaction"/> is committed, rolled back or disposed (which rolls back); the settings ride along with
/// the transaction's first statement. A session is not meant for concurrent use.
/// </para>
/// <para>
/// A session never outlives its token: once the token's <c>exp</c> (plus the clock skew) has passed, the next statement
/// is refused with <see cref="RlsTokenException"/> (<see cref="TokenFailure.Expired"/>) before a connection is taken, and an
/// open transaction is rolled back.
/// </para>
/// <para>
/// The SQL given to a session is trusted application code and is one statement: it runs as its own command of the
/// batch, and PostgreSQL refuses more than one statement in it (<c>42601</c>) before any of them runs. It should not end
/// the transaction (<c>COMMIT</c>) or change role or claims itself.
/// </para>
/// </remarks>
public sealed partial class RlsSession : IRlsSession, IAsyncDisposable
{
    // PostgreSQL's answers when the role to switch to does not exist, or the login role may not switch to it.
    private const string UndefinedObject = "42704";
    private const string InvalidParameterValue = "22023";

    private readonly SessionConnections _dataSource;
    private readonly SessionSettings _settings;
    private readonly TimeProvider _clock;
    private readonly DateTimeOffset _refuseAfter;
    private NpgsqlConnection? _connection;

    // A statement of the open transaction failed: its connection's prepared statements are forgotten when it ends.
    private bool _forgetPreparedOnEnd;
    private NpgsqlTransaction? _transaction;
    private RlsTransaction? _current;
    private Exception? _firstFailure;
    private bool _transactionConfigured;
    private bool _disposed;

    // Dapper's type handlers live in one process-wide registry; register the column types Dapper lacks once.
    static RlsSession() => RlsColumnTypes.RegisterScalars();

    internal RlsSession(SessionConnections dataSource, SessionSettings settings, ValidatedToken? token, JwtValidationOptions? validation)
    {
        _dataSource = dataSource;
        _settings = settings;
        Claims = token?.ClaimsJson ?? "";
        UserId = token?.Subject;
        ExpiresAt = token?.ExpiresAt;
        _clock = validation?.TimeProvider ?? TimeProvider.System;
        _refuseAfter = token is null ? DateTimeOffset.MaxValue : token.ExpiresAt + validation!.ClockSkew;
    }

    /// <summary>The end user's id (the token's <c>sub</c>), or null in an anonymous session.</summary>
    public string? UserId { get; }

    /// <summary>True when the session has no user: it runs in the anonymous role with no claims.</summary>
    public bool IsAnonymous => UserId is null && !IsService;

    /// <summary>
    /// True for a session of an <see cref="RlsServiceDataSource"/>: it runs as its login role, sets no claims, and row-level
    /// security does not filter it.
    /// </summary>
    public bool IsService => !_settings.SwitchesRole;

    /// <summary>The database role the session's statements run in.</summary>
    public string Role => _settings.Role;

    /// <summary>The validated token payload (JSON) that <c>auth.session()</c> returns, or an empty string in an anonymous session.</summary>
    public string Claims { get; }

    /// <summary>
    /// True for a session opened with <see cref="RlsDataSource.OpenReadOnlySessionAsync"/>: its transactions are
    /// <c>READ ONLY</c> and may run on a standby; a write through it fails with <see cref="InvalidOperationException"/>.
    /// </summary>
    public bool IsReadOnly => _settings.ReadOnly;

    /// <summary>When the session's token expires (<c>exp</c>); null in an anonymous session.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>True while a transaction begun with <see cref="BeginTransactionAsync(CancellationToken)"/> is open.</summary>
    public bool InTransaction => _transaction is not null;


    /// <inheritdoc />
    public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        RunAsync(sql, parameters, static async (reader, token) =>
        {
            var rows = new List<T>();
            if (reader.FieldCount == 0)
            {
                return (IReadOnlyList<T>)rows;
            }

            var parse = RowParser<T>(reader);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                rows.Add(parse(reader));
            }

            return rows;
        }, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The query returned more than one row.</exception>
    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        RunAsync(sql, parameters, static async (reader, token) =>
        {
            if (reader.FieldCount == 0 || !await reader.ReadAsync(token).ConfigureAwait(false))
            {
                return default(T);
            }

            var row = RowParser<T>(reader)(reader);
            if (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                throw new InvalidOperationException("The query returned more than one row.");
            }

            return row;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<int> ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        RunAsync(sql, parameters, static (_, _) => Task.FromResult(0), cancellationToken, countRows: true);

    /// <summary>Rolls back an open transaction and returns its connection to the pool. Never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await EndTransactionAsync().ConfigureAwait(false);
    }


    /// <summary>Whether the session sets role and claims ahead of its statements; a service session sets neither.</summary>
    internal bool SetsSettings => _settings.SwitchesRole;

    /// <summary>
    /// Refuses a statement that an integration (EF Core) is about to send as this session: the session is disposed, or its
    /// token has expired (<see cref="RlsTokenException"/>, <see cref="TokenFailure.Expired"/>). Nothing has run.
    /// </summary>
    internal void EnsureCanRun()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfExpired();
    }

    private void ThrowIfExpired()
    {
        if (_clock.GetUtcNow() > _refuseAfter)
        {
            throw new RlsTokenException(TokenFailure.Expired, "The session's token has expired; open a new session with a fresh token.");
        }
    }
}
