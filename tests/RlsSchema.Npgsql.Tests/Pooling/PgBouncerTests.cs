using System;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Pooling;

/// <summary>
/// Sessions through PgBouncer in transaction pooling mode, configured by nothing but the session connection string:
/// every transaction may land on another server connection, so nothing may depend on what an earlier one left there.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PgBouncerTests(PostgresFixture fixture) : IAsyncLifetime
{
    private const int ServerConnections = 2;
    private static readonly CancellationToken None = CancellationToken.None;
    private PgBouncer _bouncer = null!;
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await fixture.DatabaseFor(GetType());
        _bouncer = await PgBouncer.StartAsync(fixture.Server, ServerConnections);
    }

    public async Task DisposeAsync() => await _bouncer.DisposeAsync();

    [Fact]
    public async Task Sessions_through_PgBouncer_with_auto_prepare_off_see_only_their_own_rows_on_shared_server_connections()
    {
        await using var dataSource = DataSource(Pooled(maxAutoPrepare: 0));
        var alice = fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId());
        var bob = fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId());
        foreach (var (token, task) in new[] { (alice, "alice's"), (bob, "bob's") })
        {
            await using var session = await dataSource.OpenSessionAsync(token);
            await new TodoRepository(session).InsertAsync(new Todo { Task = task });
        }

        // Ten clients at once over two server connections, each asking several times: backends pass between users.
        var backends = new System.Collections.Concurrent.ConcurrentDictionary<int, byte>();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(async client =>
        {
            var (token, task) = client % 2 == 0 ? (alice, "alice's") : (bob, "bob's");
            for (var i = 0; i < 5; i++)
            {
                await using var session = await dataSource.OpenSessionAsync(token);
                Assert.Equal([task], (await new TodoRepository(session).ListAsync()).Select(t => t.Task));
                await using var transaction = await session.BeginTransactionAsync();
                backends.TryAdd(await session.QuerySingleOrDefaultAsync<int>("SELECT pg_backend_pid()", null, None), 0);
                Assert.Equal([task], (await session.QueryAsync<string>("SELECT task FROM todos", null, None)));
                await transaction.CommitAsync();
            }
        }));

        Assert.InRange(backends.Count, 1, ServerConnections);
        // The anonymous role has no policy on todos, so no grant either: it is refused outright.
        await using var anonymous = await dataSource.OpenAnonymousSessionAsync();
        await Assert.ThrowsAsync<RlsAuthorizationException>(() => new TodoRepository(anonymous).ListAsync());
    }

    [Fact]
    public async Task A_commit_through_PgBouncer_after_a_refused_statement_throws_and_stores_nothing()
    {
        await using var dataSource = DataSource(_bouncer.Rewrite(_database.AuthenticatorConnectionString));
        await Transactions.AbortedCommit.Refused_statement_then_commit_throws_and_stores_nothing(dataSource, fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId()));
        await Transactions.AbortedCommit.Statement_rolled_back_to_a_savepoint_does_not_stop_the_commit(dataSource, fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId()));
    }

    [Fact]
    public async Task Max_Pool_Size_through_PgBouncer_counts_every_connection_the_sessions_hold()
    {
        // The builder's preparing pool meets the pooler first and its plain pool takes over: two pools, one limit.
        var connectionString = new NpgsqlConnectionStringBuilder(_bouncer.Rewrite(_database.AuthenticatorConnectionString)) { MaxPoolSize = 2, Timeout = 2 }.ConnectionString;
        await using var dataSource = DataSource(connectionString);
        var token = fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId());
        await using var first = await dataSource.OpenSessionAsync(token);
        await using var second = await dataSource.OpenSessionAsync(token);
        await using var third = await dataSource.OpenSessionAsync(token);
        await using var one = await first.BeginTransactionAsync();
        await using var two = await second.BeginTransactionAsync();

        var exhausted = await Assert.ThrowsAsync<NpgsqlException>(() => third.BeginTransactionAsync().AsTask());
        Assert.Contains("exhausted", exhausted.Message);
        await one.RollbackAsync();
        await using var three = await third.BeginTransactionAsync();
        Assert.Equal(0L, await third.QuerySingleOrDefaultAsync<long>("SELECT count(*) FROM pg_prepared_statements", null, None));
    }

    [Fact]
    public async Task Sessions_through_PgBouncer_work_without_No_Reset_On_Close_as_well()
    {
        // Npgsql then sends its reset with the next statement, to whichever server connection that lands on.
        var connectionString = new NpgsqlConnectionStringBuilder(_bouncer.Rewrite(_database.AuthenticatorConnectionString)) { MaxAutoPrepare = 0, MaxPoolSize = 3 }.ConnectionString;
        await using var dataSource = DataSource(connectionString);
        var alice = fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId());
        var bob = fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId());
        await Task.WhenAll(Enumerable.Range(0, 6).Select(async client =>
        {
            var (token, task) = client % 2 == 0 ? (alice, "alice's") : (bob, "bob's");
            for (var i = 0; i < 5; i++)
            {
                await using var session = await dataSource.OpenSessionAsync(token);
                var todos = new TodoRepository(session);
                var added = await todos.InsertAsync(new Todo { Task = task });
                Assert.All(await todos.ListAsync(), t => Assert.Equal(task, t.Task));
                Assert.True(await todos.DeleteAsync(added.Id));
            }
        }));
    }

    [Fact]
    public async Task Sessions_through_PgBouncer_need_nothing_but_the_connection_string_and_prepare_nothing_there()
    {
        await using var dataSource = DataSource(_bouncer.Rewrite(_database.AuthenticatorConnectionString));
        var alice = fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId());
        var bob = fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId());
        await Task.WhenAll(Enumerable.Range(0, 6).Select(async client =>
        {
            var (token, task) = client % 2 == 0 ? (alice, "alice's") : (bob, "bob's");
            for (var i = 0; i < 5; i++)
            {
                await using var session = await dataSource.OpenSessionAsync(token);
                var todos = new TodoRepository(session);
                var added = await todos.InsertAsync(new Todo { Task = task });
                Assert.All(await todos.ListAsync(), t => Assert.Equal(task, t.Task));
                Assert.True(await todos.DeleteAsync(added.Id));
            }
        }));

        // The same statements ran dozens of times: on a direct connection they would be prepared by now.
        await using var anonymous = await dataSource.OpenAnonymousSessionAsync();
        Assert.Equal(0L, await anonymous.QuerySingleOrDefaultAsync<long>("SELECT count(*) FROM pg_prepared_statements", null, None));
    }

    [Fact]
    public async Task An_explicit_Max_Auto_Prepare_through_PgBouncer_is_refused_with_an_error_that_says_what_to_change()
    {
        await using var dataSource = DataSource(Pooled(maxAutoPrepare: 16));

        // The first session's connection, which checks the session roles, already meets the pooler.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await dataSource.OpenAnonymousSessionAsync());
        Assert.Contains("Max Auto Prepare=0", refused.Message);
    }

    [Fact]
    public async Task Max_Auto_Prepare_changed_on_the_builder_through_PgBouncer_is_refused_like_one_in_the_connection_string()
    {
        var builder = new RlsDataSourceBuilder(_bouncer.Rewrite(_database.AuthenticatorConnectionString)).UseJwtValidation(fixture.Issuer.ValidationOptions);
        builder.ConnectionStringBuilder.MaxAutoPrepare = 8;
        await using var dataSource = builder.Build();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await dataSource.OpenAnonymousSessionAsync());
        Assert.Contains("Max Auto Prepare=0", refused.Message);
    }

    [Fact]
    public async Task A_read_only_connection_through_PgBouncer_prepares_nothing_there_and_still_sees_only_its_users_rows()
    {
        var direct = new NpgsqlConnectionStringBuilder(_database.AuthenticatorConnectionString) { MaxPoolSize = 1 }.ConnectionString;
        await using var dataSource = new RlsDataSourceBuilder(direct)
            .UseReadOnlyConnectionString(_bouncer.Rewrite(_database.AuthenticatorConnectionString))
            .UseJwtValidation(fixture.Issuer.ValidationOptions)
            .Build();
        var alice = fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId());
        await using (var writer = await dataSource.OpenSessionAsync(alice))
        {
            await new TodoRepository(writer).InsertAsync(new Todo { Task = "alice's, read back through the pooler" });
        }

        for (var i = 0; i < 6; i++)
        {
            await using var reader = await dataSource.OpenReadOnlySessionAsync(alice);
            Assert.Equal(["alice's, read back through the pooler"], (await new TodoRepository(reader).ListAsync()).Select(t => t.Task));
        }

        await using var check = await dataSource.OpenReadOnlyAnonymousSessionAsync();
        await Assert.ThrowsAsync<RlsAuthorizationException>(() => new TodoRepository(check).ListAsync());
        Assert.Equal(0L, await check.QuerySingleOrDefaultAsync<long>("SELECT count(*) FROM pg_prepared_statements", null, None));
    }

    [Fact]
    public async Task Npgsql_prepared_statements_through_PgBouncer_1_18_do_not_follow_the_client_to_another_server_connection()
    {
        // Why sessions refuse to prepare there. One client prepares a statement on the server connection it was given;
        // while another client holds that server connection in a transaction, the first runs its statement again.
        await using var preparing = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(Pooled(maxAutoPrepare: 10)) { AutoPrepareMinUsages = 1 }.ConnectionString);
        await using var plain = NpgsqlDataSource.Create(Pooled(maxAutoPrepare: 0));
        await using var client = await preparing.OpenConnectionAsync();
        PostgresException? failure = null;
        for (var i = 0; i < 10 && failure is null; i++)
        {
            try
            {
                await using var statement = new NpgsqlCommand("SELECT $1::int + 1", client) { Parameters = { new() { Value = i } } };
                Assert.Equal(i + 1, (int)(await statement.ExecuteScalarAsync())!);
            }
            catch (PostgresException e)
            {
                failure = e;
                break;
            }

            await using var other = await plain.OpenConnectionAsync();
            await using var hold = await other.BeginTransactionAsync();
            await using (var pin = new NpgsqlCommand("SELECT 1", other, hold))
            {
                await pin.ExecuteScalarAsync();
            }

            try
            {
                await using var again = new NpgsqlCommand("SELECT $1::int + 1", client) { Parameters = { new() { Value = i } } };
                await again.ExecuteScalarAsync();
            }
            catch (PostgresException e)
            {
                failure = e;
            }
        }

        Assert.NotNull(failure);
        Assert.Equal(PostgresErrorCodes.InvalidSqlStatementName, failure.SqlState);
    }

    [Fact]
    public async Task PgBouncer_refuses_a_wrong_password_and_stops_listening_when_disposed()
    {
        var wrong = new NpgsqlConnectionStringBuilder(Pooled(maxAutoPrepare: 0)) { Password = "not the password", Pooling = false }.ConnectionString;
        await using (var connection = new NpgsqlConnection(wrong))
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
            Assert.Contains("authentication failed", refused.MessageText);
        }

        var port = _bouncer.Port;
        await _bouncer.DisposeAsync();
        using var probe = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync("127.0.0.1", port));
    }

    private string Pooled(int maxAutoPrepare) =>
        new NpgsqlConnectionStringBuilder(_bouncer.Rewrite(_database.AuthenticatorConnectionString)) { MaxAutoPrepare = maxAutoPrepare, NoResetOnClose = true }.ConnectionString;

    private RlsDataSource DataSource(string sessionConnectionString) =>
        new RlsDataSourceBuilder(sessionConnectionString).UseJwtValidation(fixture.Issuer.ValidationOptions).Build();
}
