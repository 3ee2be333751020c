using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Pooling;

/// <summary>
/// Sessions built from a connection string prepare the statements they repeat, unless the connection string says
/// otherwise; a prepared statement still obeys the role and claims of each session that runs it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AutoPrepareTests(PostgresFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private const string CountPrepared = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM todos%'";

    [Fact]
    public async Task Repeated_session_statements_are_prepared_and_still_see_only_their_users_rows()
    {
        var database = await fixture.CreateSeededAsync();
        await using var dataSource = new RlsDataSourceBuilder(OnePooledConnection(database.AuthenticatorConnectionString))
            .UseJwtValidation(fixture.Issuer.ValidationOptions)
            .Build();
        var alice = fixture.Issuer.IssueToken(Testing.DevTokenIssuer.NewUserId());
        var bob = fixture.Issuer.IssueToken(Testing.DevTokenIssuer.NewUserId());

        foreach (var (token, task) in new[] { (alice, "alice's"), (bob, "bob's") })
        {
            await using var session = await dataSource.OpenSessionAsync(token);
            await session.ExecuteAsync("INSERT INTO todos (task) VALUES (@task)", new { task }, None);
        }

        for (var i = 0; i < 3; i++)
        {
            foreach (var (token, task) in new[] { (alice, "alice's"), (bob, "bob's") })
            {
                await using var session = await dataSource.OpenSessionAsync(token);
                var tasks = await session.QueryAsync<string>("SELECT task FROM todos ORDER BY id", null, None);
                Assert.Equal([task], tasks);
            }
        }

        await using var check = await dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId()));
        Assert.True(await check.QuerySingleOrDefaultAsync<long>(CountPrepared, null, None) > 0);
        Assert.Empty(await check.QueryAsync<string>("SELECT task FROM todos ORDER BY id", null, None));
    }

    [Fact]
    public async Task A_connection_string_that_turns_preparation_off_is_obeyed()
    {
        var database = await fixture.CreateSeededAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(OnePooledConnection(database.AuthenticatorConnectionString)) { MaxAutoPrepare = 0 }.ConnectionString;
        await using var dataSource = new RlsDataSourceBuilder(connectionString).UseJwtValidation(fixture.Issuer.ValidationOptions).Build();

        for (var i = 0; i < 4; i++)
        {
            await using var session = await dataSource.OpenAnonymousSessionAsync();
            await session.QueryAsync<string>("SELECT current_user::text", null, None);
        }

        await using var check = await dataSource.OpenAnonymousSessionAsync();
        Assert.Equal(0, await check.QuerySingleOrDefaultAsync<long>(CountPrepared, null, None));
    }

    // The anonymous role holds no privilege on todos: every statement of it is refused, on the one pooled connection
    // that then serves Alice with the same statement, prepared or about to be.
    [Fact]
    public Task A_statement_refused_for_lack_of_privilege_leaves_the_prepared_connection_in_step() =>
        RefuseBetweenReadsAsync(inTransactions: false);

    [Fact]
    public Task A_statement_refused_inside_a_transaction_leaves_the_prepared_connection_in_step_after_it_ends() =>
        RefuseBetweenReadsAsync(inTransactions: true);

    private async Task RefuseBetweenReadsAsync(bool inTransactions)
    {
        var database = await fixture.CreateSeededAsync();
        await using var dataSource = new RlsDataSourceBuilder(OnePooledConnection(database.AuthenticatorConnectionString))
            .UseJwtValidation(fixture.Issuer.ValidationOptions)
            .Build();
        var alice = fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId());
        long id;
        await using (var session = await dataSource.OpenSessionAsync(alice))
        {
            id = await session.QuerySingleOrDefaultAsync<long>("INSERT INTO todos (task) VALUES ('mine') RETURNING id", null, None);
        }

        // Whichever use of the statement is the one that prepares it, the refused one included.
        for (var first = 0; first < 4; first++)
        {
            var sql = "SELECT task FROM todos WHERE id = @id" + new string(' ', first + 1);
            for (var i = 0; i < first; i++)
            {
                await using var before = await dataSource.OpenSessionAsync(alice);
                Assert.Equal("mine", await before.QuerySingleOrDefaultAsync<string>(sql, new { id }, None));
            }

            for (var i = 0; i < 3; i++)
            {
                await using (var anonymous = await dataSource.OpenAnonymousSessionAsync())
                {
                    await using var transaction = inTransactions ? await anonymous.BeginTransactionAsync(None) : null;
                    var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() => anonymous.QuerySingleOrDefaultAsync<string>(sql, new { id }, None));
                    if (!inTransactions)
                    {
                        Assert.Equal("42501", refused.SqlState);
                    }
                }

                await using var session = await dataSource.OpenSessionAsync(alice);
                if (inTransactions)
                {
                    await using var transaction = await session.BeginTransactionAsync(None);
                    Assert.Equal("mine", await session.QuerySingleOrDefaultAsync<string>(sql, new { id }, None));
                    await transaction.CommitAsync(None);
                }
                else
                {
                    Assert.Equal("mine", await session.QuerySingleOrDefaultAsync<string>(sql, new { id }, None));
                }

                Assert.Equal(["mine"], await session.QueryAsync<string>(sql, new { id }, None));
            }
        }
    }

    private static string OnePooledConnection(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 1 }.ConnectionString;
}
