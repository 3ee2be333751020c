using System.Collections.Generic;
using System.Data;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;

namespace RlsSchema.Npgsql;

/// <summary>
/// Runs SQL on behalf of one end user: every statement executes in the database role and with the JWT claims of
/// that user, so PostgreSQL's row-level security policies decide what it reads and changes.
/// Generated repositories run all their SQL through this interface.
/// </summary>
public interface IRlsSession
{
    /// <summary>
    /// The end user's id (the validated token's <c>sub</c>), or null when the session has no user: the value
    /// <c>auth.user_id()</c> returns in the session's statements.
    /// </summary>
    string? UserId { get; }

    /// <summary>Runs a query and maps each row to <typeparamref name="T"/> by column name, exactly.</summary>
    /// <param name="sql">The SQL; values are passed as <paramref name="parameters"/>, never spliced in.</param>
    /// <param name="parameters">An object whose properties are the <c>@name</c> parameters, or null.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="RlsAuthorizationException">A row-level security policy or a missing privilege refused the statement.</exception>
    /// <exception cref="RlsTokenException">The session's token has expired (<see cref="TokenFailure.Expired"/>); nothing ran.</exception>
    Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a query that returns at most one row.</summary>
    /// <param name="sql">The SQL; values are passed as <paramref name="parameters"/>, never spliced in.</param>
    /// <param name="parameters">An object whose properties are the <c>@name</c> parameters, or null.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The row, or the default of <typeparamref name="T"/> when there is none.</returns>
    /// <exception cref="RlsAuthorizationException">A row-level security policy or a missing privilege refused the statement.</exception>
    /// <exception cref="RlsTokenException">The session's token has expired (<see cref="TokenFailure.Expired"/>); nothing ran.</exception>
    Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a statement and returns the number of rows it inserted, updated or deleted.</summary>
    /// <param name="sql">The SQL; values are passed as <paramref name="parameters"/>, never spliced in.</param>
    /// <param name="parameters">An object whose properties are the <c>@name</c> parameters, or null.</param>
    /// <param name="cancellationToken">Cancels the statement.</param>
    /// <exception cref="RlsAuthorizationException">A row-level security policy or a missing privilege refused the statement.</exception>
    /// <exception cref="RlsTokenException">The session's token has expired (<see cref="TokenFailure.Expired"/>); nothing ran.</exception>
    Task<int> ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a transaction in read committed isolation: the session's statements share one connection until the transaction
    /// is committed, rolled back or disposed (which rolls back). Costs no round trip of its own. After a statement of it fails,
    /// PostgreSQL can only roll it back, and <see cref="RlsTransaction.CommitAsync"/> throws rather than return as if it committed.
    /// </summary>
    /// <param name="cancellationToken">Cancels opening the connection.</param>
    /// <returns>The transaction: <c>await using var tx = await session.BeginTransactionAsync();</c> ... <c>await tx.CommitAsync();</c></returns>
    /// <exception cref="System.InvalidOperationException">A transaction is already open.</exception>
    // Two overloads with optional arguments, as ADO.NET's DbConnection has them.
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "ADO.NET's shape")]
    ValueTask<RlsTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts a transaction in <paramref name="isolationLevel"/>; see <see cref="BeginTransactionAsync(CancellationToken)"/>.</summary>
    /// <param name="isolationLevel">The isolation level.</param>
    /// <param name="cancellationToken">Cancels opening the connection.</param>
    /// <returns>The transaction.</returns>
    /// <exception cref="System.InvalidOperationException">A transaction is already open.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "ADO.NET's shape")]
    ValueTask<RlsTransaction> BeginTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken = default);
}
