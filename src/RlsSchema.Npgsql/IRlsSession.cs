using System.Collections.Generic;
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
    /// <summary>Runs a query and maps each row to <typeparamref name="T"/> by column name, exactly.</summary>
    /// <param name="sql">The SQL; values are passed as <paramref name="parameters"/>, never spliced in.</param>
    /// <param name="parameters">An object whose properties are the <c>@name</c> parameters, or null.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="RlsAuthorizationException">A row-level security policy or a missing privilege refused the statement.</exception>
    Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters, CancellationToken cancellationToken);

    /// <summary>Runs a query that returns at most one row.</summary>
    /// <param name="sql">The SQL; values are passed as <paramref name="parameters"/>, never spliced in.</param>
    /// <param name="parameters">An object whose properties are the <c>@name</c> parameters, or null.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The row, or the default of <typeparamref name="T"/> when there is none.</returns>
    /// <exception cref="RlsAuthorizationException">A row-level security policy or a missing privilege refused the statement.</exception>
    Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters, CancellationToken cancellationToken);

    /// <summary>Runs a statement and returns the number of rows it inserted, updated or deleted.</summary>
    /// <param name="sql">The SQL; values are passed as <paramref name="parameters"/>, never spliced in.</param>
    /// <param name="parameters">An object whose properties are the <c>@name</c> parameters, or null.</param>
    /// <param name="cancellationToken">Cancels the statement.</param>
    /// <exception cref="RlsAuthorizationException">A row-level security policy or a missing privilege refused the statement.</exception>
    Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken cancellationToken);
}
