using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.Npgsql.Tests;

[Collection(PostgresCollection.Name)]
public sealed class SessionIsolationTests(PostgresFixture fixture) : IAsyncLifetime
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
    public async Task Each_user_sees_only_their_own_todos()
    {
        var alice = DevTokenIssuer.NewUserId();
        var bob = DevTokenIssuer.NewUserId();
        await AddTodoAsync(alice, "alice one");
        await AddTodoAsync(alice, "alice two");
        await AddTodoAsync(bob, "bob one");

        await using var aliceSession = await OpenAsync(alice);
        var aliceTodos = await aliceSession.QueryAsync<Todo>($"SELECT {Todo.Columns} FROM todos ORDER BY id", null, None);
        await using var bobSession = await OpenAsync(bob);
        var bobTodos = await bobSession.QueryAsync<Todo>($"SELECT {Todo.Columns} FROM todos ORDER BY id", null, None);

        Assert.Equal(["alice one", "alice two"], aliceTodos.Select(t => t.Task));
        Assert.All(aliceTodos, t => Assert.Equal(alice, t.UserId));
        Assert.Equal(["bob one"], bobTodos.Select(t => t.Task));
    }

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
    public async Task Anonymous_session_is_refused_the_todos_and_has_no_user()
    {
        await AddTodoAsync(DevTokenIssuer.NewUserId(), "someone's secret");
        await using var anonymous = await _dataSource.OpenAnonymousSessionAsync();

        foreach (var session in new[] { anonymous })
        {
            Assert.True(session.IsAnonymous);
            // No policy names the anonymous role, so it holds no privilege on the table at all.
            var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() => session.QuerySingleOrDefaultAsync<long>("SELECT count(*) FROM todos", null, None));
            Assert.Equal("42501", refused.SqlState);
            var state = await session.QuerySingleOrDefaultAsync<SessionState>(SessionState.Sql, null, None);
            Assert.NotNull(state);
            Assert.Null(state.UserId);
            Assert.Equal("anonymous", state.CurrentUser);
        }
    }

    [Fact]
    public async Task Anonymous_insert_is_refused()
    {
        await using var session = await _dataSource.OpenAnonymousSessionAsync();

        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            session.ExecuteAsync("INSERT INTO todos (user_id, task) VALUES ('user_x', 'anonymous write')", null, None));

        Assert.Equal("42501", refused.SqlState);
        Assert.Equal(0L, await CountAsOwnerAsync("anonymous write"));
    }

    [Fact]
    public async Task Insert_naming_another_users_id_is_refused_and_writes_nothing()
    {
        var alice = DevTokenIssuer.NewUserId();
        var bob = DevTokenIssuer.NewUserId();
        await using var session = await OpenAsync(alice);

        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() => session.QuerySingleOrDefaultAsync<Todo>(
            $"INSERT INTO todos (user_id, task) VALUES (@UserId, @Task) RETURNING {Todo.Columns}",
            new { UserId = bob, Task = "planted on bob" },
            None));

        Assert.Equal("42501", refused.SqlState);
        Assert.Equal("todos", refused.TableName);
        Assert.IsType<PostgresException>(refused.InnerException);
        Assert.Equal(0L, await CountAsOwnerAsync("planted on bob"));
    }

    [Fact]
    public async Task Alice_cannot_update_or_delete_bobs_todo()
    {
        var alice = DevTokenIssuer.NewUserId();
        var bob = DevTokenIssuer.NewUserId();
        var bobsTodo = await AddTodoAsync(bob, "bob's chores");
        await using var session = await OpenAsync(alice);

        var updated = await session.ExecuteAsync("UPDATE todos SET task = 'hijacked', user_id = @Alice WHERE id = @Id", new { Alice = alice, bobsTodo.Id }, None);
        var deleted = await session.ExecuteAsync("DELETE FROM todos WHERE id = @Id", new { bobsTodo.Id }, None);

        Assert.Equal(0, updated);
        Assert.Equal(0, deleted);
        Assert.Equal(1L, await CountAsOwnerAsync("bob's chores"));
    }

    [Fact]
    public async Task Alice_cannot_give_her_todo_to_bob()
    {
        var alice = DevTokenIssuer.NewUserId();
        var todo = await AddTodoAsync(alice, "alice keeps this");
        await using var session = await OpenAsync(alice);

        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            session.ExecuteAsync("UPDATE todos SET user_id = @Bob WHERE id = @Id", new { Bob = DevTokenIssuer.NewUserId(), todo.Id }, None));

        Assert.Equal("42501", refused.SqlState);
        Assert.Equal(1L, await CountAsOwnerAsync("alice keeps this"));
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

/// <summary>What a statement inside a session sees of its own identity.</summary>
public sealed class SessionState
{
    public const string Sql = """
        SELECT auth.user_id() AS "UserId", current_user::text AS "CurrentUser",
               auth.session() ->> 'sub' AS "ClaimsSubject", auth.uid() AS "Uid", pg_backend_pid() AS "BackendPid"
        """;

    public string? UserId { get; set; }

    public string CurrentUser { get; set; } = "";

    public string? ClaimsSubject { get; set; }

    public Guid? Uid { get; set; }

    public int BackendPid { get; set; }
}
