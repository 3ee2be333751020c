using System;
using System.Collections.Generic;
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
/// <remarks>
/// Its first session asks the database, once, whether a session role (<see cref="RlsDataSourceBuilder.AuthenticatedRole"/>,
/// <see cref="RlsDataSourceBuilder.AnonymousRole"/>) would bypass row-level security: a superuser, a role with
/// <c>BYPASSRLS</c>, or the owner of a table whose row-level security is not forced. If one would, no session opens: each
/// open throws <see cref="InvalidOperationException"/> naming the role and the fix.
/// </remarks>
public sealed class RlsDataSource : IAsyncDisposable
{
    private readonly SessionConnections _sessions;
    private readonly SessionConnections? _readOnlySessions;
    private readonly JwtValidator? _validator;
    private readonly ILogger _logger;
    private readonly SessionSettings _authenticated;
    private readonly SessionSettings _anonymous;
    private readonly SessionSettings _readOnlyAuthenticated;
    private readonly SessionSettings _readOnlyAnonymous;
    private readonly SessionRoleCheck _roleCheck;

    // Each of the four kinds above, by reference, to its variant that sets the subject alone.
    private readonly Dictionary<SessionSettings, SessionSettings> _subjectOnly = new(ReferenceEqualityComparer.Instance);

    internal RlsDataSource(
        SessionConnections sessions,
        SessionConnections? readOnlySessions,
        JwtValidator? validator,
        string authenticatedRole,
        string anonymousRole,
        string? loginRole,
        string? readOnlyLoginRole,
        ILoggerFactory? loggerFactory,
        bool subjectOnlyWanted = false)
    {
        _sessions = sessions;
        _readOnlySessions = readOnlySessions;
        _validator = validator;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("RlsSchema.Npgsql");
        // The login role is known from the connection string, never from what earlier statements did on a connection.
        _authenticated = Settings(authenticatedRole, nameof(RlsDataSourceBuilder.AuthenticatedRole), loginRole, readOnly: false);
        _anonymous = Settings(anonymousRole, nameof(RlsDataSourceBuilder.AnonymousRole), loginRole, readOnly: false);
        var readOnlyLogin = readOnlySessions is null ? loginRole : readOnlyLoginRole;
        _readOnlyAuthenticated = Settings(authenticatedRole, nameof(RlsDataSourceBuilder.AuthenticatedRole), readOnlyLogin, readOnly: true);
        _readOnlyAnonymous = Settings(anonymousRole, nameof(RlsDataSourceBuilder.AnonymousRole), readOnlyLogin, readOnly: true);
        foreach (var kind in new[] { _authenticated, _anonymous, _readOnlyAuthenticated, _readOnlyAnonymous })
        {
            _subjectOnly[kind] = new SessionSettings(kind.Role, kind.Option, kind.SwitchesRole, kind.LoginIsRole, kind.ReadOnly, SubjectOnly: true);
        }

        _roleCheck = new SessionRoleCheck([_authenticated, _anonymous], askSubjectSetting: subjectOnlyWanted);
    }

    /// <summary>Creates a data source from the environment; see <see cref="RlsDataSourceBuilder.FromEnvironment"/>.</summary>
    /// <returns>The data source.</returns>
    /// <exception cref="InvalidOperationException"><c>DATABASE_AUTHENTICATED_URL</c> is not set.</exception>
    /// <exception cref="ArgumentException">A variable is set to a malformed value; the message names it.</exception>
    public static RlsDataSource FromEnvironment() => RlsDataSourceBuilder.FromEnvironment().Build();

    /// <summary>The pool sessions take their next connection from.</summary>
    internal NpgsqlDataSource SessionPool => _sessions.Current;

    /// <summary>The token validator, or null when no JWKS is configured.</summary>
    public JwtValidator? TokenValidator => _validator;

    /// <summary>
    /// Opens a session for the bearer of <paramref name="jwt"/>: the token is validated first, and only a valid token
    /// gives a session, in the authenticated role with the token's claims. No connection is opened here (but by the data source's first session, which checks the session roles); the session's
    /// statements take one from the pool. For a request without a token, open <see cref="OpenAnonymousSessionAsync"/>.
    /// </summary>
    /// <param name="jwt">The end user's token (compact JWS, without <c>Bearer </c>).</param>
    /// <param name="cancellationToken">Cancels waiting for a key set fetch.</param>
    /// <returns>The session; dispose it when the request ends. It refuses to run statements once the token expires.</returns>
    /// <exception cref="RlsTokenException">The token is missing or was refused. No connection was opened and no SQL ran.</exception>
    /// <exception cref="InvalidOperationException">No JWKS is configured, or a session role bypasses row-level security.</exception>
    public ValueTask<RlsSession> OpenSessionAsync(string jwt, CancellationToken cancellationToken = default) =>
        OpenAsync(_sessions, _authenticated, jwt, cancellationToken);

    /// <summary>
    /// Opens a session that only reads, for the bearer of <paramref name="jwt"/> (validated as by <see cref="OpenSessionAsync"/>):
    /// on the connection of <see cref="RlsDataSourceBuilder.UseReadOnlyConnectionString"/> when set (a standby), else on the
    /// session connection. Its transactions are <c>READ ONLY</c> on any host, set in the same round trip as the claims; the
    /// policies that hold on the primary hold on a standby too, since they are replicated with the data. A standby may lag:
    /// a user may not yet see a write that a read-write session just committed.
    /// </summary>
    /// <param name="jwt">The end user's token (compact JWS, without <c>Bearer </c>).</param>
    /// <param name="cancellationToken">Cancels waiting for a key set fetch.</param>
    /// <returns>The session; dispose it when the request ends. A write through it throws <see cref="InvalidOperationException"/>.</returns>
    /// <exception cref="RlsTokenException">The token is missing or was refused. No connection was opened and no SQL ran.</exception>
    /// <exception cref="InvalidOperationException">No JWKS is configured, or a session role bypasses row-level security.</exception>
    public ValueTask<RlsSession> OpenReadOnlySessionAsync(string jwt, CancellationToken cancellationToken = default) =>
        OpenAsync(_readOnlySessions ?? _sessions, _readOnlyAuthenticated, jwt, cancellationToken);

    /// <summary>
    /// Opens a read-only session with no user (see <see cref="OpenReadOnlySessionAsync"/>): the anonymous role and no claims.
    /// </summary>
    /// <param name="cancellationToken">Cancels the first session's check of the session roles.</param>
    /// <returns>The session; dispose it when the request ends.</returns>
    /// <exception cref="InvalidOperationException">A session role bypasses row-level security.</exception>
    public ValueTask<RlsSession> OpenReadOnlyAnonymousSessionAsync(CancellationToken cancellationToken = default) =>
        OpenCheckedAsync(_readOnlySessions ?? _sessions, _readOnlyAnonymous, null, null, cancellationToken);

    private async ValueTask<RlsSession> OpenAsync(SessionConnections connections, SessionSettings settings, string jwt, CancellationToken cancellationToken)
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

        return await OpenCheckedAsync(connections, settings, token, validator.Options, cancellationToken).ConfigureAwait(false);
    }

    // The data source's first session asks the database whether its roles bypass row-level security; the others do not.
    private async ValueTask<RlsSession> OpenCheckedAsync(
        SessionConnections connections, SessionSettings settings, ValidatedToken? token, JwtValidationOptions? validation, CancellationToken cancellationToken)
    {
        await _roleCheck.EnsureAsync(connections, cancellationToken).ConfigureAwait(false);

        // Asked only when the builder's UseClaimsRead says nothing reads a claim but sub; the server's functions decide.
        return new RlsSession(connections, _roleCheck.SubjectSettingRead ? _subjectOnly[settings] : settings, token, validation);
    }

    /// <summary>
    /// Opens a session for a token this data source's <see cref="TokenValidator"/> already validated, for hosts that
    /// validate a request's token once at their edge (ASP.NET Core's authentication) and open the session later. The token
    /// is not validated again; the session keeps its expiry and refuses to run statements once it has passed.
    /// No connection is opened here, but by the data source's first session, which checks the session roles.
    /// </summary>
    /// <param name="token">The validated token; only a <see cref="JwtValidator"/> creates one.</param>
    /// <param name="cancellationToken">Cancels the first session's check of the session roles.</param>
    /// <returns>The session; dispose it when the request ends.</returns>
    /// <exception cref="RlsTokenException">The token is null (<see cref="TokenFailure.Missing"/>); open <see cref="OpenAnonymousSessionAsync"/> for a request without one.</exception>
    /// <exception cref="InvalidOperationException">No JWKS is configured, or a session role bypasses row-level security.</exception>
    public ValueTask<RlsSession> OpenValidatedSessionAsync(ValidatedToken token, CancellationToken cancellationToken = default)
    {
        if (token is null)
        {
            throw new RlsTokenException(TokenFailure.Missing, "No validated token was given: open an anonymous session with OpenAnonymousSessionAsync for a request without one.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var validator = _validator ?? throw new InvalidOperationException(
            "No JWKS is configured, so no token can have been validated by this data source: set RLS_JWKS_URL or WORKOS_CLIENT_ID, or call RlsDataSourceBuilder.UseJwtValidation.");
        return OpenCheckedAsync(_sessions, _authenticated, token, validator.Options, cancellationToken);
    }

    /// <summary>Opens a session with no user: the anonymous role and no claims, so <c>auth.user_id()</c> is null.</summary>
    /// <param name="cancellationToken">Cancels the first session's check of the session roles.</param>
    /// <returns>The session; dispose it when the request ends.</returns>
    /// <exception cref="InvalidOperationException">A session role bypasses row-level security.</exception>
    public ValueTask<RlsSession> OpenAnonymousSessionAsync(CancellationToken cancellationToken = default) =>
        OpenCheckedAsync(_sessions, _anonymous, null, null, cancellationToken);

    /// <summary>Closes the session pools and the key fetcher.</summary>
    public async ValueTask DisposeAsync()
    {
        _validator?.Dispose();
        await _sessions.DisposeAsync().ConfigureAwait(false);
        if (_readOnlySessions is not null)
        {
            await _readOnlySessions.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static SessionSettings Settings(string role, string option, string? loginRole, bool readOnly) => new(
        role,
        nameof(RlsDataSourceBuilder) + "." + option,
        LoginIsRole: string.Equals(loginRole, role, StringComparison.Ordinal),
        ReadOnly: readOnly);
}
