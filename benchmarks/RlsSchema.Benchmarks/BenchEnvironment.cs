using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Benchmarks.Data;
using RlsSchema.Generated;
using RlsSchema.Npgsql;
using RlsSchema.Testing;

namespace RlsSchema.Benchmarks;

/// <summary>
/// The server (DATABASE_URL, else a throwaway local cluster), a fresh database migrated with the generated script,
/// the development token issuer, and the identities the scenarios run as.
/// </summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    // Long enough for a full run: a token that expires mid-measurement would turn a variant into an error loop.
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(2);

    private readonly PostgresServer _server;

    private BenchEnvironment(PostgresServer server, TestDatabase database, DevTokenIssuer issuer)
    {
        _server = server;
        Database = database;
        Issuer = issuer;
        Rls = database.CreateDataSource(issuer.ValidationOptions);
        RlsSubjectOnly = database.CreateDataSourceBuilder(issuer.ValidationOptions).UseClaimsRead(RlsSchemaScript.ClaimsRead).Build();
        Owner = NpgsqlDataSource.Create(AutoPrepared(database.OwnerConnectionString));
        Authenticator = NpgsqlDataSource.Create(AutoPrepared(database.AuthenticatorConnectionString));
    }

    public TestDatabase Database { get; }
    public DevTokenIssuer Issuer { get; }
    public PostgresServerKind ServerKind => _server.Kind;

    /// <summary>The product as an application uses it: sessions as the authenticator.</summary>
    public RlsDataSource Rls { get; }

    /// <summary>
    /// The same, told that nothing reads a claim but <c>sub</c> (the generated <c>RlsSchemaScript.ClaimsRead</c>, no claims
    /// of the application's own): its sessions set <c>request.jwt.claim.sub</c> alone, without the payload.
    /// </summary>
    public RlsDataSource RlsSubjectOnly { get; }

    /// <summary>
    /// The same connection with Npgsql's automatic preparation on: a statement run twice on a connection is prepared
    /// there and from then on only bound and executed. This is how the hand-written variants are "prepared": an explicit
    /// <c>PrepareAsync</c> per request costs the client more, and cannot prepare a query that only the role switched to
    /// in the same round trip may parse.
    /// </summary>
    public static string AutoPrepared(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 20, AutoPrepareMinUsages = 2 }.ConnectionString;

    /// <summary>The owner's own pool (auto-preparing), for the floor, the data load and EXPLAIN.</summary>
    public NpgsqlDataSource Owner { get; }

    /// <summary>The authenticator's pool (auto-preparing), for the hand-written sessions.</summary>
    public NpgsqlDataSource Authenticator { get; }

    public string OwnerConnectionString => Database.OwnerConnectionString;
    public string AuthenticatorConnectionString => Database.AuthenticatorConnectionString;

    public string MeasuredToken { get; private set; } = "";
    public string WriterToken { get; private set; } = "";

    /// <summary>The measured user's claims exactly as the runtime sets them (the validated token's payload).</summary>
    public string MeasuredClaimsJson { get; private set; } = "";

    /// <summary>The writer's claims, as the runtime sets them, for the hand-written insert.</summary>
    public string WriterClaimsJson { get; private set; } = "";

    public static async Task<BenchEnvironment> StartAsync(CancellationToken cancellationToken)
    {
        var server = await PostgresServer.StartAsync(cancellationToken);
        try
        {
            var database = await server.CreateDatabaseAsync(cancellationToken: cancellationToken);
            var issuer = await DevTokenIssuer.StartAsync();
            var env = new BenchEnvironment(server, database, issuer);
            await database.MigrateAsync(RlsSchemaScript.Sql, cancellationToken);

            var lifetime = new DevTokenOptions { Lifetime = TokenLifetime };
            env.MeasuredToken = issuer.IssueToken(BenchUsers.Measured, lifetime);
            env.WriterToken = issuer.IssueToken(BenchUsers.Writer, lifetime);
            await using (var session = await env.Rls.OpenSessionAsync(env.MeasuredToken, cancellationToken))
            {
                env.MeasuredClaimsJson = session.Claims;
            }

            await using (var session = await env.Rls.OpenSessionAsync(env.WriterToken, cancellationToken))
            {
                env.WriterClaimsJson = session.Claims;
            }
            return env;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A throwaway PgBouncer in transaction pooling mode in front of the server.</summary>
    public Task<PgBouncer> StartPgBouncerAsync(int serverConnections, CancellationToken cancellationToken) =>
        PgBouncer.StartAsync(_server, serverConnections, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Rls.DisposeAsync();
        await RlsSubjectOnly.DisposeAsync();
        await Owner.DisposeAsync();
        await Authenticator.DisposeAsync();
        await Issuer.DisposeAsync();
        await _server.DisposeAsync();
    }
}
