using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.EntityFrameworkCore.Tests.Runtime;

/// <summary>
/// SaveChanges as the session: a write the policy hides is never reported as done, a write it refuses throws the
/// runtime's exception, and nothing of a failed save is stored.
/// </summary>
[Collection(EfDatabaseCollection.Name)]
public sealed class SaveChangesAsSessionTests(EfDatabase db)
{
    private Task<string?> StoredTaskAsync(long id) =>
        db.OwnerQueryAsync<string>("SELECT task FROM todos WHERE id = @id", new { id }).ContinueWith(t => t.Result.SingleOrDefault());

    [Fact]
    public async Task Insert_update_and_delete_of_the_users_own_rows_are_stored()
    {
        var alice = DevTokenIssuer.NewUserId();
        await using var session = await db.SignInAsync(alice);
        await using var context = db.ContextFor(session);

        var todo = new Todo { UserId = alice, Task = "Buy milk" };
        context.Todos.Add(todo);
        await context.SaveChangesAsync();
        todo.Task = "Buy oat milk";
        context.SaveChanges();
        var stored = await StoredTaskAsync(todo.Id);
        context.Todos.Remove(todo);
        await context.SaveChangesAsync();

        Assert.True(todo.Id > 0);
        Assert.InRange(todo.InsertedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal("Buy oat milk", stored);
        Assert.Null(await StoredTaskAsync(todo.Id));
    }

    [Fact]
    public async Task Alice_cannot_update_bobs_todo_and_is_not_told_it_was_done()
    {
        var alice = DevTokenIssuer.NewUserId();
        var bobs = await db.SeedAsync(DevTokenIssuer.NewUserId(), "Water the plants");
        await using var session = await db.SignInAsync(alice);
        await using var context = db.ContextFor(session);

        context.Attach(new Todo { Id = bobs, UserId = alice, Task = "Taken over" }).Property(t => t.Task).IsModified = true;
        var save = await Record.ExceptionAsync(() => context.SaveChangesAsync());

        Assert.IsType<DbUpdateConcurrencyException>(save);
        Assert.Equal("Water the plants", await StoredTaskAsync(bobs));
    }

    [Fact]
    public async Task Alice_cannot_delete_bobs_todo_and_is_not_told_it_was_done()
    {
        var alice = DevTokenIssuer.NewUserId();
        var bobs = await db.SeedAsync(DevTokenIssuer.NewUserId(), "Water the plants");
        await using var session = await db.SignInAsync(alice);
        await using var context = db.ContextFor(session);

        context.Remove(new Todo { Id = bobs, UserId = alice });
        var save = Record.Exception(() => context.SaveChanges());

        Assert.IsType<DbUpdateConcurrencyException>(save);
        Assert.Equal("Water the plants", await StoredTaskAsync(bobs));
    }

    [Fact]
    public async Task A_mixed_batch_with_a_hidden_row_fails_as_a_whole_and_stores_nothing()
    {
        var alice = DevTokenIssuer.NewUserId();
        var mine = await db.SeedAsync(alice, "Mine");
        var bobs = await db.SeedAsync(DevTokenIssuer.NewUserId(), "Bob's");
        await using var session = await db.SignInAsync(alice);
        await using var context = db.ContextFor(session);

        // Every statement but the hidden update affects one row: a count read one position off would be a neighbour's (1)
        // and report the hidden update as done.
        context.Todos.Add(new Todo { UserId = alice, Task = "New in the batch" });
        context.Attach(new Todo { Id = bobs, UserId = alice, Task = "Taken over" }).Property(t => t.Task).IsModified = true;
        context.Attach(new Todo { Id = mine, UserId = alice, Task = "Mine, changed" }).Property(t => t.Task).IsModified = true;
        var save = await Record.ExceptionAsync(() => context.SaveChangesAsync());

        var concurrency = Assert.IsType<DbUpdateConcurrencyException>(save);
        Assert.Contains(concurrency.Entries, e => e.Entity is Todo { Id: var id } && id == bobs);
        Assert.Equal("Mine", await StoredTaskAsync(mine));
        Assert.Equal("Bob's", await StoredTaskAsync(bobs));
        Assert.Empty(await db.OwnerQueryAsync<long>("SELECT id FROM todos WHERE task = 'New in the batch' AND user_id = @alice", new { alice }));
    }

    [Fact]
    public async Task A_write_the_policy_refuses_throws_RlsAuthorizationException_and_nothing_of_the_save_is_stored()
    {
        var alice = DevTokenIssuer.NewUserId();
        var bob = DevTokenIssuer.NewUserId();
        await using var session = await db.SignInAsync(alice);
        await using var context = db.ContextFor(session);

        context.Todos.Add(new Todo { UserId = alice, Task = "Alice's, in the refused save" });
        context.Todos.Add(new Todo { UserId = bob, Task = "Written in Bob's name" });
        var save = await Record.ExceptionAsync(() => context.SaveChangesAsync());
        context.ChangeTracker.Clear();
        context.Todos.Add(new Todo { UserId = bob, Task = "Written in Bob's name, alone" });
        var single = Record.Exception(() => context.SaveChanges());

        var refusal = Assert.IsType<RlsAuthorizationException>(save);
        Assert.Equal("42501", refusal.SqlState);
        Assert.Equal("todos", refusal.TableName);
        Assert.IsType<DbUpdateException>(refusal.InnerException);
        Assert.IsType<RlsAuthorizationException>(single);
        Assert.Empty(await db.OwnerQueryAsync<long>("SELECT id FROM todos WHERE user_id IN (@alice, @bob)", new { alice, bob }));
    }

    [Fact]
    public async Task A_save_in_several_batches_runs_each_as_the_session_and_a_refusal_in_the_last_stores_nothing()
    {
        var alice = DevTokenIssuer.NewUserId();
        var bob = DevTokenIssuer.NewUserId();
        await using var session = await db.SignInAsync(alice);
        var options = new DbContextOptionsBuilder<TodoContext>()
            .UseNpgsql(db.SessionConnectionString, npgsql => npgsql.MaxBatchSize(2))
            .UseSnakeCaseNamingConvention()
            .UseRlsSchema();
        await using var context = new TodoContext(options.Options).UseSession(session);

        for (var i = 0; i < 5; i++)
        {
            context.Todos.Add(new Todo { UserId = alice, Task = "Batched " + i });
        }

        await context.SaveChangesAsync();
        var stored = await db.OwnerQueryAsync<long>("SELECT id FROM todos WHERE user_id = @alice", new { alice });
        for (var i = 0; i < 4; i++)
        {
            context.Todos.Add(new Todo { UserId = alice, Task = "Refused with the rest " + i });
        }

        context.Todos.Add(new Todo { UserId = bob, Task = "In Bob's name, in the last batch" });
        var save = await Record.ExceptionAsync(() => context.SaveChangesAsync());

        Assert.Equal(5, stored.Count);
        Assert.IsType<RlsAuthorizationException>(save);
        Assert.Equal(5, (await db.OwnerQueryAsync<long>("SELECT id FROM todos WHERE user_id IN (@alice, @bob)", new { alice, bob })).Count);
    }
}
