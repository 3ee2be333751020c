using System.Threading.Tasks;
using System.Threading;
using Npgsql;
using RlsSchema.Generated;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Server;

[Collection(PostgresCollection.Name)]
public sealed class ServerRestartTests(PostgresFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Sessions_fail_while_the_server_is_down_and_work_again_after_it_is_back()
    {
        await using var server = await PostgresServer.StartLocalAsync();
        var database = await server.CreateDatabaseAsync();
        await database.MigrateAsync(RlsSchemaScript.Sql);
        await using var dataSource = database.CreateDataSource(fixture.Issuer.ValidationOptions);
        var alice = DevTokenIssuer.NewUserId();
        await using var session = await dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(alice));
        await session.ExecuteAsync("INSERT INTO todos (task) VALUES ('survives the restart')", null, None);

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => session.QueryAsync<Todo>($"SELECT {Todo.Columns} FROM todos", null, None));
        await server.ResumeAsync();

        var state = await session.QuerySingleOrDefaultAsync<SessionState>(SessionState.Sql, null, None);
        var todos = await session.QueryAsync<Todo>($"SELECT {Todo.Columns} FROM todos", null, None);
        Assert.Equal(alice, state!.UserId);
        Assert.Equal("survives the restart", Assert.Single(todos).Task);
    }
}
