using System;
using System.Threading;
using System.Threading.Tasks;

namespace RlsSchema.Npgsql;

/// <summary>
/// An open transaction of an <see cref="IRlsSession"/>: the session's statements run in it until it is committed or
/// rolled back. Disposing it without committing rolls it back.
/// </summary>
public sealed class RlsTransaction : IAsyncDisposable
{
    private readonly RlsSession _session;

    internal RlsTransaction(RlsSession session) => _session = session;

    /// <summary>True until the transaction is committed, rolled back or disposed.</summary>
    public bool IsActive => _session.IsCurrent(this);

    /// <summary>Commits the transaction and returns its connection to the pool.</summary>
    /// <param name="cancellationToken">Cancels the commit; the transaction is then rolled back.</param>
    /// <exception cref="InvalidOperationException">The transaction has already ended.</exception>
    /// <exception cref="System.Transactions.TransactionAbortedException">
    /// A statement of the transaction failed earlier (its exception is the inner one), so PostgreSQL can only roll the
    /// transaction back: nothing of it was stored. A statement rolled back to a savepoint does not count.
    /// </exception>
    /// <exception cref="RlsAuthorizationException">A deferred check refused the commit; nothing was kept.</exception>
    /// <exception cref="RlsTokenException">The session's token has expired; the transaction was rolled back.</exception>
    public Task CommitAsync(CancellationToken cancellationToken = default) => _session.CommitAsync(this, cancellationToken);

    /// <summary>Rolls back the transaction and returns its connection to the pool.</summary>
    /// <param name="cancellationToken">Cancels the rollback; the connection is then closed or reset by the pool.</param>
    /// <exception cref="InvalidOperationException">The transaction has already ended.</exception>
    public Task RollbackAsync(CancellationToken cancellationToken = default) => _session.RollbackAsync(this, cancellationToken);

    /// <summary>Rolls back the transaction unless it was committed. Never throws.</summary>
    public ValueTask DisposeAsync() => _session.EndAsync(this);
}
