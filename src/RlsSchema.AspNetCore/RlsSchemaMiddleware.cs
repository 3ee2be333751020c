using System;
using System.Diagnostics;
using System.Security.Claims;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using RlsSchema.Npgsql;

namespace RlsSchema.AspNetCore;

/// <summary>
/// Decides each request's session before any endpoint runs: no Authorization header is the anonymous session, a header
/// whose token the JwtBearer handler validated is that user's session, and any other header is 401 on every endpoint,
/// before any SQL. Then turns the runtime's refusals into problem details: <see cref="RlsTokenException"/> 401,
/// <see cref="RlsAuthorizationException"/> 401 for an anonymous request (signing in may help) and 403 for a signed-in one.
/// </summary>
internal sealed partial class RlsSchemaMiddleware(RequestDelegate next, IProblemDetailsService problems, SessionRoles roles, ILogger<RlsSchemaMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ValidatedToken? token = null;
        if (context.Request.Headers.Authorization.Count > 1)
        {
            // Joined, two headers read as one malformed token; say what is wrong instead.
            await RefuseTokenAsync(context, null, "The request has more than one Authorization header; send exactly one 'Bearer <token>'.").ConfigureAwait(false);
            return;
        }

        if (context.Request.Headers.ContainsKey(HeaderNames.Authorization))
        {
            // The handler validates once per request and remembers the outcome, so authorization middleware and endpoints see the same result.
            var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme).ConfigureAwait(false);
            if (!result.Succeeded || result.Principal.Identity is not ClaimsIdentity { BootstrapContext: ValidatedToken validated })
            {
                await RefuseTokenAsync(context, result.Failure).ConfigureAwait(false);
                return;
            }

            token = validated;
            context.User = result.Principal;
        }

        var request = new RlsRequestFeature(token, roles);
        context.Features.Set(request);
        if (context.Features.Get<IHttpActivityFeature>()?.Activity is { } activity)
        {
            activity.SetTag(RlsSchemaDefaults.UserIdTag, request.UserId);
            activity.SetTag(RlsSchemaDefaults.RoleTag, request.Role);
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (RlsTokenException e) when (!context.Response.HasStarted)
        {
            await RefuseTokenAsync(context, e).ConfigureAwait(false);
        }
        catch (RlsAuthorizationException e) when (!context.Response.HasStarted)
        {
            LogRefused(logger, e.SqlState, e.TableName, request.UserId, e.Message);
            context.Response.Clear();
            if (token is null)
            {
                await context.ChallengeAsync(JwtBearerDefaults.AuthenticationScheme).ConfigureAwait(false);
                await WriteAsync(context, StatusCodes.Status401Unauthorized, "Sign in to do this",
                    "An anonymous request may not do this; send a bearer token.").ConfigureAwait(false);
            }
            else
            {
                await WriteAsync(context, StatusCodes.Status403Forbidden, "Not allowed",
                    "The database's row-level security refused this for the signed-in user.").ConfigureAwait(false);
            }
        }
    }

    private async Task RefuseTokenAsync(HttpContext context, Exception? failure, string? detail = null)
    {
        var reason = (failure as RlsTokenException)?.Reason;
        LogTokenRefused(logger, reason?.ToString() ?? "NotBearer", failure?.Message ?? detail ?? "The Authorization header is not a bearer token.");
        context.Response.Clear();
        if (reason == TokenFailure.KeysUnavailable)
        {
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Sign-in is unavailable",
                "The token issuer's signing keys could not be fetched; try again shortly.").ConfigureAwait(false);
            return;
        }

        // The handler's challenge writes WWW-Authenticate (error="invalid_token" when a token failed validation).
        await context.ChallengeAsync(JwtBearerDefaults.AuthenticationScheme).ConfigureAwait(false);
        await WriteAsync(context, StatusCodes.Status401Unauthorized, "The bearer token was refused",
            failure?.Message ?? detail ?? "The Authorization header must be 'Bearer <token>'.").ConfigureAwait(false);
    }

    private async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (Activity.Current?.Id is { } traceId)
        {
            problem.Extensions["traceId"] = traceId;
        }

        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false))
        {
            await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json").ConfigureAwait(false);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "The bearer token was refused ({Reason}): {Message}")]
    private static partial void LogTokenRefused(ILogger logger, string reason, string message);

    [LoggerMessage(2, LogLevel.Information, "The database refused a statement (SQLSTATE {SqlState}, table {Table}) for user {UserId}: {Message}")]
    private static partial void LogRefused(ILogger logger, string sqlState, string? table, string? userId, string message);
}
