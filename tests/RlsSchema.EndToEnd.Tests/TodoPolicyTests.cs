using System;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.EndToEnd.Tests.Entities;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using RlsSchema.Npgsql;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary>
/// The seed's todos: owner-only reads and writes. Each line of the Todos sample's transcript has its test here.
/// </summary>
public sealed class TodoPolicyTests(PostgresCluster cluster) : DatabaseTest(cluster)
{
    private Task<Todo> AddAsync(TestUser user, string task) =>
        AsAsync(user, s => new TodoRepository(s).InsertAsync(new Todo { Task = task }));

    private async Task<Todo?> StoredAsync(long id) =>
        (await Db.OwnerQueryAsync<Todo>(
            """SELECT id AS "Id", user_id AS "UserId", task AS "Task", is_complete AS "IsComplete", inserted_at AS "InsertedAt" FROM todos WHERE id = @id""",
            new { id })).SingleOrDefault();

    [Fact]
    public async Task Insert_takes_the_id_owner_and_timestamp_from_the_server()
    {
        var alice = Db.NewUser("Alice");

        var todo = await AddAsync(alice, "Buy milk");

        Assert.True(todo.Id > 0);
        Assert.Equal(alice.Id, todo.UserId);
        Assert.Equal("Buy milk", todo.Task);
        Assert.False(todo.IsComplete);
        Assert.InRange(todo.InsertedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Each_user_lists_only_their_own_todos()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");
        var milk = await AddAsync(alice, "Buy milk");
        var bank = await AddAsync(alice, "Call the bank");
        var plants = await AddAsync(bob, "Water the plants");

        var alicesList = await AsAsync(alice, s => new TodoRepository(s).ListAsync());
        var alicesOwn = await AsAsync(alice, s => new TodoRepository(s).ListMineAsync());
        var bobsList = await AsAsync(bob, s => new TodoRepository(s).ListAsync());

        Assert.Equal([milk.Id, bank.Id], alicesList.Select(t => t.Id).Order());
        Assert.All(alicesList, t => Assert.Equal(alice.Id, t.UserId));
        Assert.Equal([milk.Id, bank.Id], alicesOwn.Select(t => t.Id).Order());
        Assert.Equal([plants.Id], bobsList.Select(t => t.Id));
    }

    [Fact]
    public async Task Owner_reads_updates_and_deletes_their_own_todo()
    {
        var alice = Db.NewUser("Alice");
        var todo = await AddAsync(alice, "Buy milk");

        var read = await AsAsync(alice, s => new TodoRepository(s).GetAsync(todo.Id));
        var updated = await AsAsync(alice, s => new TodoRepository(s).UpdateAsync(
            new Todo { Id = todo.Id, UserId = alice.Id, Task = "Buy oat milk", IsComplete = true, InsertedAt = todo.InsertedAt }));
        var deleted = await AsAsync(alice, s => new TodoRepository(s).DeleteAsync(todo.Id));

        Assert.Equal("Buy milk", read?.Task);
        Assert.NotNull(updated);
        Assert.Equal("Buy oat milk", updated.Task);
        Assert.True(updated.IsComplete);
        Assert.True(deleted);
        Assert.Null(await StoredAsync(todo.Id));
    }

    [Fact]
    public async Task Bob_cannot_read_alices_todo()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");
        var todo = await AddAsync(alice, "Buy milk");

        var seen = await AsAsync(bob, s => new TodoRepository(s).GetAsync(todo.Id));

        Assert.Null(seen);
    }

    [Fact]
    public async Task Bob_cannot_update_alices_todo()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");
        var todo = await AddAsync(alice, "Buy milk");

        var updated = await AsAsync(bob, s => new TodoRepository(s).UpdateAsync(
            new Todo { Id = todo.Id, UserId = alice.Id, Task = "Buy nothing", IsComplete = true }));

        Assert.Null(updated);
        var stored = await StoredAsync(todo.Id);
        Assert.NotNull(stored);
        Assert.Equal("Buy milk", stored.Task);
        Assert.False(stored.IsComplete);
        Assert.Equal(alice.Id, stored.UserId);
    }

    [Fact]
    public async Task Bob_cannot_delete_alices_todo()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");
        var todo = await AddAsync(alice, "Buy milk");

        var deleted = await AsAsync(bob, s => new TodoRepository(s).DeleteAsync(todo.Id));

        Assert.False(deleted);
        Assert.NotNull(await StoredAsync(todo.Id));
    }

    [Fact]
    public async Task Insert_naming_another_users_id_is_refused_and_writes_nothing()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");

        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(bob, s => new TodoRepository(s).InsertAsync(new Todo { UserId = alice.Id, Task = "Forged by Bob" })));

        Assert.Equal("42501", refused.SqlState);
        Assert.Equal("todos", refused.TableName);
        Assert.IsType<PostgresException>(refused.InnerException);
        var written = await Db.OwnerQueryAsync<long>("SELECT count(*) FROM todos WHERE user_id = @id", new { id = alice.Id });
        Assert.Equal(0, written.Single());
    }

    [Fact]
    public async Task Bob_cannot_hand_his_todo_over_to_alice()
    {
        var alice = Db.NewUser("Alice");
        var bob = Db.NewUser("Bob");
        var todo = await AddAsync(bob, "Water the plants");

        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(bob, s => new TodoRepository(s).UpdateAsync(
                new Todo { Id = todo.Id, UserId = alice.Id, Task = todo.Task, InsertedAt = todo.InsertedAt })));

        Assert.Equal("42501", refused.SqlState);
        Assert.Equal(bob.Id, (await StoredAsync(todo.Id))?.UserId);
        Assert.Empty(await AsAsync(alice, s => new TodoRepository(s).ListAsync()));
    }

    [Fact]
    public async Task Anonymous_session_is_refused_reading_because_no_policy_grants_it_the_table()
    {
        var alice = Db.NewUser("Alice");
        var todo = await AddAsync(alice, "Buy milk");

        var listed = await Assert.ThrowsAsync<RlsAuthorizationException>(() => AsAsync(null, s => new TodoRepository(s).ListAsync()));
        var read = await Assert.ThrowsAsync<RlsAuthorizationException>(() => AsAsync(null, s => new TodoRepository(s).GetAsync(todo.Id)));

        Assert.Equal("42501", listed.SqlState);
        Assert.Equal("42501", read.SqlState);
        Assert.Equal("todos", listed.TableName);
    }

    [Fact]
    public async Task Anonymous_session_cannot_insert()
    {
        var alice = Db.NewUser("Alice");

        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(null, s => new TodoRepository(s).InsertAsync(new Todo { UserId = alice.Id, Task = "Posted anonymously" })));

        Assert.Equal("42501", refused.SqlState);
        Assert.Empty(await Db.OwnerQueryAsync<long>("SELECT id FROM todos WHERE user_id = @id", new { id = alice.Id }));
    }

    [Fact]
    public async Task Anonymous_session_cannot_update_or_delete()
    {
        var alice = Db.NewUser("Alice");
        var todo = await AddAsync(alice, "Buy milk");

        var updated = await Assert.ThrowsAsync<RlsAuthorizationException>(() => AsAsync(null, s => new TodoRepository(s).UpdateAsync(
            new Todo { Id = todo.Id, UserId = alice.Id, Task = "Vandalised", IsComplete = true })));
        var deleted = await Assert.ThrowsAsync<RlsAuthorizationException>(() => AsAsync(null, s => new TodoRepository(s).DeleteAsync(todo.Id)));

        Assert.Equal("42501", updated.SqlState);
        Assert.Equal("42501", deleted.SqlState);
        Assert.Equal("Buy milk", (await StoredAsync(todo.Id))?.Task);
    }

    [Fact]
    public async Task Empty_task_is_refused_by_the_check_constraint()
    {
        var alice = Db.NewUser("Alice");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => AddAsync(alice, ""));

        Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
    }
}
