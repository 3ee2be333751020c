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
