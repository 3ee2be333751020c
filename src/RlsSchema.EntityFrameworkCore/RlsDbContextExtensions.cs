using System;
using Microsoft.EntityFrameworkCore;
using RlsSchema.EntityFrameworkCore.Runtime;
using RlsSchema.Npgsql;

namespace RlsSchema.EntityFrameworkCore;

/// <summary>Binds a context configured with <c>UseRlsSchema()</c> to an RlsSchema session outside dependency injection.</summary>
public static class RlsDbContextExtensions
{
    /// <summary>
    /// Runs every later query and <c>SaveChanges</c> of the context as the session: its role and claims, set
    /// transaction-locally ahead of each command. The session is the one <see cref="RlsDataSource"/> opened from the
    /// user's token (or an anonymous one); it must outlive the context's use.
    /// </summary>
    /// <remarks>
    /// A pooled context forgets its session when it goes back to the pool. A context bound to no session runs as the
    /// current ASP.NET Core request's session when RlsSchema.AspNetCore is registered, and otherwise refuses its queries
    /// and saves with <see cref="InvalidOperationException"/> before any SQL is sent (EF's migration commands excepted,
    /// which run as the connection's login). Commands sent on the context's <c>DbConnection</c> directly, past EF, are not
    /// EF's commands and do not run as the session.
    /// </remarks>
    /// <typeparam name="TContext">The context type.</typeparam>
    /// <param name="context">The context, configured with <c>UseRlsSchema()</c>.</param>
    /// <param name="session">The session.</param>
    /// <returns>The same context.</returns>
    public static TContext UseSession<TContext>(this TContext context, RlsSession session)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(session);
        ContextSessions.Bind(context, session);
        return context;
    }
}
