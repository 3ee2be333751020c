using System.Threading.Tasks;
using System.Transactions;
using Npgsql;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Transactions;

/// <summary>
/// What a commit after a refused statement must do on any path to the server: PostgreSQL answers it with ROLLBACK, so it
/// throws with the refusal inside, and nothing of the transaction is stored; a statement rolled back to a savepoint does
/// not spoil the commit.
/// </summary>
internal static class AbortedCommit
{
    private const string Refused = "INSERT INTO todos (user_id, task) VALUES ('user_someone_else', 'not mine')";

    public static async Task Refused_statement_then_commit_throws_and_stores_nothing(RlsDataSource dataSource, string token)
    {
        await using var session = await dataSource.OpenSessionAsync(token);
        await using (var transaction = await session.BeginTransactionAsync())
        {
            await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('before the refusal')");
            var refusal = await Assert.ThrowsAsync<RlsAuthorizationException>(() => session.ExecuteAsync(Refused));
            var ignored = await Assert.ThrowsAsync<PostgresException>(() => session.ExecuteAsync("INSERT INTO todos (task) VALUES ('after the refusal')"));
            Assert.Equal(PostgresErrorCodes.InFailedSqlTransaction, ignored.SqlState);

            var commit = await Assert.ThrowsAsync<TransactionAbortedException>(() => transaction.CommitAsync());
            Assert.Same(refusal, commit.InnerException);
            Assert.Contains("nothing of it was stored", commit.Message);
            Assert.False(transaction.IsActive);
            Assert.False(session.InTransaction);
        }

        Assert.Equal(0L, await CountAsync(session));

        // The session goes on: a single statement's refusal spoils nothing after it, and a later transaction commits.
        await Assert.ThrowsAsync<RlsAuthorizationException>(() => session.ExecuteAsync(Refused));
        Assert.Equal(1, await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('alone')"));
        await using (var later = await session.BeginTransactionAsync())
        {
            await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('in a later transaction')");
            await later.CommitAsync();
        }

        Assert.Equal(2L, await CountAsync(session));
    }

    public static async Task Statement_rolled_back_to_a_savepoint_does_not_stop_the_commit(RlsDataSource dataSource, string token)
    {
        await using var session = await dataSource.OpenSessionAsync(token);
        await using (var transaction = await session.BeginTransactionAsync())
        {
            await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('kept')");
            await session.ExecuteAsync("SAVEPOINT before_refusal");
            await Assert.ThrowsAsync<RlsAuthorizationException>(() => session.ExecuteAsync(Refused));
            await session.ExecuteAsync("ROLLBACK TO SAVEPOINT before_refusal");
            await transaction.CommitAsync();
        }

        Assert.Equal(1L, await CountAsync(session));
    }

    private static Task<long> CountAsync(RlsSession session) => session.QuerySingleOrDefaultAsync<long>("SELECT count(*) FROM todos");
}
