using System;
using Microsoft.AspNetCore.Builder;
using RlsSchema.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds RlsSchema's middleware to the request pipeline.</summary>
public static class RlsSchemaApplicationBuilderExtensions
{
    /// <summary>
    /// Authenticates each request's bearer token (once) and opens its row-level security session on demand: no
    /// Authorization header gives the anonymous session, a refused token is 401 with <c>WWW-Authenticate</c> on every
    /// endpoint before any SQL, and the runtime's refusals become RFC 7807 problem details (401, or 403 for a signed-in
    /// user). Call it before mapping the endpoints that use sessions.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The same application.</returns>
    public static IApplicationBuilder UseRlsSchema(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<RlsSchemaMiddleware>();
    }
}
