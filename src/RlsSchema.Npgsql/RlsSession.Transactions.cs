using System;
using System.Data;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using TransactionAbortedException = System.Transactions.TransactionAbortedException;

namespace RlsSchema.Npgsql;

// The session's explicit transaction: one connection and one Npgsql transaction from BeginTransactionAsync until it ends.
public sealed partial class RlsSession
{
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

    internal bool IsCurrent(RlsTransaction transaction) => ReferenceEquals(_current, transaction);

    internal async Task CommitAsync(RlsTransaction owner, CancellationToken cancellationToken)
    {
        var transaction = Current(owner);
        try
        {
            ThrowIfExpired();
            if (_firstFailure is { } failure && await IsAbortedAsync(transaction, cancellationToken).ConfigureAwait(false))
            {
                // PostgreSQL would answer COMMIT with ROLLBACK, and Npgsql would return as if it had committed.
                throw new TransactionAbortedException(
                    "The transaction was rolled back, not committed: nothing of it was stored. A statement of it failed first "
                    + $"({failure.Message}), and PostgreSQL keeps nothing of a transaction after a failed statement; run its statements "
                    + "again in a new transaction (or wrap the statement that may fail in a SAVEPOINT and roll back to it).",
                    failure);
            }

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

    // A failed statement aborts the transaction unless it was rolled back to a savepoint; an aborted transaction refuses
    // every statement but the end of it. Asked only after a failure, so a transaction that saw none commits in one round trip.
    private async ValueTask<bool> IsAbortedAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var probe = new NpgsqlCommand("SELECT 1", _connection, transaction);
        await using (probe.ConfigureAwait(false))
        {
            try
            {
                await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return false;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrors.InFailedTransaction)
            {
                return true;
            }
        }
    }

    // The first exception a statement of the open transaction threw, the cause a refused commit names.
    private bool NoteFailure(Exception failure)
    {
        if (_transaction is not null)
        {
            _firstFailure ??= failure;
        }

        return false;
    }

    internal ValueTask EndAsync(RlsTransaction owner) => IsCurrent(owner) ? EndTransactionAsync() : ValueTask.CompletedTask;

    private NpgsqlTransaction Current(RlsTransaction owner) =>
        IsCurrent(owner) && _transaction is { } transaction
            ? transaction
            : throw new InvalidOperationException("The transaction has already been committed, rolled back or disposed.");
    private async ValueTask EndTransactionAsync()
    {
        var transaction = _transaction;
        var connection = _connection;
        _transaction = null;
        _connection = null;
        _current = null;
        _transactionConfigured = false;
        _firstFailure = null;
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
