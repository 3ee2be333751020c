using System;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using Npgsql;
using RlsSchema.EndToEnd.Tests.Entities;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using RlsSchema.Npgsql;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary>
/// Sessions share pooled connections. With a pool of one connection every session reuses the same server backend,
/// so whatever a session left on it would be visible to the next user of the pool: these tests look there directly.
/// The pool skips Npgsql's reset on close (DISCARD ALL), so the session itself must leave nothing behind.
/// </summary>
public sealed class PooledConnectionTests(PostgresCluster cluster) : DatabaseTest(cluster)
{
    private NpgsqlDataSource? _pool;
    private RlsDataSource? _dataSource;

    private NpgsqlDataSource Pool => _pool!;
    private RlsDataSource Sessions => _dataSource!;

    private sealed record BackendState(int Pid, string CurrentUser, string SessionUser, string? Claims);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var builder = new RlsDataSourceBuilder(Db.Database.AuthenticatorConnectionString).UseJwtValidation(Db.Issuer.ValidationOptions);
        builder.ConnectionStringBuilder.MaxPoolSize = 1;
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        _dataSource = builder.Build();
        _pool = _dataSource.SessionPool;
    }

    public override async Task DisposeAsync()
    {
        await Sessions.DisposeAsync();
    }

    /// <summary>What the pooled backend holds when taken straight from the pool, outside any session.</summary>
    private async Task<BackendState> PooledBackendAsync()
    {
        await using var connection = await Pool.OpenConnectionAsync();
        return await connection.QuerySingleAsync<BackendState>(
            """
            SELECT pg_backend_pid() AS "Pid", current_user::text AS "CurrentUser", session_user::text AS "SessionUser",
                   nullif(current_setting('request.jwt.claims', true), '') AS "Claims"
            """);
    }

    private async Task<int> PidInSessionAsync(RlsSession session) =>
        await session.QuerySingleOrDefaultAsync<int>("SELECT pg_backend_pid()", null, default);

    private void AssertClean(BackendState state, int expectedPid)
    {
        Assert.Equal(expectedPid, state.Pid);
        Assert.Equal(Db.Database.AuthenticatorRole, state.CurrentUser);
        Assert.Equal(state.SessionUser, state.CurrentUser);
        Assert.Null(state.Claims);
    }

    [Fact]
    public async Task Session_that_ends_normally_leaves_no_role_or_claims_on_its_connection()
    {
        var alice = Db.NewUser("Alice");
        int pid;
        await using (var session = await Sessions.OpenSessionAsync(Db.Issuer.IssueToken(alice.Id)))
        {
            var seen = await session.QuerySingleOrDefaultAsync<(string Role, string UserId)>(
                "SELECT current_user::text, auth.user_id()", null, default);
            Assert.Equal(("authenticated", alice.Id), seen);
            await new TodoRepository(session).InsertAsync(new Todo { Task = "Buy milk" });
            pid = await PidInSessionAsync(session);
        }

        AssertClean(await PooledBackendAsync(), pid);
    }

    [Fact]
    public async Task Session_whose_statement_is_refused_leaves_no_role_or_claims_on_its_connection()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");
        int pid;
        await using (var session = await Sessions.OpenSessionAsync(Db.Issuer.IssueToken(bob.Id)))
        {
            pid = await PidInSessionAsync(session);
            await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
                new TodoRepository(session).InsertAsync(new Todo { UserId = alice.Id, Task = "Forged" }));
        }

        AssertClean(await PooledBackendAsync(), pid);
    }

    [Fact]
    public async Task Session_whose_statement_fails_in_a_transaction_leaves_nothing_behind()
    {
        var alice = Db.NewUser("Alice");
        int pid;
        await using (var session = await Sessions.OpenSessionAsync(Db.Issuer.IssueToken(alice.Id)))
        {
            await session.BeginTransactionAsync();
            await new TodoRepository(session).InsertAsync(new Todo { Task = "Rolled back" });
            pid = await PidInSessionAsync(session);
            await Assert.ThrowsAsync<PostgresException>(() => session.ExecuteAsync("SELECT 1 / 0", null, default));
        }

        AssertClean(await PooledBackendAsync(), pid);
        Assert.Empty(await Db.OwnerQueryAsync<long>("SELECT id FROM todos WHERE user_id = @id", new { id = alice.Id }));
    }

    [Fact]
    public async Task Session_cancelled_mid_statement_leaves_no_role_or_claims_on_its_connection()
    {
        var alice = Db.NewUser("Alice");
        int pid;
        await using (var session = await Sessions.OpenSessionAsync(Db.Issuer.IssueToken(alice.Id)))
        {
            pid = await PidInSessionAsync(session);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                session.ExecuteAsync("SELECT pg_sleep(10)", null, cancel.Token));
        }

        AssertClean(await PooledBackendAsync(), pid);
    }

    [Fact]
    public async Task Transaction_disposed_without_commit_writes_nothing_and_leaves_nothing_behind()
    {
        var alice = Db.NewUser("Alice");
        int pid;
        await using (var session = await Sessions.OpenSessionAsync(Db.Issuer.IssueToken(alice.Id)))
        {
            await session.BeginTransactionAsync();
            await new TodoRepository(session).InsertAsync(new Todo { Task = "Never committed" });
            pid = await PidInSessionAsync(session);
        }

        AssertClean(await PooledBackendAsync(), pid);
        Assert.Empty(await Db.OwnerQueryAsync<long>("SELECT id FROM todos WHERE user_id = @id", new { id = alice.Id }));
    }

    [Fact]
    public async Task Next_user_of_a_pooled_connection_sees_only_their_own_identity()
    {
        var alice = Db.NewUser("Alice");
        await using (var session = await Sessions.OpenSessionAsync(Db.Issuer.IssueToken(alice.Id)))
        {
            await new TodoRepository(session).InsertAsync(new Todo { Task = "Alice's secret" });
        }

        await using var anonymous = await Sessions.OpenAnonymousSessionAsync();
        var seen = await anonymous.QuerySingleOrDefaultAsync<(string Role, string? UserId)>(
            "SELECT current_user::text, auth.user_id()", null, default);
        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() => new TodoRepository(anonymous).ListAsync());

        Assert.Equal(("anonymous", (string?)null), seen);
        Assert.Equal("42501", refused.SqlState);
    }
}
