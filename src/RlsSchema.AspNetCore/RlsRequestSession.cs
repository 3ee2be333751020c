using System;
using System.Collections.Generic;
using System.Data;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using RlsSchema.Npgsql;

namespace RlsSchema.AspNetCore;

/// <summary>
/// The current request's session, registered as a scoped service (and as <see cref="IRlsSession"/>, which generated
/// repositories take): the authenticated role with the bearer token's own payload as claims, or the anonymous role when
/// the request carried no Authorization header. Opened on first use, disposed when the request ends.
/// </summary>
public sealed class RlsRequestSession : IRlsSession, IAsyncDisposable
{
    private readonly RlsDataSource _dataSource;
    private readonly RlsRequestFeature _request;
    private readonly CancellationToken _requestAborted;
    private RlsSession? _session;

    /// <summary>Creates the request's session; done by dependency injection.</summary>
    /// <param name="dataSource">The application's data source.</param>
    /// <param name="httpContextAccessor">Gives the current request.</param>
    /// <exception cref="InvalidOperationException">There is no current request, or <c>app.UseRlsSchema()</c> did not run for it.</exception>
    public RlsRequestSession(RlsDataSource dataSource, IHttpContextAccessor httpContextAccessor)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(httpContextAccessor);
        var context = httpContextAccessor.HttpContext ?? throw new InvalidOperationException(
            "There is no current HTTP request: outside a request, open sessions from RlsDataSource yourself.");
        _request = context.Features.Get<RlsRequestFeature>() ?? throw new InvalidOperationException(
            "The request did not pass through RlsSchema's middleware: call app.UseRlsSchema() before mapping the endpoints.");
        _dataSource = dataSource;
        _requestAborted = context.RequestAborted;
    }

    /// <summary>The signed-in user's id (the token's <c>sub</c>), or null for an anonymous request.</summary>
    public string? UserId => _request.UserId;

    /// <summary>True when the request carried no token: statements run in the anonymous role.</summary>
    public bool IsAnonymous => _request.Token is null;

    /// <summary>
    /// The underlying session, opened on first call: for what <see cref="IRlsSession"/> does not offer, such as
    /// <see cref="RlsSession.ExpiresAt"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels opening the session.</param>
    /// <returns>The session; the request's scope disposes it.</returns>
    public async ValueTask<RlsSession> GetSessionAsync(CancellationToken cancellationToken = default) =>
        _session ??= await RuntimeBridge.OpenSessionAsync(_dataSource, _request.Token, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        await (await GetSessionAsync(cancellationToken).ConfigureAwait(false)).QueryAsync<T>(sql, parameters, OrRequestAborted(cancellationToken)).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        await (await GetSessionAsync(cancellationToken).ConfigureAwait(false)).QuerySingleOrDefaultAsync<T>(sql, parameters, OrRequestAborted(cancellationToken)).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<int> ExecuteAsync(string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        await (await GetSessionAsync(cancellationToken).ConfigureAwait(false)).ExecuteAsync(sql, parameters, OrRequestAborted(cancellationToken)).ConfigureAwait(false);

    /// <inheritdoc />
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "ADO.NET's shape, as IRlsSession has it")]
    public ValueTask<RlsTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default) =>
        BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

    /// <inheritdoc />
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "ADO.NET's shape, as IRlsSession has it")]
    public async ValueTask<RlsTransaction> BeginTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken = default) =>
        await (await GetSessionAsync(cancellationToken).ConfigureAwait(false)).BeginTransactionAsync(isolationLevel, OrRequestAborted(cancellationToken)).ConfigureAwait(false);

    /// <summary>Disposes the session, rolling back a transaction left open.</summary>
    public ValueTask DisposeAsync() => _session?.DisposeAsync() ?? ValueTask.CompletedTask;

    // A statement given no token of its own still stops when the client goes away.
    private CancellationToken OrRequestAborted(CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? cancellationToken : _requestAborted;
}
