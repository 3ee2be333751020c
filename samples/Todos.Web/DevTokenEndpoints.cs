using System;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RlsSchema.Testing;

namespace Todos.Web;

/// <summary><c>GET /dev/token/{name}</c>: a token from the development issuer, in the Development environment only.</summary>
internal static class DevTokenEndpoints
{
    private const int MaxNameLength = 64;

    public static void MapDevTokens(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dev/token/{name}", (string name, IServiceProvider services) =>
        {
            // Only the local development issuer can sign; with a real issuer configured there is nothing to hand out.
            if (services.GetService(typeof(LocalServices)) is not LocalServices local)
            {
                return Results.NotFound();
            }

            if (name.Length is 0 or > MaxNameLength)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A name of 1 to 64 characters, please.");
            }

            var token = local.Issuer.IssueToken(local.UserIdFor(name), new DevTokenOptions { Lifetime = TimeSpan.FromHours(1) });
            return Results.Text(token, "text/plain");
        });
    }
}
