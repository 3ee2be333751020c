using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore.Diagnostics;
using RlsSchema.Npgsql;

namespace RlsSchema.EntityFrameworkCore.Runtime;

/// <summary>
/// Runs every command of a context (queries, scalars, <c>ExecuteUpdate</c>/<c>ExecuteDelete</c>, raw SQL, <c>SaveChanges</c>)
/// as the context's session, in the command's own round trip. Stateless: the session is read from the command's context,
/// so one instance serves pooled contexts too.
/// </summary>
internal sealed class SessionCommandInterceptor : DbCommandInterceptor
{
    /// <inheritdoc />
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        !result.HasResult && Settable(CommandSessions.Resolve(eventData)) is { } session
            ? InterceptionResult<DbDataReader>.SuppressWithResult(SessionCommands.Reader(command, session))
            : result;

    /// <inheritdoc />
    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        !result.HasResult && Settable(await CommandSessions.ResolveAsync(eventData, cancellationToken).ConfigureAwait(false)) is { } session
            ? InterceptionResult<DbDataReader>.SuppressWithResult(await SessionCommands.ReaderAsync(command, session, cancellationToken).ConfigureAwait(false))
            : result;

    /// <inheritdoc />
    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        !result.HasResult && Settable(CommandSessions.Resolve(eventData)) is { } session
            ? InterceptionResult<object>.SuppressWithResult(SessionCommands.Scalar(command, session)!)
            : result;

    /// <inheritdoc />
    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        !result.HasResult && Settable(await CommandSessions.ResolveAsync(eventData, cancellationToken).ConfigureAwait(false)) is { } session
            ? InterceptionResult<object>.SuppressWithResult((await SessionCommands.ScalarAsync(command, session, cancellationToken).ConfigureAwait(false))!)
            : result;

    /// <inheritdoc />
    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        !result.HasResult && Settable(CommandSessions.Resolve(eventData)) is { } session
            ? InterceptionResult<int>.SuppressWithResult(SessionCommands.NonQuery(command, session))
            : result;

    /// <inheritdoc />
    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        !result.HasResult && Settable(await CommandSessions.ResolveAsync(eventData, cancellationToken).ConfigureAwait(false)) is { } session
            ? InterceptionResult<int>.SuppressWithResult(await SessionCommands.NonQueryAsync(command, session, cancellationToken).ConfigureAwait(false))
            : result;

    // A service session runs as its login role and sets nothing: its commands go out unchanged.
    private static RlsSession? Settable(RlsSession? session) => session is { SetsSettings: true } ? session : null;
}
