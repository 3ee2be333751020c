using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Pooling;

/// <summary>
/// Sessions share one pooled connection (Max Pool Size=1) whose reset on return is switched off, so only the
/// transaction-local settings themselves can keep role and claims from surviving a session.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PooledConnectionTests(PostgresFixture fixture) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private NpgsqlDataSource _pool = null!;
    private RlsDataSource _dataSource = null!;
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await fixture.DatabaseFor(GetType());
        var builder = _database.CreateDataSourceBuilder(fixture.Issuer.ValidationOptions);
        builder.ConnectionStringBuilder.MaxPoolSize = 1;
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        _dataSource = builder.Build();
        _pool = _dataSource.SessionPool;
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
    }

    [Fact]
    public async Task Nothing_survives_a_session_that_ends_normally()
    {
        int pid;
        await using (var session = await OpenAsync())
        {
            pid = (await session.QuerySingleOrDefaultAsync<SessionState>(SessionState.Sql, null, None))!.BackendPid;
        }

        var after = await RawStateAsync();
        Assert.Equal(pid, after.BackendPid);
        AssertClean(after);
    }

    [Fact]
    public async Task Nothing_survives_a_statement_that_failed()
    {
        await using (var session = await OpenAsync())
        {
            await Assert.ThrowsAsync<PostgresException>(() => session.ExecuteAsync("SELECT 1 / 0", null, None));
            await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
                session.ExecuteAsync("INSERT INTO todos (user_id, task) VALUES ('user_other', 'x')", null, None));
        }

        AssertClean(await RawStateAsync());
    }

    [Fact]
    public async Task Nothing_survives_a_cancelled_statement()
    {
        await using (var session = await OpenAsync())
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                session.QueryAsync<int>("SELECT 1 FROM pg_sleep(30)", null, cancel.Token));
        }

        AssertClean(await RawStateAsync());
    }

    [Fact]
    public async Task Nothing_survives_a_transaction_disposed_without_commit()
    {
        await using (var session = await OpenAsync())
        {
            _ = await session.BeginTransactionAsync();
            await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('never committed')", null, None);
        }

        AssertClean(await RawStateAsync());
        Assert.Equal(0L, await CountAsOwnerAsync("never committed"));
    }

    [Fact]
    public async Task Nothing_survives_a_transaction_that_failed_or_was_cancelled()
    {
        await using (var session = await OpenAsync())
        {
            _ = await session.BeginTransactionAsync();
            await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('doomed')", null, None);
            await Assert.ThrowsAsync<PostgresException>(() => session.ExecuteAsync("SELECT 1 / 0", null, None));
        }

        AssertClean(await RawStateAsync());
        Assert.Equal(0L, await CountAsOwnerAsync("doomed"));

        await using (var session = await OpenAsync())
        {
            _ = await session.BeginTransactionAsync();
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                session.QueryAsync<int>("SELECT 1 FROM pg_sleep(30)", null, cancel.Token));
        }

        AssertClean(await RawStateAsync());
    }

    [Fact]
    public async Task Nothing_survives_a_committed_transaction()
    {
        await using (var session = await OpenAsync())
        {
            await using var transaction = await session.BeginTransactionAsync();
            await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('committed')", null, None);
            await transaction.CommitAsync();
        }

        AssertClean(await RawStateAsync());
    }

    [Fact]
    public async Task The_next_session_on_the_same_connection_has_its_own_identity()
    {
        var alice = DevTokenIssuer.NewUserId();
        var bob = DevTokenIssuer.NewUserId();
        await using var aliceSession = await OpenAsync(alice);
        await using var bobSession = await OpenAsync(bob);
        await using var anonymous = await _dataSource.OpenAnonymousSessionAsync();

        var first = await aliceSession.QuerySingleOrDefaultAsync<SessionState>(SessionState.Sql, null, None);
        var second = await bobSession.QuerySingleOrDefaultAsync<SessionState>(SessionState.Sql, null, None);
        var third = await anonymous.QuerySingleOrDefaultAsync<SessionState>(SessionState.Sql, null, None);

        Assert.Equal(first!.BackendPid, second!.BackendPid);
        Assert.Equal(second.BackendPid, third!.BackendPid);
        Assert.Equal(alice, first.UserId);
        Assert.Equal(bob, second.UserId);
        Assert.Null(third.UserId);
    }

    private async Task<RlsSession> OpenAsync(string? userId = null) =>
        await _dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(userId ?? DevTokenIssuer.NewUserId()));

    private void AssertClean(RawState state)
    {
        Assert.Equal(_database.AuthenticatorRole, state.CurrentUser);
        Assert.Equal("none", state.Role);
        Assert.True(string.IsNullOrEmpty(state.Claims), $"claims left on the connection: {state.Claims}");
    }

    private async Task<long> CountAsOwnerAsync(string task)
    {
        await using var connection = new NpgsqlConnection(_database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM todos WHERE task = @task", connection);
        command.Parameters.AddWithValue("task", task);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // Reads the connection's state without going through a session, so nothing is set first.
    private async Task<RawState> RawStateAsync()
    {
        await using var connection = await _pool.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pg_backend_pid(), current_user::text, current_setting('role'), current_setting('request.jwt.claims', true)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return new RawState(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
    }

    private sealed record RawState(int BackendPid, string CurrentUser, string Role, string? Claims);
}
