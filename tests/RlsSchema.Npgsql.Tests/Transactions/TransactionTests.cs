using System;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Transactions;

[Collection(PostgresCollection.Name)]
public sealed class TransactionTests(PostgresFixture fixture) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private RlsDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        var database = await fixture.DatabaseFor(GetType());
        _dataSource = database.CreateDataSource(fixture.Issuer.ValidationOptions);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task A_rolled_back_transaction_leaves_nothing()
    {
        var alice = DevTokenIssuer.NewUserId();
        await using var session = await OpenAsync(alice);

        var transaction = await session.BeginTransactionAsync();
        await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('one'), ('two')", null, None);
        Assert.Equal(2L, await CountMineAsync(session));
        await transaction.RollbackAsync();

        Assert.False(session.InTransaction);
        Assert.Equal(0L, await CountMineAsync(session));
    }

    [Fact]
    public async Task A_transaction_disposed_without_commit_is_rolled_back()
    {
        var alice = DevTokenIssuer.NewUserId();
        await using (var session = await OpenAsync(alice))
        {
            _ = await session.BeginTransactionAsync();
            await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('forgotten')", null, None);
        }

        await using var later = await OpenAsync(alice);
        Assert.Equal(0L, await CountMineAsync(later));
    }

    [Fact]
    public async Task A_committed_transaction_keeps_every_statement_and_the_user_throughout()
    {
        var alice = DevTokenIssuer.NewUserId();
        await using var session = await OpenAsync(alice);

        await using var transaction = await session.BeginTransactionAsync();
        await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('one')");
        var second = await session.QuerySingleOrDefaultAsync<SessionState>(SessionState.Sql);
        await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('two')");
        await transaction.CommitAsync();

        Assert.Equal(alice, second!.UserId);
        Assert.Equal("authenticated", second.CurrentUser);
        Assert.Equal(2L, await CountMineAsync(session));
    }

    [Fact]
    public async Task A_refused_write_in_a_transaction_keeps_nothing_of_it()
    {
        var alice = DevTokenIssuer.NewUserId();
        await using var session = await OpenAsync(alice);

        var transaction = await session.BeginTransactionAsync();
        await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('before the refusal')", null, None);
        await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            session.ExecuteAsync("INSERT INTO todos (user_id, task) VALUES ('user_someone_else', 'x')", null, None));
        await transaction.RollbackAsync();

        Assert.Equal(0L, await CountMineAsync(session));
    }

    [Fact]
    public Task A_commit_after_a_refused_statement_throws_and_stores_nothing() =>
        AbortedCommit.Refused_statement_then_commit_throws_and_stores_nothing(_dataSource, fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId()));

    [Fact]
    public Task A_statement_rolled_back_to_a_savepoint_does_not_stop_the_commit() =>
        AbortedCommit.Statement_rolled_back_to_a_savepoint_does_not_stop_the_commit(_dataSource, fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId()));

    [Fact]
    public async Task Only_one_transaction_at_a_time()
    {
        await using var session = await OpenAsync(DevTokenIssuer.NewUserId());
        var transaction = await session.BeginTransactionAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => session.BeginTransactionAsync().AsTask());
        await transaction.CommitAsync();
        Assert.False(transaction.IsActive);
        await Assert.ThrowsAsync<InvalidOperationException>(() => transaction.CommitAsync());
    }

    private async Task<RlsSession> OpenAsync(string userId) =>
        await _dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(userId));

    private static Task<long> CountMineAsync(RlsSession session) =>
        session.QuerySingleOrDefaultAsync<long>("SELECT count(*) FROM todos", null, None);
}
