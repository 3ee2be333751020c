using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Generated;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Server;

/// <summary>A local primary with a streaming standby, and a seeded database on it, for the read-only session tests.</summary>
public sealed class StandbyFixture : IAsyncLifetime
{
    public PostgresServer Primary { get; private set; } = null!;

    public PostgresStandby Standby { get; private set; } = null!;

    public TestDatabase Database { get; private set; } = null!;

    public DevTokenIssuer Issuer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Primary = await PostgresServer.StartLocalAsync();
        Standby = await Primary.StartStandbyAsync();
        Database = await Primary.CreateDatabaseAsync();
        await Database.MigrateAsync(RlsSchemaScript.Sql);

        Issuer = await DevTokenIssuer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Issuer is not null)
        {
            await Issuer.DisposeAsync();
        }

        if (Standby is not null)
        {
            await Standby.DisposeAsync();
        }

        if (Primary is not null)
        {
            await Primary.DisposeAsync();
        }
    }
}

/// <summary>
/// Read-only sessions: on a standby the same policies hold (they are replicated), and on any host a read-only session's
/// transaction is READ ONLY, so a write through it is refused with an error that says which session to use instead.
/// </summary>
public sealed class StandbyTests(StandbyFixture fixture) : IClassFixture<StandbyFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Alice_reads_her_rows_on_the_Standby_once_it_has_replayed_them_and_never_bobs()
    {
        await using var dataSource = DataSource(PreferStandby());
        var alice = DevTokenIssuer.NewUserId();
        var bob = DevTokenIssuer.NewUserId();
        var aliceIds = await InsertAsync(dataSource, alice, "alice one", "alice two", "alice three");
        var bobIds = await InsertAsync(dataSource, bob, "bob one", "bob two");
        await fixture.Standby.WaitForReplayAsync();

        await using (var session = await dataSource.OpenReadOnlySessionAsync(fixture.Issuer.IssueToken(alice)))
        {
            // prefer-standby quietly falls back to the primary: make sure this really ran on the standby.
            Assert.True(await session.QuerySingleOrDefaultAsync<bool>("SELECT pg_is_in_recovery()", null, None));
            Assert.True(session.IsReadOnly);
            var todos = new TodoRepository(session);
            Assert.Equal(aliceIds, (await todos.ListAsync()).Select(t => t.Id));
            Assert.All(await todos.ListAsync(), t => Assert.Equal(alice, t.UserId));
            foreach (var id in bobIds)
            {
                Assert.Null(await todos.GetAsync(id));
            }
        }

        await using (var session = await dataSource.OpenReadOnlySessionAsync(fixture.Issuer.IssueToken(bob)))
        {
            Assert.True(await session.QuerySingleOrDefaultAsync<bool>("SELECT pg_is_in_recovery()", null, None));
            Assert.Equal(bobIds, (await new TodoRepository(session).ListAsync()).Select(t => t.Id));
        }

        await using (var anonymous = await dataSource.OpenReadOnlyAnonymousSessionAsync())
        {
            Assert.True(await anonymous.QuerySingleOrDefaultAsync<bool>("SELECT pg_is_in_recovery()", null, None));
            await Assert.ThrowsAsync<RlsAuthorizationException>(() => new TodoRepository(anonymous).ListAsync());
        }
    }

    [Fact]
    public async Task A_write_through_a_read_only_session_on_the_Standby_is_refused_with_an_error_that_names_the_session_to_use()
    {
        await using var dataSource = DataSource(PreferStandby());
        var alice = DevTokenIssuer.NewUserId();

        // The standby must have replayed the schema, or the insert fails on a missing table instead of being refused.
        await fixture.Standby.WaitForReplayAsync();
        await using var session = await dataSource.OpenReadOnlySessionAsync(fixture.Issuer.IssueToken(alice));
        Assert.True(await session.QuerySingleOrDefaultAsync<bool>("SELECT pg_is_in_recovery()", null, None));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => new TodoRepository(session).InsertAsync(new Todo { Task = "on a standby" }));
        Assert.Contains("read-only", refused.Message);
        Assert.Contains(nameof(RlsDataSource.OpenSessionAsync), refused.Message);
        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, Assert.IsType<PostgresException>(refused.InnerException).SqlState);
        Assert.Equal(0L, await StoredAsync(alice));
    }

    [Fact]
    public async Task Without_a_Standby_read_only_sessions_run_READ_ONLY_on_the_primary_and_refuse_writes_there_too()
    {
        await using var dataSource = DataSource(readOnlyConnectionString: null);
        var alice = DevTokenIssuer.NewUserId();
        var token = fixture.Issuer.IssueToken(alice);
        var ids = await InsertAsync(dataSource, alice, "written by a read-write session");

        await using (var session = await dataSource.OpenReadOnlySessionAsync(token))
        {
            Assert.False(await session.QuerySingleOrDefaultAsync<bool>("SELECT pg_is_in_recovery()", null, None));
            Assert.Equal("on", await session.QuerySingleOrDefaultAsync<string>("SELECT current_setting('transaction_read_only')", null, None));
            Assert.Equal(ids, (await new TodoRepository(session).ListAsync()).Select(t => t.Id));
            await Assert.ThrowsAsync<InvalidOperationException>(() => new TodoRepository(session).InsertAsync(new Todo { Task = "refused" }));
            await Assert.ThrowsAsync<InvalidOperationException>(() => new TodoRepository(session).DeleteAsync(ids[0]));

            // In an explicit transaction as well, from its first statement on.
            await using var transaction = await session.BeginTransactionAsync();
            Assert.Single(await new TodoRepository(session).ListAsync());
            await Assert.ThrowsAsync<InvalidOperationException>(() => new TodoRepository(session).UpdateAsync(new Todo { Id = ids[0], Task = "changed" }));
            await transaction.RollbackAsync();
        }

        Assert.Equal(1L, await StoredAsync(alice));

        // The pooled connection goes back read-write: a read-write session right after writes.
        await using (var session = await dataSource.OpenSessionAsync(token))
        {
            Assert.Equal("off", await session.QuerySingleOrDefaultAsync<string>("SELECT current_setting('transaction_read_only')", null, None));
            Assert.True(await new TodoRepository(session).DeleteAsync(ids[0]));
        }
    }

    private string PreferStandby() =>
        new NpgsqlConnectionStringBuilder(fixture.Database.AuthenticatorConnectionString)
        {
            Host = $"127.0.0.1:{new NpgsqlConnectionStringBuilder(fixture.Database.AuthenticatorConnectionString).Port},127.0.0.1:{fixture.Standby.Port}",
            TargetSessionAttributes = "prefer-standby",
        }.ConnectionString;

    private RlsDataSource DataSource(string? readOnlyConnectionString)
    {
        var builder = new RlsDataSourceBuilder(fixture.Database.AuthenticatorConnectionString).UseJwtValidation(fixture.Issuer.ValidationOptions);
        builder.ConnectionStringBuilder.MaxPoolSize = 2;
        if (readOnlyConnectionString is not null)
        {
            builder.UseReadOnlyConnectionString(readOnlyConnectionString);
        }

        return builder.Build();
    }

    private async Task<long[]> InsertAsync(RlsDataSource dataSource, string user, params string[] tasks)
    {
        await using var session = await dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(user));
        var ids = new long[tasks.Length];
        for (var i = 0; i < tasks.Length; i++)
        {
            ids[i] = (await new TodoRepository(session).InsertAsync(new Todo { Task = tasks[i] })).Id;
        }

        return ids;
    }

    private async Task<long> StoredAsync(string user)
    {
        await using var owner = new NpgsqlConnection(fixture.Database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM todos WHERE user_id = @u", owner);
        count.Parameters.AddWithValue("u", user);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
