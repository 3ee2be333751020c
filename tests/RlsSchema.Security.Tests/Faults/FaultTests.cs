using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Npgsql;
using RlsSchema.Security.Tests.Concurrency;
using RlsSchema.Security.Tests.Entities;
using RlsSchema.Security.Tests.Infrastructure;
using RlsSchema.Testing;
using Xunit;
using Xunit.Abstractions;

namespace RlsSchema.Security.Tests.Faults;

/// <summary>
/// Sessions that end badly: by an exception (the database's or the application's), by cancellation, by their
/// backend being killed, and by a network that cuts every connection. On a pool of one connection, the next
/// session meets whatever the last one left: it must find no role, no claims, no open transaction, and the
/// data as committed.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FaultTests(SecurityEnvironment env, ITestOutputHelper output) : IAsyncLifetime
{
    private const string ApplicationName = "rls-security-faults";
    private const string IdentitySql = "SELECT current_user::text AS \"Role\", auth.user_id() AS \"Sub\", pg_backend_pid() AS \"Pid\"";

    private RlsDataSource _single = null!;
    private TcpRelay _relay = null!;
    private string _alice = "";
    private string _bob = "";
    private int _faults;
    private int _failedCallsAfterFaults;

    public Task InitializeAsync()
    {
        _relay = TcpRelay.StartFor(env.Database.AuthenticatorConnectionString);
        _single = env.CreateDataSource(1, sessionConnectionString: new NpgsqlConnectionStringBuilder(_relay.Rewrite(env.Database.AuthenticatorConnectionString))
        {
            ApplicationName = ApplicationName,
        }.ConnectionString);
        _alice = DevTokenIssuer.NewUserId();
        _bob = DevTokenIssuer.NewUserId();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _relay.DisposeAsync();
        SecurityFigures.Record(nameof(FaultTests), 0, 0, _faults, 0);
    }

    private async Task<RlsSession> Open(string? sub) => sub is null
        ? await _single.OpenAnonymousSessionAsync()
        : await _single.OpenSessionAsync(env.Token(sub));

    private Task<long> StoredRowsAsync(string sub) => env.AdminScalarAsync<long>("SELECT count(*) FROM todos WHERE user_id = @u", ("u", sub));

    [Fact]
    public async Task A_database_error_inside_a_transaction_rolls_it_back_and_leaves_the_connection_clean()
    {
        long before = await StoredRowsAsync(_alice);
        await using (RlsSession alice = await Open(_alice))
        {
            _ = await alice.BeginTransactionAsync();
            await new GuardedTodoRepository(alice).InsertAsync(new GuardedTodo { Task = "half written" });
            await Assert.ThrowsAsync<PostgresException>(() => alice.QueryAsync<int>("SELECT 1 / 0", null, default));
            _faults++;
        }

        Assert.Equal(before, await StoredRowsAsync(_alice));
        await AssertCleanAsync();
    }

    [Fact]
    public async Task A_policy_refusal_and_an_error_outside_a_transaction_leave_the_connection_clean()
    {
        await using (RlsSession alice = await Open(_alice))
        {
            await Assert.ThrowsAsync<RlsAuthorizationException>(() => new GuardedTodoRepository(alice).InsertAsync(new GuardedTodo { UserId = _bob, Task = "in bob's name" }));
            await Assert.ThrowsAsync<PostgresException>(() => alice.QueryAsync<int>("SELECT 1 / 0", null, default));
            _faults += 2;
        }

        Assert.Equal(0L, await StoredRowsAsync(_bob));
        await AssertCleanAsync();
    }

    [Fact]
    public async Task An_application_exception_in_the_middle_of_a_transaction_rolls_it_back()
    {
        long before = await StoredRowsAsync(_alice);
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using RlsSession alice = await Open(_alice);
            _ = await alice.BeginTransactionAsync();
            await new GuardedTodoRepository(alice).InsertAsync(new GuardedTodo { Task = "never committed" });
            throw new InvalidOperationException("the request handler failed");
        });
        _faults++;

        Assert.Equal(before, await StoredRowsAsync(_alice));
        Assert.Equal(0L, await env.AdminScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = @a AND state LIKE 'idle in transaction%'", ("a", ApplicationName)));
        await AssertCleanAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cancelled_statement_stops_on_the_server_and_leaves_the_connection_clean(bool inTransaction)
    {
        long before = await StoredRowsAsync(_alice);
        await using (RlsSession alice = await Open(_alice))
        {
            if (inTransaction)
            {
                _ = await alice.BeginTransactionAsync();
                await new GuardedTodoRepository(alice).InsertAsync(new GuardedTodo { Task = "cancelled with its transaction" });
            }

            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            DateTime started = DateTime.UtcNow;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => alice.QueryAsync<string>("SELECT pg_sleep(30)::text", null, cancel.Token));
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the cancellation did not reach the server");
            _faults++;
        }

        Assert.Equal(before, await StoredRowsAsync(_alice));
        Assert.Equal(0L, await env.AdminScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND state = 'active' AND pid <> pg_backend_pid()"));
        await AssertCleanAsync();
    }

    [Fact]
    public async Task A_backend_killed_mid_transaction_loses_the_transaction_and_the_pool_recovers()
    {
        long before = await StoredRowsAsync(_alice);
        await using (RlsSession alice = await Open(_alice))
        {
            _ = await alice.BeginTransactionAsync();
            await new GuardedTodoRepository(alice).InsertAsync(new GuardedTodo { Task = "killed with its backend" });
            int pid = await alice.QuerySingleOrDefaultAsync<int>("SELECT pg_backend_pid()", null, default);
            Assert.True(await env.AdminScalarAsync<bool>("SELECT pg_terminate_backend(@p)", ("p", pid)));
            _faults++;
            await Assert.ThrowsAnyAsync<Exception>(() => new GuardedTodoRepository(alice).ListAsync());
        }

        Assert.Equal(before, await StoredRowsAsync(_alice));
        await AssertRecoversAsync("after a backend was killed mid-transaction");
    }

    [Fact]
    public async Task A_pooled_idle_backend_killed_between_sessions_costs_at_most_one_failed_call()
    {
        await AssertCleanAsync();
        int pid;
        await using (RlsSession alice = await Open(_alice))
        {
            pid = await alice.QuerySingleOrDefaultAsync<int>("SELECT pg_backend_pid()", null, default);
        }

        Assert.True(await env.AdminScalarAsync<bool>("SELECT pg_terminate_backend(@p)", ("p", pid)));
        _faults++;
        await Task.Delay(200);
        await AssertRecoversAsync("after the pooled idle backend was killed");
    }

    [Fact]
    public async Task A_network_that_cuts_every_connection_costs_at_most_one_failed_call()
    {
        await AssertCleanAsync();
        await using (RlsSession alice = await Open(_alice))
        {
            _ = await alice.BeginTransactionAsync();
            await new GuardedTodoRepository(alice).InsertAsync(new GuardedTodo { Task = "cut off" });
            _relay.BreakConnections();
            _faults++;
            await Assert.ThrowsAnyAsync<Exception>(() => new GuardedTodoRepository(alice).ListAsync());
        }

        _relay.BreakConnections();
        _faults++;
        await AssertRecoversAsync("after the network cut every connection");
        Assert.Equal(0L, await env.AdminScalarAsync<long>("SELECT count(*) FROM todos WHERE task = 'cut off' AND user_id = @u", ("u", _alice)));
    }

    /// <summary>The next sessions work again, after at most one failed call, and are clean.</summary>
    private async Task AssertRecoversAsync(string what)
    {
        int failures = 0;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await using RlsSession bob = await Open(_bob);
                await new GuardedTodoRepository(bob).ListAsync();
                break;
            }
            catch (Exception e) when (attempt < 5 && e is NpgsqlException or InvalidOperationException)
            {
                failures++;
                output.WriteLine($"{what}: call {attempt + 1} failed: {e.GetType().Name}: {e.Message}");
            }
        }

        _failedCallsAfterFaults += failures;
        output.WriteLine($"{what}: recovered after {failures} failed call(s).");
        Assert.InRange(failures, 0, 1);
        await AssertCleanAsync();
    }

    /// <summary>On the pool's one connection: the next user is only themselves, anonymous is nobody, nothing is left open.</summary>
    private async Task AssertCleanAsync()
    {
        await using (RlsSession bob = await Open(_bob))
        {
            SessionIdentity? me = await bob.QuerySingleOrDefaultAsync<SessionIdentity>(IdentitySql, null, default);
            Assert.Equal("authenticated", me?.Role);
            Assert.Equal(_bob, me?.Sub);
            Assert.All(await new GuardedTodoRepository(bob).ListAsync(), t => Assert.Equal(_bob, t.UserId));
        }

        await using (RlsSession anonymous = await Open(null))
        {
            SessionIdentity? me = await anonymous.QuerySingleOrDefaultAsync<SessionIdentity>(IdentitySql, null, default);
            Assert.Equal("anonymous", me?.Role);
            Assert.Null(me?.Sub);
            Assert.Null(await anonymous.QuerySingleOrDefaultAsync<string>("SELECT nullif(current_setting('request.jwt.claims', true), '')", null, default));
        }

        Assert.Equal(0L, await env.AdminScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = @a AND state LIKE 'idle in transaction%'", ("a", ApplicationName)));
    }
}
