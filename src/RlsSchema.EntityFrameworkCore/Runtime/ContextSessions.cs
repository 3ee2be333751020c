using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using RlsSchema.Npgsql;

namespace RlsSchema.EntityFrameworkCore.Runtime;

/// <summary>
/// The session a context instance is bound to, held in the context's own EF services. EF resets it when a pooled
/// context goes back to its pool, so the next lease starts bound to nothing.
/// </summary>
internal sealed class ContextSession : IResettableService
{
    /// <summary>The bound session, or null.</summary>
    public RlsSession? Session { get; set; }

    /// <inheritdoc />
    public void ResetState() => Session = null;

    /// <inheritdoc />
    public Task ResetStateAsync(CancellationToken cancellationToken = default)
    {
        ResetState();
        return Task.CompletedTask;
    }
}

/// <summary>Binds contexts to sessions and finds the binding again.</summary>
internal static class ContextSessions
{
    /// <summary>Binds a context to a session, replacing any earlier binding.</summary>
    /// <param name="context">The context.</param>
    /// <param name="session">The session.</param>
    /// <exception cref="InvalidOperationException">The context was not configured with <c>UseRlsSchema()</c>.</exception>
    public static void Bind(DbContext context, RlsSession session) => Holder(context).Session = session;

    /// <summary>The session a context is bound to, if any.</summary>
    /// <param name="context">The context.</param>
    /// <returns>The session, or null.</returns>
    public static RlsSession? Find(DbContext context) => Holder(context).Session;

    private static ContextSession Holder(DbContext context) =>
        ((IInfrastructure<IServiceProvider>)context).Instance.GetService(typeof(ContextSession)) as ContextSession
        ?? throw new InvalidOperationException(
            $"The context '{context.GetType().Name}' is not configured for RlsSchema: add .UseRlsSchema() after .UseNpgsql(...) in its options.");
}
