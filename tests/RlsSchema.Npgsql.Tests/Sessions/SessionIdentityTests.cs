using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Sessions;

/// <summary>
/// What a statement sees inside a session and how the session reports what the server said. Which rows a user may
/// read and write is the generated policies' concern, pinned once in the end-to-end tests of the seed's todos.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SessionIdentityTests(PostgresFixture fixture) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private RlsDataSource _dataSource = null!;
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await fixture.DatabaseFor(GetType());
        _dataSource = _database.CreateDataSource(fixture.Issuer.ValidationOptions);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Auth_user_id_is_the_token_subject_inside_a_session()
    {
        var alice = DevTokenIssuer.NewUserId();
        await using var session = await OpenAsync(alice);

        var row = await session.QuerySingleOrDefaultAsync<SessionState>(SessionState.Sql, null, None);

        Assert.NotNull(row);
        Assert.Equal(alice, row.UserId);
        Assert.Equal("authenticated", row.CurrentUser);
        Assert.Equal(alice, row.ClaimsSubject);
        Assert.Equal(alice, session.UserId);
        Assert.Null(row.Uid);
    }

    [Fact]
    public async Task Auth_uid_is_the_subject_when_it_is_a_uuid()
    {
        var id = Guid.NewGuid();
        await using var session = await OpenAsync(id.ToString());

        var uid = await session.QuerySingleOrDefaultAsync<Guid?>("SELECT auth.uid()", null, None);

        Assert.Equal(id, uid);
    }

    [Fact]
    public async Task An_anonymous_session_has_no_user_and_runs_as_the_anonymous_role()
    {
        await using var session = await _dataSource.OpenAnonymousSessionAsync();

        var state = await session.QuerySingleOrDefaultAsync<SessionState>(SessionState.Sql, null, None);

        Assert.True(session.IsAnonymous);
        Assert.Null(session.UserId);
        Assert.NotNull(state);
        Assert.Null(state.UserId);
        Assert.Null(state.ClaimsSubject);
        Assert.Equal("anonymous", state.CurrentUser);
    }

    [Fact]
    public async Task Execute_returns_the_rows_the_statement_changed()
    {
        var alice = DevTokenIssuer.NewUserId();
        await AddTodoAsync(alice, "first");
        await AddTodoAsync(alice, "second");
        await using var session = await OpenAsync(alice);

        var changed = await session.ExecuteAsync("UPDATE todos SET is_complete = true WHERE user_id = auth.user_id()", null, None);

        Assert.Equal(2, changed);
    }

    [Fact]
    public async Task Query_single_or_default_gives_default_for_no_row_and_refuses_two()
    {
        var alice = DevTokenIssuer.NewUserId();
        await using var session = await OpenAsync(alice);

        Assert.Null(await session.QuerySingleOrDefaultAsync<Todo>($"SELECT {Todo.Columns} FROM todos WHERE false", null, None));
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            session.QuerySingleOrDefaultAsync<int>("SELECT 1 UNION ALL SELECT 2", null, None));
    }

    [Fact]
    public async Task Other_database_errors_keep_their_own_type()
    {
        await using var session = await OpenAsync(DevTokenIssuer.NewUserId());

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            session.ExecuteAsync("INSERT INTO todos (task) VALUES ('')", null, None));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }

    [Fact]
    public async Task Sql_that_ends_the_transaction_and_goes_on_is_refused_before_anything_runs()
    {
        await using var session = await OpenAsync(DevTokenIssuer.NewUserId());

        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            session.ExecuteAsync("COMMIT; INSERT INTO todos (task) VALUES ('written after commit')", null, None));

        Assert.Equal(PostgresErrorCodes.SyntaxError, refused.SqlState);
        Assert.Equal(0L, await CountAsOwnerAsync("written after commit"));
    }

    private async Task<RlsSession> OpenAsync(string userId) =>
        await _dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(userId));

    private async Task<Todo> AddTodoAsync(string userId, string task)
    {
        await using var session = await OpenAsync(userId);
        var todo = await session.QuerySingleOrDefaultAsync<Todo>(
            $"INSERT INTO todos (task) VALUES (@task) RETURNING {Todo.Columns}", new { task }, None);
        Assert.NotNull(todo);
        Assert.Equal(userId, todo.UserId);
        return todo;
    }

    private async Task<long> CountAsOwnerAsync(string task)
    {
        await using var connection = new NpgsqlConnection(_database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM todos WHERE task = @task", connection);
        command.Parameters.AddWithValue("task", task);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
