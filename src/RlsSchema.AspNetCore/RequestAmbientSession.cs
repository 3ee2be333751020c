using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RlsSchema.Npgsql;

namespace RlsSchema.AspNetCore;

/// <summary>
/// The current request's session as the ambient one: an EF Core context configured with <c>UseRlsSchema()</c> and bound
/// to no session runs as it, registered with <c>AddDbContext</c> or pooled, with no code in the endpoint.
/// </summary>
internal sealed class RequestAmbientSession(IHttpContextAccessor httpContextAccessor) : IAmbientSession
{
    /// <inheritdoc />
    public async ValueTask<RlsSession?> CurrentAsync(CancellationToken cancellationToken)
    {
        // Outside a request, or a request that did not pass through the middleware, has no session: the context fails closed.
        var context = httpContextAccessor.HttpContext;
        if (context?.Features.Get<RlsRequestFeature>() is null || context.RequestServices.GetService<RlsRequestSession>() is not { } request)
        {
            return null;
        }

        return await request.GetSessionAsync(cancellationToken).ConfigureAwait(false);
    }
}
