using System;
using System.Collections.Generic;
using System.Data;
using System.Data.Common;
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
/// By default each statement is sent in one round trip together with
/// <c>SELECT set_config('role', ..., true), set_config('request.jwt.claims', ..., true)</c>; the statements run in
/// PostgreSQL's implicit transaction, which ends with the round trip, so the settings end with it and the pooled
/// connection goes back to the pool with neither role nor claims. Between statements the session holds no connection.
/// </para>
/// <para>
/// After <see cref="BeginTransactionAsync"/> the session holds one connection and one transaction until
/// <see cref="CommitAsync"/>, <see cref="RollbackAsync"/> or <see cref="DisposeAsync"/> (which rolls back); the settings
/// ride along with the transaction's first statement. A session is not meant for concurrent use.
/// </para>
/// <para>
/// The SQL given to a session is trusted application code: it should not end the transaction (<c>COMMIT</c>) or change
/// role or claims itself. If it does, later statements of the same round trip run as the login role, which holds no
/// privileges, or with no claims, which no ownership policy matches.
/// </para>
/// </remarks>
public sealed class RlsSession : IRlsSession, IAsyncDisposable
{
    // Parameter names a caller's SQL is unlikely to use; the values are always parameters, never spliced in.
    private const string RoleParameter = "__rls_role";
    private const string ClaimsParameter = "__rls_claims";
    private const string SettingsStatement =
        "SELECT set_config('role', @" + RoleParameter + ", true), set_config('request.jwt.claims', @" + ClaimsParameter + ", true);\n";

    // A read-only session's transaction is READ ONLY on any host; on a primary too, so that it behaves as on a standby.
    private const string ReadOnlySettingsStatement =
        "SELECT set_config('role', @" + RoleParameter + ", true), set_config('request.jwt.claims', @" + ClaimsParameter + ", true), "
        + "set_config('transaction_read_only', 'on', true);\n";

    private readonly SessionConnections _dataSource;
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private bool _transactionConfigured;
    private bool _disposed;

    // Dapper's type handlers live in one process-wide registry; register the column types Dapper lacks once.
    static RlsSession() => RlsColumnTypes.RegisterScalars();

    internal RlsSession(SessionConnections dataSource, string role, string claims, string? userId, bool isReadOnly = false)
    {
        _dataSource = dataSource;
        IsReadOnly = isReadOnly;
        Role = role;
        Claims = claims;
        UserId = userId;
    }

    /// <summary>The end user's id (the token's <c>sub</c>), or null in an anonymous session.</summary>
    public string? UserId { get; }

    /// <summary>True when the session has no user: it runs in the anonymous role with no claims.</summary>
    public bool IsAnonymous => UserId is null;

    /// <summary>The database role the session's statements run in.</summary>
    public string Role { get; }

    /// <summary>The validated token payload (JSON) that <c>auth.session()</c> returns, or an empty string in an anonymous session.</summary>
    public string Claims { get; }

    /// <summary>
    /// True for a session opened with <see cref="RlsDataSource.OpenReadOnlySessionAsync"/>: its transactions are
    /// <c>READ ONLY</c> and may run on a standby; a write through it fails with <see cref="InvalidOperationException"/>.
    /// </summary>
    public bool IsReadOnly { get; }

    /// <summary>True between <see cref="BeginTransactionAsync"/> and the transaction's end.</summary>
    public bool InTransaction => _transaction is not null;

    /// <summary>
    /// Starts an explicit transaction: the following statements share one connection and commit or roll back together.
    /// Costs no round trip of its own; <c>BEGIN</c> and the session's settings are sent with the first statement.
    /// </summary>
    /// <param name="isolationLevel">The isolation level; read committed by default.</param>
    /// <param name="cancellationToken">Cancels opening the connection.</param>
    /// <exception cref="InvalidOperationException">A transaction is already open.</exception>
    public async ValueTask BeginTransactionAsync(IsolationLevel isolationLevel = IsolationLevel.ReadCommitted, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_transaction is not null)
        {
            throw new InvalidOperationException("The session already has an open transaction; commit or roll it back first.");
        }

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
    }

    /// <summary>Commits the open transaction and returns its connection to the pool.</summary>
    /// <param name="cancellationToken">Cancels the commit; the transaction is then rolled back.</param>
    /// <exception cref="InvalidOperationException">No transaction is open.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        var transaction = _transaction ?? throw new InvalidOperationException("The session has no open transaction.");
        try
        {
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

    /// <summary>Rolls back the open transaction and returns its connection to the pool.</summary>
    /// <param name="cancellationToken">Cancels the rollback; the connection is then closed or reset by the pool.</param>
    /// <exception cref="InvalidOperationException">No transaction is open.</exception>
    public async Task RollbackAsync(CancellationToken cancellationToken = default)
    {
        var transaction = _transaction ?? throw new InvalidOperationException("The session has no open transaction.");
        try
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await EndTransactionAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters, CancellationToken cancellationToken) =>
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
    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters, CancellationToken cancellationToken) =>
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
    public Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken cancellationToken) =>
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

    private async Task<TResult> RunAsync<TResult>(
        string sql,
        object? parameters,
        Func<DbDataReader, CancellationToken, Task<TResult>> read,
        CancellationToken cancellationToken,
        bool countRows = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ObjectDisposedException.ThrowIf(_disposed, this);

        var transaction = _transaction;
        var connection = transaction is null
            ? await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false)
            : _connection!;
        try
        {
            var withSettings = transaction is null || !_transactionConfigured;
            var command = new CommandDefinition(
                withSettings ? (IsReadOnly ? ReadOnlySettingsStatement : SettingsStatement) + sql : sql,
                withSettings ? WithSettings(parameters) : parameters,
                transaction,
                cancellationToken: cancellationToken);

            var reader = await connection.ExecuteReaderAsync(command).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (withSettings)
                {
                    // The settings statement's one row; the caller's statement follows in the same round trip.
                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                }

                var result = await read(reader, cancellationToken).ConfigureAwait(false);

                // Later statements' errors surface only when their results are read.
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
                {
                }

                if (transaction is not null)
                {
                    _transactionConfigured = true;
                }

                if (countRows)
                {
                    return (TResult)(object)reader.RecordsAffected;
                }

                return result;
            }
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
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

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

    private DynamicParameters WithSettings(object? parameters)
    {
        var all = new DynamicParameters(parameters);
        all.Add(RoleParameter, Role, DbType.String);
        all.Add(ClaimsParameter, Claims, DbType.String);
        return all;
    }

    private async ValueTask EndTransactionAsync()
    {
        var transaction = _transaction;
        var connection = _connection;
        _transaction = null;
        _connection = null;
        _transactionConfigured = false;
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
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
