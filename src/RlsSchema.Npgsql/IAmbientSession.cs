using System.Threading;
using System.Threading.Tasks;

namespace RlsSchema.Npgsql;

/// <summary>
/// The session of the unit of work in progress, for integrations that run statements without being handed a session:
/// ASP.NET Core registers one that gives the current request's session, and an EF Core context with no session bound
/// to it runs as that one. Registered in the application's services as a singleton.
/// </summary>
internal interface IAmbientSession
{
    /// <summary>The current unit of work's session, or null when there is none (outside a request).</summary>
    /// <param name="cancellationToken">Cancels opening the session.</param>
    /// <returns>The session, which its unit of work disposes; or null.</returns>
    ValueTask<RlsSession?> CurrentAsync(CancellationToken cancellationToken);
}
