using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using RlsSchema.Npgsql;

namespace RlsSchema.EntityFrameworkCore.Runtime;

/// <summary>
/// Which session a command of a context runs as: the one bound with <c>UseSession</c>, else the ambient one the
/// application registered (ASP.NET Core's current request). A context with neither fails closed: its commands are
/// refused before any SQL is sent, except EF's own migration commands, which run as the connection's login.
/// </summary>
internal static class CommandSessions
{
    /// <summary>The session the command runs as, or null when it runs as the connection's login (migrations only).</summary>
    /// <exception cref="InvalidOperationException">The context has no session.</exception>
    public static RlsSession? Resolve(CommandEventData eventData)
    {
        var context = ContextOf(eventData);
        if (ContextSessions.Find(context) is { } bound)
        {
            return bound;
        }

        var current = Ambient(context)?.CurrentAsync(CancellationToken.None);
        var session = current is not { } pending ? null
            : pending.IsCompletedSuccessfully ? pending.Result
            : pending.AsTask().GetAwaiter().GetResult();
        return session ?? Unbound(context, eventData);
    }

    /// <inheritdoc cref="Resolve"/>
    public static async ValueTask<RlsSession?> ResolveAsync(CommandEventData eventData, CancellationToken cancellationToken)
    {
        var context = ContextOf(eventData);
        if (ContextSessions.Find(context) is { } bound)
        {
            return bound;
        }

        var session = Ambient(context) is { } ambient ? await ambient.CurrentAsync(cancellationToken).ConfigureAwait(false) : null;
        return session ?? Unbound(context, eventData);
    }

    private static DbContext ContextOf(CommandEventData eventData) =>
        eventData.Context ?? throw new InvalidOperationException(
            "RlsSchema runs a command as the session of its DbContext, and this command has none: run it through a context configured with UseRlsSchema().");

    // The application's services: the request scope's under AddDbContext, the root's for a pooled context. The ambient
    // session is a singleton that finds the current request itself, so either will do.
    private static IAmbientSession? Ambient(DbContext context) =>
        context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService(typeof(IAmbientSession)) as IAmbientSession;

    private static RlsSession? Unbound(DbContext context, CommandEventData eventData) =>
        eventData.CommandSource == CommandSource.Migrations
            ? null
            : throw new InvalidOperationException(
                $"The context '{context.GetType().Name}' has no RlsSchema session, so it may not query or save: bind one with "
                + "context.UseSession(session) (a session from RlsDataSource), or, in ASP.NET Core, register RlsSchema with "
                + "services.AddRlsSchema() and app.UseRlsSchema() so that each request's session is used. No SQL was sent.");
}
