using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using RlsSchema.Npgsql;

namespace RlsSchema.EntityFrameworkCore.Runtime;

/// <summary>The session each context instance is bound to; a context with none is bound to nothing.</summary>
internal static class ContextSessions
{
    private static readonly ConditionalWeakTable<DbContext, RlsSession> Sessions = new();

    /// <summary>Binds a context to a session, replacing any earlier binding.</summary>
    /// <param name="context">The context.</param>
    /// <param name="session">The session.</param>
    public static void Bind(DbContext context, RlsSession session) => Sessions.AddOrUpdate(context, session);

    /// <summary>The session a context is bound to, if any.</summary>
    /// <param name="context">The context.</param>
    /// <returns>The session, or null.</returns>
    public static RlsSession? Find(DbContext context) => Sessions.TryGetValue(context, out RlsSession? session) ? session : null;

    /// <summary>Removes a context's binding.</summary>
    /// <param name="context">The context.</param>
    public static void Unbind(DbContext context) => Sessions.Remove(context);
}
