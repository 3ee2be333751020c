using System;
using System.Threading.Tasks;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Sessions;

/// <summary>A session never outlives its token: after <c>exp</c> (plus the clock skew) nothing more runs on it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SessionExpiryTests(PostgresFixture fixture)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_session_refuses_statements_once_its_token_has_expired()
    {
        var (dataSource, clock) = await CreateAsync();
        await using var _ = dataSource;
        await using var session = await OpenAsync(dataSource, clock);
        await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('before expiry')");

        clock.Now += Lifetime + TimeSpan.FromSeconds(31);

        var list = await Assert.ThrowsAsync<RlsTokenException>(() => session.QueryAsync<Todo>($"SELECT {Todo.Columns} FROM todos"));
        var insert = await Assert.ThrowsAsync<RlsTokenException>(() => session.ExecuteAsync("INSERT INTO todos (task) VALUES ('after expiry')"));
        var whoAmI = await Assert.ThrowsAsync<RlsTokenException>(() => session.QuerySingleOrDefaultAsync<string>("SELECT auth.user_id()"));
        Assert.All(new[] { list, insert, whoAmI }, e => Assert.Equal(TokenFailure.Expired, e.Reason));
        await Assert.ThrowsAsync<RlsTokenException>(() => session.BeginTransactionAsync().AsTask());
    }

    [Fact]
    public async Task A_transaction_begun_before_expiry_is_rolled_back_at_its_next_statement()
    {
        var (dataSource, clock) = await CreateAsync();
        await using var _ = dataSource;
        await using var session = await OpenAsync(dataSource, clock);
        await using var transaction = await session.BeginTransactionAsync();
        await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('inside the transaction')");

        clock.Now += Lifetime + TimeSpan.FromSeconds(31);

        var refused = await Assert.ThrowsAsync<RlsTokenException>(() => session.ExecuteAsync("INSERT INTO todos (task) VALUES ('too late')"));
        Assert.Equal(TokenFailure.Expired, refused.Reason);
        Assert.False(session.InTransaction);
        Assert.False(transaction.IsActive);

        clock.Now -= Lifetime;
        Assert.Equal(0L, await session.QuerySingleOrDefaultAsync<long>("SELECT count(*) FROM todos"));
    }

    [Fact]
    public async Task Within_the_clock_skew_the_session_still_runs()
    {
        var (dataSource, clock) = await CreateAsync();
        await using var _ = dataSource;
        await using var session = await OpenAsync(dataSource, clock);

        clock.Now += Lifetime + TimeSpan.FromSeconds(29);

        Assert.Equal(session.UserId, await session.QuerySingleOrDefaultAsync<string>("SELECT auth.user_id()"));
    }

    private async Task<(RlsDataSource, ManualClock)> CreateAsync()
    {
        var database = await fixture.CreateSeededAsync();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        return (database.CreateDataSource(fixture.Issuer.ValidationOptions with { TimeProvider = clock }), clock);
    }

    private async Task<RlsSession> OpenAsync(RlsDataSource dataSource, ManualClock clock) =>
        await dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(
            DevTokenIssuer.NewUserId(),
            new DevTokenOptions { IssuedAt = clock.GetUtcNow(), Lifetime = Lifetime }));
}
