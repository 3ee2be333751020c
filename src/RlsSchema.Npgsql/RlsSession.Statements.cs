using System;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using Npgsql;

namespace RlsSchema.Npgsql;

// One statement of the session: the settings and the caller's statement as one batch, its rows read, its errors mapped.
public sealed partial class RlsSession
{
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

        // What the caller sees of a failed statement is the cause a refused commit names.
        try
        {
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
            catch (PostgresException e) when (Translate(e, withSettings) is { } translated)
            {
                throw translated;
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
        catch (Exception e) when (NoteFailure(e))
        {
            throw;
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

    /// <summary>
    /// The runtime's exception for what PostgreSQL refused in this session, or null when the error is not one it
    /// translates: a role the settings could not switch to, a refusal for the user (<see cref="RlsAuthorizationException"/>),
    /// a write in a read-only session.
    /// </summary>
    /// <param name="e">What PostgreSQL said.</param>
    /// <param name="withSettings">Whether the settings were sent with the statement that failed.</param>
    internal Exception? Translate(PostgresException e, bool withSettings)
    {
        if (withSettings && IsRoleRefusal(e))
        {
            return new InvalidOperationException(
                e.SqlState == PostgresErrors.InsufficientPrivilege
                    ? $"The session login may not switch to the role '{Role}' ({_settings.Option}): as the owner, GRANT \"{Role}\" TO the login role of the session connection."
                    : $"The role '{Role}' ({_settings.Option}) does not exist in the database: apply the schema script, which creates the roles its policies name, or set {_settings.Option} to a role that exists.",
                e);
        }

        if (e.SqlState == PostgresErrors.InsufficientPrivilege)
        {
            return PostgresErrors.ToAuthorization(e);
        }

        return IsReadOnly && e.SqlState == PostgresErrors.ReadOnlySqlTransaction ? PostgresErrors.WriteInReadOnlySession(e) : null;
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

    /// <summary>
    /// The session's settings (role, claims, subject) as one command, built by its <see cref="SessionSettings"/>: what runs
    /// ahead of the first statement of each transaction, whichever client runs the statement.
    /// </summary>
    internal NpgsqlBatchCommand SettingsCommand() => _settings.Command(Claims, UserId);

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

}
