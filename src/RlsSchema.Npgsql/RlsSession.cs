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
/// (without the role when the login role is the session's role); the statements run in
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
public sealed class RlsSession : IRlsSession, IAsyncDisposable
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
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "ADO.NET's shape")]
    public ValueTask<RlsTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default) =>
        BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

    /// <inheritdoc />
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "ADO.NET's shape")]
    public async ValueTask<RlsTransaction> BeginTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_transaction is not null)
        {
            throw new InvalidOperationException("The session already has an open transaction; commit or roll it back first.");
        }

        ThrowIfExpired();
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _transaction = await connection.BeginTransactionAsync(isolationLevel, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _connection = connection;
        _transactionConfigured = false;
        _current = new RlsTransaction(this);
        return _current;
    }

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

    internal bool IsCurrent(RlsTransaction transaction) => ReferenceEquals(_current, transaction);

    internal async Task CommitAsync(RlsTransaction owner, CancellationToken cancellationToken)
    {
        var transaction = Current(owner);
        try
        {
            ThrowIfExpired();
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrors.InsufficientPrivilege)
        {
            throw PostgresErrors.ToAuthorization(e);
        }
        finally
        {
            await EndTransactionAsync().ConfigureAwait(false);
        }
    }

    internal async Task RollbackAsync(RlsTransaction owner, CancellationToken cancellationToken)
    {
        var transaction = Current(owner);
        try
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await EndTransactionAsync().ConfigureAwait(false);
        }
    }

    internal ValueTask EndAsync(RlsTransaction owner) => IsCurrent(owner) ? EndTransactionAsync() : ValueTask.CompletedTask;

    private NpgsqlTransaction Current(RlsTransaction owner) =>
        IsCurrent(owner) && _transaction is { } transaction
            ? transaction
            : throw new InvalidOperationException("The transaction has already been committed, rolled back or disposed.");

    private void ThrowIfExpired()
    {
        if (_clock.GetUtcNow() > _refuseAfter)
        {
            throw new RlsTokenException(TokenFailure.Expired, "The session's token has expired; open a new session with a fresh token.");
        }
    }

    private async Task<TResult> RunAsync<TResult>(
        string sql,
        object? parameters,
        Func<DbDataReader, CancellationToken, Task<TResult>> read,
        CancellationToken cancellationToken,
        bool countRows = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_clock.GetUtcNow() > _refuseAfter)
        {
            // Nothing more may run on the expired token, and nothing it began may be kept.
            await EndTransactionAsync().ConfigureAwait(false);
            ThrowIfExpired();
        }

        var transaction = _transaction;
        var connection = transaction is null
            ? await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false)
            : _connection!;
        var withSettings = _settings.SwitchesRole && (transaction is null || !_transactionConfigured);
        var failed = true;
        try
        {
            var batch = new NpgsqlBatch(connection, transaction);
            await using (batch.ConfigureAwait(false))
            {
                if (withSettings)
                {
                    batch.BatchCommands.Add(SettingsCommand());
                }

                batch.BatchCommands.Add(StatementCommand(connection, sql, parameters));
                var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (withSettings)
                    {
                        // The settings command's one row; the caller's statement follows in the same round trip.
                        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                    }

                    var result = await read(reader, cancellationToken).ConfigureAwait(false);

                    // Errors after the first result surface only when the rest of the results are read.
                    while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
                    {
                    }

                    if (transaction is not null)
                    {
                        _transactionConfigured = true;
                    }

                    failed = false;
                    if (countRows)
                    {
                        return (TResult)(object)reader.RecordsAffected;
                    }

                    return result;
                }
            }
        }
        catch (PostgresException e) when (withSettings && IsRoleRefusal(e))
        {
            throw new InvalidOperationException(
                e.SqlState == PostgresErrors.InsufficientPrivilege
                    ? $"The session login may not switch to the role '{Role}' ({_settings.Option}): as the owner, GRANT \"{Role}\" TO the login role of the session connection."
                    : $"The role '{Role}' ({_settings.Option}) does not exist in the database: apply the schema script, which creates the roles its policies name, or set {_settings.Option} to a role that exists.",
                e);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrors.InsufficientPrivilege)
        {
            throw PostgresErrors.ToAuthorization(e);
        }
        catch (PostgresException e) when (IsReadOnly && e.SqlState == PostgresErrors.ReadOnlySqlTransaction)
        {
            throw PostgresErrors.WriteInReadOnlySession(e);
        }
        finally
        {
            if (transaction is null)
            {
                if (failed)
                {
                    ForgetPreparedStatements(connection);
                }

                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else if (failed)
            {
                _forgetPreparedOnEnd = true;
            }
        }
    }

    // Npgsql can lose track of an auto-prepared statement whose execution failed (the use that prepares it included),
    // and then reads a later statement's rows against the wrong description on this pooled connection. After a failure
    // the connection's prepared statements are dropped, on the server and in Npgsql, before it goes back to the pool.
    // Outside a transaction only: an aborted transaction runs nothing until it ends.
    private static void ForgetPreparedStatements(NpgsqlConnection connection)
    {
        if (connection.State != ConnectionState.Open)
        {
            return;
        }

        try
        {
            connection.UnprepareAll();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // A connection that cannot run DEALLOCATE ALL is broken, and the pool discards a broken connection.
        }
    }

    // set_config('role', ...) names the role in its refusal: "role "x" does not exist", "permission denied to set role "x"".
    private bool IsRoleRefusal(PostgresException e) =>
        e.SqlState is UndefinedObject or InvalidParameterValue or PostgresErrors.InsufficientPrivilege
        && e.MessageText.Contains("role \"" + Role + "\"", StringComparison.Ordinal)
        && !e.MessageText.Contains("row-level security", StringComparison.Ordinal);

    // Dapper's typed row parser cannot cast its untyped delegate for single-column reference types such as string,
    // so take the untyped one and convert the way Dapper's own Query<T> does.
    private static Func<DbDataReader, T> RowParser<T>(DbDataReader reader)
    {
        var parse = reader.GetRowParser(typeof(T));
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return row =>
        {
            var value = parse(row);
            if (value is null or DBNull)
            {
                return default!;
            }

            if (value is T typed)
            {
                return typed;
            }

            return (T)(target.IsEnum
                ? Enum.ToObject(target, value)
                : Convert.ChangeType(value, target, CultureInfo.InvariantCulture));
        };
    }

    // The settings as one command with typed positional parameters, in the order SessionSettings.Statement numbers them.
    private NpgsqlBatchCommand SettingsCommand()
    {
        var command = new NpgsqlBatchCommand(_settings.Statement);
        if (!_settings.LoginIsRole)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Role });
        }

        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Claims });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = UserId ?? "" });
        return command;
    }

    // The caller's statement with its parameters bound by Dapper, as Dapper's own Query and Execute bind them (list
    // expansion, literal replacement, type handlers), then moved from the unexecuted command into the batch command.
    private static NpgsqlBatchCommand StatementCommand(NpgsqlConnection connection, string sql, object? parameters)
    {
        if (parameters is null)
        {
            return new NpgsqlBatchCommand(sql);
        }

        using var bound = new NpgsqlCommand(sql, connection);
        new DynamicParameters(parameters).AddParameters(bound);
        var command = new NpgsqlBatchCommand(bound.CommandText);
        var all = new NpgsqlParameter[bound.Parameters.Count];
        bound.Parameters.CopyTo(all, 0);
        bound.Parameters.Clear();
        foreach (var parameter in all)
        {
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private async ValueTask EndTransactionAsync()
    {
        var transaction = _transaction;
        var connection = _connection;
        _transaction = null;
        _connection = null;
        _current = null;
        _transactionConfigured = false;
        var forgetPrepared = _forgetPreparedOnEnd;
        _forgetPreparedOnEnd = false;
        if (transaction is not null)
        {
            try
            {
                // Rolls back unless committed; a broken connection is discarded by the pool rather than reused.
                await transaction.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ObjectDisposedException)
            {
            }
        }

        if (connection is not null)
        {
            if (forgetPrepared)
            {
                ForgetPreparedStatements(connection);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
