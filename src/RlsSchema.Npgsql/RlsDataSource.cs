using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace RlsSchema.Npgsql;

/// <summary>
/// Opens sessions in which an end user's validated token decides, through row-level security, what the user's queries
/// see and change. Build one with <see cref="RlsDataSourceBuilder"/>; thread-safe; keep one for the application's lifetime.
/// It holds no owner connection: the schema is applied by an <see cref="RlsMigrator"/>.
/// </summary>
public sealed class RlsDataSource : IAsyncDisposable
{
    private readonly NpgsqlDataSource _sessions;
    private readonly JwtValidator? _validator;
    private readonly ILogger _logger;
    private readonly SessionSettings _authenticated;
    private readonly SessionSettings _anonymous;

    internal RlsDataSource(NpgsqlDataSource sessions, JwtValidator? validator, string authenticatedRole, string anonymousRole, string? loginRole, ILoggerFactory? loggerFactory)
    {
        _sessions = sessions;
        _validator = validator;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("RlsSchema.Npgsql");
        // The login role is known from the connection string, never from what earlier statements did on a connection.
        _authenticated = new SessionSettings(
            authenticatedRole,
            nameof(RlsDataSourceBuilder) + "." + nameof(RlsDataSourceBuilder.AuthenticatedRole),
            LoginIsRole: string.Equals(loginRole, authenticatedRole, StringComparison.Ordinal));
        _anonymous = new SessionSettings(
            anonymousRole,
            nameof(RlsDataSourceBuilder) + "." + nameof(RlsDataSourceBuilder.AnonymousRole),
            LoginIsRole: string.Equals(loginRole, anonymousRole, StringComparison.Ordinal));
    }

    /// <summary>Creates a data source from the environment; see <see cref="RlsDataSourceBuilder.FromEnvironment"/>.</summary>
    /// <returns>The data source.</returns>
    /// <exception cref="InvalidOperationException"><c>DATABASE_AUTHENTICATED_URL</c> is not set.</exception>
    /// <exception cref="ArgumentException">A variable is set to a malformed value; the message names it.</exception>
    public static RlsDataSource FromEnvironment() => RlsDataSourceBuilder.FromEnvironment().Build();

    /// <summary>The pool sessions take their connections from.</summary>
    internal NpgsqlDataSource SessionPool => _sessions;

    /// <summary>The token validator, or null when no JWKS is configured.</summary>
    public JwtValidator? TokenValidator => _validator;

    /// <summary>
    /// Opens a session for the bearer of <paramref name="jwt"/>: the token is validated first, and only a valid token
    /// gives a session, in the authenticated role with the token's claims. No connection is opened here; the session's
    /// statements take one from the pool. For a request without a token, open <see cref="OpenAnonymousSessionAsync"/>.
    /// </summary>
    /// <param name="jwt">The end user's token (compact JWS, without <c>Bearer </c>).</param>
    /// <param name="cancellationToken">Cancels waiting for a key set fetch.</param>
    /// <returns>The session; dispose it when the request ends. It refuses to run statements once the token expires.</returns>
    /// <exception cref="RlsTokenException">The token is missing or was refused. No connection was opened and no SQL ran.</exception>
    /// <exception cref="InvalidOperationException">No JWKS is configured.</exception>
    public async ValueTask<RlsSession> OpenSessionAsync(string jwt, CancellationToken cancellationToken = default)
    {
        var validator = _validator ?? throw new InvalidOperationException(
            "No JWKS is configured, so no token can be validated: set RLS_JWKS_URL or WORKOS_CLIENT_ID, or call RlsDataSourceBuilder.UseJwtValidation.");
        ValidatedToken token;
        try
        {
            token = await validator.ValidateAsync(jwt, cancellationToken).ConfigureAwait(false);
        }
        catch (RlsTokenException e)
        {
            _logger.LogInformation("A token was refused ({Reason}): {Message}", e.Reason, e.Message);
            throw;
        }

        return new RlsSession(_sessions, _authenticated, token, validator.Options);
    }

    /// <summary>
    /// Opens a session for a token this data source's <see cref="TokenValidator"/> already validated, for hosts that
    /// validate a request's token once at their edge (ASP.NET Core's authentication) and open the session later. The token
    /// is not validated again; the session keeps its expiry and refuses to run statements once it has passed.
    /// No connection is opened here.
    /// </summary>
    /// <param name="token">The validated token; only a <see cref="JwtValidator"/> creates one.</param>
    /// <param name="cancellationToken">Unused; no connection is opened here.</param>
    /// <returns>The session; dispose it when the request ends.</returns>
    /// <exception cref="RlsTokenException">The token is null (<see cref="TokenFailure.Missing"/>); open <see cref="OpenAnonymousSessionAsync"/> for a request without one.</exception>
    /// <exception cref="InvalidOperationException">No JWKS is configured.</exception>
    public ValueTask<RlsSession> OpenValidatedSessionAsync(ValidatedToken token, CancellationToken cancellationToken = default)
    {
        if (token is null)
        {
            throw new RlsTokenException(TokenFailure.Missing, "No validated token was given: open an anonymous session with OpenAnonymousSessionAsync for a request without one.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var validator = _validator ?? throw new InvalidOperationException(
            "No JWKS is configured, so no token can have been validated by this data source: set RLS_JWKS_URL or WORKOS_CLIENT_ID, or call RlsDataSourceBuilder.UseJwtValidation.");
        return ValueTask.FromResult(new RlsSession(_sessions, _authenticated, token, validator.Options));
    }

    /// <summary>Opens a session with no user: the anonymous role and no claims, so <c>auth.user_id()</c> is null.</summary>
    /// <param name="cancellationToken">Unused; no connection is opened here.</param>
    /// <returns>The session; dispose it when the request ends.</returns>
    public ValueTask<RlsSession> OpenAnonymousSessionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(new RlsSession(_sessions, _anonymous, null, null));
    }

    /// <summary>Closes the session pool and the key fetcher.</summary>
    public async ValueTask DisposeAsync()
    {
        _validator?.Dispose();
        await _sessions.DisposeAsync().ConfigureAwait(false);
    }
}
