using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Pooling;

/// <summary>
/// Counts round trips on the wire with a relay between Npgsql and PostgreSQL: one each time the client speaks after the
/// server has answered. Setting role and claims must ride along with the statement, never cost a round trip of its own.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RoundTripTests(PostgresFixture fixture) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private TcpRelay _relay = null!;
    private RlsDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        var database = await fixture.DatabaseFor(GetType());
        _relay = TcpRelay.StartFor(database.AuthenticatorConnectionString);
        var builder = new RlsDataSourceBuilder(_relay.Rewrite(database.AuthenticatorConnectionString)).UseJwtValidation(fixture.Issuer.ValidationOptions);
        builder.ConnectionStringBuilder.MaxPoolSize = 1;
        _dataSource = builder.Build();

        // Open the physical connection (startup and authentication) before counting.
        await using var warmUp = await _dataSource.OpenAnonymousSessionAsync();
        await warmUp.ExecuteAsync("SELECT 1", null, None);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _relay.DisposeAsync();
    }

    [Fact]
    public async Task Each_authorized_statement_is_one_round_trip()
    {
        await using var session = await _dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId()));

        await AssertRoundTripsAsync(1, () => session.ExecuteAsync("INSERT INTO todos (task) VALUES (@Task)", new { Task = "one trip" }, None));
        await AssertRoundTripsAsync(1, () => session.QueryAsync<Todo>($"SELECT {Todo.Columns} FROM todos", null, None));
        await AssertRoundTripsAsync(1, () => session.QuerySingleOrDefaultAsync<string>("SELECT auth.user_id()", null, None));
        await AssertRoundTripsAsync(1, () => session.ExecuteAsync("DELETE FROM todos", null, None));
        Assert.Equal(1, _relay.Connections);
    }

    [Fact]
    public async Task An_anonymous_statement_is_one_round_trip()
    {
        await using var session = await _dataSource.OpenAnonymousSessionAsync();

        await AssertRoundTripsAsync(1, () => session.QueryAsync<string>("SELECT current_user::text", null, None));
    }

    [Fact]
    public async Task A_refused_statement_costs_its_round_trip_and_one_that_drops_the_connections_prepared_statements()
    {
        await using var session = await _dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId()));

        // The second is DEALLOCATE ALL: after a failure the connection's prepared statements cannot be trusted.
        await AssertRoundTripsAsync(2, () => Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            session.ExecuteAsync("INSERT INTO todos (user_id, task) VALUES ('user_other', 'x')", null, None)));
    }

    [Fact]
    public async Task A_transaction_costs_its_statements_and_the_commit()
    {
        await using var session = await _dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId()));

        await AssertRoundTripsAsync(3, async () =>
        {
            await using var transaction = await session.BeginTransactionAsync();
            await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('a')", null, None);
            await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('b')", null, None);
            await transaction.CommitAsync();
        });
    }

    private async Task AssertRoundTripsAsync(long expected, Func<Task> run)
    {
        _relay.ResetCounters();
        await run();
        Assert.Equal(expected, _relay.RoundTrips);
    }
}
