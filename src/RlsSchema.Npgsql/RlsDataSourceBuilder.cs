using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RlsSchema.Npgsql;

/// <summary>
/// Builds an <see cref="RlsDataSource"/>, in the style of Npgsql's <see cref="NpgsqlDataSourceBuilder"/>: the connection end
/// users' sessions use, how their tokens are validated, logging, and any Npgsql setting.
/// </summary>
/// <example>
/// <code>
/// await using var db = new RlsDataSourceBuilder(Environment.GetEnvironmentVariable("DATABASE_AUTHENTICATED_URL") ?? throw new InvalidOperationException("Set DATABASE_AUTHENTICATED_URL."))
///     .UseJwtValidation(new JwtValidationOptions(JwtValidationOptions.WorkOSJwksUri("client_123")))
///     .Build();
/// </code>
/// </example>
/// <remarks>
/// The builder takes no owner connection: end users' sessions never run as the owner. Migrations run through an
/// <see cref="RlsMigrator"/>, a separate object with the owner's credentials.
/// </remarks>
public sealed class RlsDataSourceBuilder
{
    // What the builder sets when the connection string leaves Max Auto Prepare out.
    private const int DefaultMaxAutoPrepare = 32;
    private const int DefaultAutoPrepareMinUsages = 2;

    private readonly List<Action<NpgsqlDataSourceBuilder>> _npgsql = [];
    private readonly bool _preparationDefaulted;
    private NpgsqlConnectionStringBuilder? _readOnly;
    private bool _readOnlyPreparationDefaulted;
    private JwtValidationOptions? _jwt;
    private ILoggerFactory? _loggerFactory;
    private string _authenticatedRole = "authenticated";
    private string _anonymousRole = "anonymous";
    private HashSet<string>? _claimsRead;

    /// <summary>Creates a builder with no session connection yet: fill in <see cref="ConnectionStringBuilder"/>.</summary>
    public RlsDataSourceBuilder()
    {
        (ConnectionStringBuilder, _preparationDefaulted) = SessionConnection(null);
    }

    /// <summary>Creates a builder for sessions that connect with <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">
    /// The connection sessions use (<c>DATABASE_AUTHENTICATED_URL</c>): a login role with no privileges of its own that is a
    /// member of <see cref="AuthenticatedRole"/> and <see cref="AnonymousRole"/> (the <c>authenticator</c> pattern), or the
    /// <c>authenticated</c> role itself on Neon. A <c>postgres://</c> URL or an Npgsql connection string.
    /// </param>
    /// <exception cref="ArgumentNullException">The connection string is null.</exception>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    public RlsDataSourceBuilder(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        (ConnectionStringBuilder, _preparationDefaulted) = SessionConnection(connectionString);
    }

    /// <summary>The session connection's settings; change them before <see cref="Build"/>.</summary>
    public NpgsqlConnectionStringBuilder ConnectionStringBuilder { get; }

    /// <summary>The session connection string as it stands.</summary>
    public string ConnectionString => ConnectionStringBuilder.ConnectionString;

    /// <summary>The role an authenticated session runs in. <c>authenticated</c> by default.</summary>
    /// <exception cref="ArgumentException">Set to null, empty or white space.</exception>
    public string AuthenticatedRole
    {
        get => _authenticatedRole;
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            _authenticatedRole = value;
        }
    }

    /// <summary>The role an anonymous session runs in. <c>anonymous</c> by default (<c>anon</c> on Supabase).</summary>
    /// <exception cref="ArgumentException">Set to null, empty or white space.</exception>
    public string AnonymousRole
    {
        get => _anonymousRole;
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            _anonymousRole = value;
        }
    }

    /// <summary>
    /// Reads the builder's settings from environment variables: <c>DATABASE_AUTHENTICATED_URL</c> (the session
    /// connection), <c>RLS_JWKS_URL</c> or else <c>WORKOS_CLIENT_ID</c> (giving <c>https://api.workos.com/sso/jwks/{id}</c>),
    /// <c>RLS_JWT_ISSUER</c> and <c>RLS_JWT_AUDIENCE</c>. <c>DATABASE_URL</c>, the owner's, is not read: see
    /// <see cref="RlsMigrator.FromEnvironment"/>.
    /// </summary>
    /// <param name="getVariable">Reads one variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    /// <returns>The builder; add to it, then <see cref="Build"/>.</returns>
    /// <exception cref="ArgumentException">A variable is set to a malformed value; the message names it.</exception>
    public static RlsDataSourceBuilder FromEnvironment(Func<string, string?>? getVariable = null)
    {
        var variables = new EnvironmentVariables(getVariable);
        var builder = ForSetting(variables.Read(EnvironmentVariables.AuthenticatedUrl), EnvironmentVariables.AuthenticatedUrl);
        if (variables.Jwt() is { } jwt)
        {
            builder.UseJwtValidation(jwt);
        }

        return builder;
    }

    /// <summary>
    /// A builder for the session connection a setting holds, or one with no connection yet when it holds none; a malformed
    /// connection throws an <see cref="ArgumentException"/> that names the setting (never its password).
    /// </summary>
    /// <param name="connection">The setting's value, or null.</param>
    /// <param name="setting">The setting's name, for the message.</param>
    internal static RlsDataSourceBuilder ForSetting(string? connection, string setting)
    {
        try
        {
            return connection is null ? new RlsDataSourceBuilder() : new RlsDataSourceBuilder(connection);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{setting} is not a usable connection: {e.Message}", e);
        }
    }

    /// <summary>Validates end users' tokens against an issuer's JWKS; without it only anonymous sessions can be opened.</summary>
    /// <param name="options">The JWKS URL, issuer, audience and the other checks.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="JwtValidator(JwtValidationOptions)"/>).</exception>
    public RlsDataSourceBuilder UseJwtValidation(JwtValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid(nameof(options));
        _jwt = options;
        return this;
    }

    /// <summary>
    /// Opens the sessions of <see cref="RlsDataSource.OpenReadOnlySessionAsync"/> on another connection, as the same kind
    /// of login role as the session connection: a streaming standby, or several hosts with
    /// <c>Target Session Attributes=prefer-standby</c>. Without it they open on the session connection. Its statements are
    /// prepared as the session connection's are, by the same rules.
    /// </summary>
    /// <param name="connectionString">A <c>postgres://</c> URL or an Npgsql connection string.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    public RlsDataSourceBuilder UseReadOnlyConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        (_readOnly, _readOnlyPreparationDefaulted) = SessionConnection(connectionString);
        return this;
    }

    /// <summary>
    /// Says which JWT claims the SQL that sessions run reads, so that sessions set only what is read. Where nothing reads a
    /// claim but <c>sub</c>, and the server's <c>auth.user_id()</c> reads the subject's own setting (the script's functions
    /// do; <c>pg_session_jwt</c>'s read the payload, and are asked about once per data source), a session sets
    /// <c>request.jwt.claim.sub</c> alone instead of also the token's whole payload as <c>request.jwt.claims</c>. Otherwise,
    /// and without this call, sessions set both: a claim that something reads is never null for want of being named here.
    /// </summary>
    /// <param name="modelClaims">
    /// What the model's policies, defaults and checks read: the generated <c>RlsSchema.Generated.RlsSchemaScript.ClaimsRead</c>
    /// (comma-separated claim names, or <c>*</c>).
    /// </param>
    /// <param name="applicationClaims">
    /// Every claim the application's own SQL reads: the statements it runs through sessions, and the functions and views of
    /// its migrations that those statements or the policies call. <c>auth.claim('org_id')</c> reads <c>org_id</c>,
    /// <c>auth.has_permission(...)</c> reads <c>permissions</c>, and <c>auth.session()</c> or <c>auth.jwt()</c> read every
    /// claim: name <c>*</c>. None when the application's SQL reads no claim but through <c>auth.user_id()</c> or <c>auth.uid()</c>.
    /// </param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">A claim name is null, empty or white space.</exception>
    public RlsDataSourceBuilder UseClaimsRead(string modelClaims, params string[] applicationClaims)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelClaims);
        ArgumentNullException.ThrowIfNull(applicationClaims);
        var claims = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in modelClaims.Split(',').Concat(applicationClaims))
        {
            if (string.IsNullOrWhiteSpace(claim))
            {
                throw new ArgumentException("A claim name is empty: name each claim the SQL reads, or * for every claim.", nameof(applicationClaims));
            }

            claims.Add(claim.Trim());
        }

        _claimsRead = claims;
        return this;
    }

    /// <summary>Logs through <paramref name="loggerFactory"/>: Npgsql's own logging, and refused tokens (never the token itself).</summary>
    /// <param name="loggerFactory">The logger factory, or null for no logging.</param>
    /// <returns>This builder.</returns>
    public RlsDataSourceBuilder UseLoggerFactory(ILoggerFactory? loggerFactory)
    {
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>
    /// Configures the Npgsql data source sessions use: type mappings, tracing, anything <see cref="NpgsqlDataSourceBuilder"/>
    /// offers. Runs at <see cref="Build"/>, after <see cref="ConnectionStringBuilder"/> and the logger factory are applied, on
    /// each Npgsql data source sessions use: with the default preparation there are two per connection, one that prepares
    /// statements and one for a pooler, which does not. The pool that prepares sets its own physical connection initializer
    /// (it asks each new connection whether it goes through a pooler), replacing one set here.
    /// </summary>
    /// <param name="configure">Changes the Npgsql builder.</param>
    /// <returns>This builder.</returns>
    public RlsDataSourceBuilder ConfigureNpgsql(Action<NpgsqlDataSourceBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _npgsql.Add(configure);
        return this;
    }

    /// <summary>Builds the data source. Its pools and key fetcher are disposed with it.</summary>
    /// <returns>The data source; keep one for the application's lifetime.</returns>
    /// <exception cref="InvalidOperationException">No session connection was given.</exception>
    public RlsDataSource Build()
    {
        if (string.IsNullOrWhiteSpace(ConnectionStringBuilder.Host))
        {
            throw new InvalidOperationException(
                "No session connection is configured: set DATABASE_AUTHENTICATED_URL, or pass the connection string to new RlsDataSourceBuilder(...). End users' queries never run on the owner's connection.");
        }

        var validator = _jwt is null ? null : new JwtValidator(_jwt);
        var sessions = Connections(ConnectionStringBuilder, _preparationDefaulted);
        var readOnly = _readOnly is null ? null : Connections(_readOnly, _readOnlyPreparationDefaulted);
        return new RlsDataSource(
            sessions, readOnly, validator, AuthenticatedRole, AnonymousRole, ConnectionStringBuilder.Username, _readOnly?.Username, _loggerFactory,
            subjectOnlyWanted: _claimsRead is not null && _claimsRead.All(claim => claim == "sub"));
    }

    // Sessions send the same few statements over and over; unprepared, PostgreSQL parses and plans each one, policies
    // included, on every call. Npgsql prepares them inside the batch, after the role is set, and PostgreSQL re-plans a
    // prepared statement whose row-level security depends on a role other than the current one. A connection string that
    // says Max Auto Prepare (0 turns it off) keeps its value.
    private static (NpgsqlConnectionStringBuilder Settings, bool PreparationDefaulted) SessionConnection(string? connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(
            string.IsNullOrWhiteSpace(connectionString) ? null : PostgresConnectionString.ToNpgsql(connectionString));
        if (Names(connectionString, "Max Auto Prepare"))
        {
            return (settings, false);
        }

        settings.MaxAutoPrepare = DefaultMaxAutoPrepare;
        settings.AutoPrepareMinUsages = DefaultAutoPrepareMinUsages;
        return (settings, true);
    }

    // While the preparation settings are the builder's own, each new connection is asked whether it is direct, and sessions
    // prepare nothing once one goes through a pooler; settings the caller chose are kept (see SessionConnections).
    private SessionConnections Connections(NpgsqlConnectionStringBuilder settings, bool preparationDefaulted) =>
        SessionConnections.Create(
            settings,
            preparationDefaulted && settings.MaxAutoPrepare == DefaultMaxAutoPrepare && settings.AutoPrepareMinUsages == DefaultAutoPrepareMinUsages,
            npgsql =>
            {
                npgsql.UseLoggerFactory(_loggerFactory);
                foreach (var configure in _npgsql)
                {
                    configure(npgsql);
                }
            });

    private static bool Names(string? connectionString, string keyword) =>
        !string.IsNullOrWhiteSpace(connectionString) && SessionConnections.Names(PostgresConnectionString.ToNpgsql(connectionString), keyword);
}
