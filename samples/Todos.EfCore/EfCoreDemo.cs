using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RlsSchema.EntityFrameworkCore;
using RlsSchema.Npgsql;
using RlsSchema.Testing;

namespace Todos;

/// <summary>
/// The Todos sample as an EF Core app writes it: EF migrations (made with <c>dotnet ef migrations add</c>, carrying the
/// policies) applied at start, then Alice and Bob through LINQ and <c>SaveChanges</c> on a context bound to their
/// session, with the same checks as samples/Todos.
/// </summary>
internal static class EfCoreDemo
{
    public static async Task RunAsync(Transcript transcript)
    {
        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync();
        await using var issuer = await DevTokenIssuer.StartAsync();
        List<string> applied;
        await using (var owner = new TodoContext(TodoContext.Options(database.OwnerConnectionString)))
        {
            // The owner applies EF's migrations (a context bound to no session runs only EF's migration commands).
            await owner.Database.MigrateAsync();
            applied = owner.Database.GetMigrations().ToList();
        }

        await using var data = database.CreateDataSource(issuer.ValidationOptions);
        var options = TodoContext.Options(database.AuthenticatorConnectionString);

        var address = new NpgsqlConnectionStringBuilder(server.ConnectionString);
        transcript.Setting("database", $"throwaway PostgreSQL at {address.Host}:{address.Port} ({server.Kind}), removed on exit");
        transcript.Setting("schema", $"EF migrations {string.Join(", ", applied)}: tables, row-level security, policies, grants");
        transcript.Setting("sign-in", $"development issuer standing in for WorkOS, keys at {issuer.JwksUri}");

        var alice = DevTokenIssuer.NewUserId();
        var bob = DevTokenIssuer.NewUserId();

        transcript.Blank();
        transcript.Actor($"Alice signs in as {alice}");
        Todo milk, bank;
        await using (var session = await data.OpenSessionAsync(issuer.IssueToken(alice)))
        await using (var db = new TodoContext(options).UseSession(session))
        {
            milk = new Todo { UserId = alice, Task = "Buy milk" };
            bank = new Todo { UserId = alice, Task = "Call the bank", DueOn = new DateOnly(2026, 12, 1) };
            db.Todos.AddRange(milk, bank);
            await db.SaveChangesAsync();
            transcript.Step("adds \"Buy milk\", \"Call the bank\"", $"todos #{milk.Id}, #{bank.Id}");
            var listed = await db.Todos.AsNoTracking().OrderBy(t => t.Id).ToListAsync();
            transcript.Step("lists todos", Transcript.Describe(listed));
            transcript.Expect(listed.Select(t => t.Id).SequenceEqual([milk.Id, bank.Id]), "Alice sees exactly her own todos");
        }

        transcript.Blank();
        transcript.Actor($"Bob signs in as {bob}");
        await using (var session = await data.OpenSessionAsync(issuer.IssueToken(bob)))
        {
            await using (var db = new TodoContext(options).UseSession(session))
            {
                var plants = new Todo { UserId = bob, Task = "Water the plants" };
                db.Todos.Add(plants);
                await db.SaveChangesAsync();
                transcript.Step("adds \"Water the plants\"", $"todo #{plants.Id}");
                var listed = await db.Todos.AsNoTracking().OrderBy(t => t.Id).ToListAsync();
                transcript.Step("lists todos", Transcript.Describe(listed));
                transcript.Expect(listed.Select(t => t.Id).SequenceEqual([plants.Id]), "Bob sees exactly his own todos");

                var peeked = await db.Todos.AsNoTracking().SingleOrDefaultAsync(t => t.Id == milk.Id);
                transcript.Step($"reads Alice's todo #{milk.Id}", peeked is null ? "not found" : Transcript.Describe(peeked));
                transcript.Expect(peeked is null, "Bob cannot read Alice's todo");
            }

            var updated = await HiddenWriteAsync(options, session, db => db.Todos.Update(new Todo { Id = milk.Id, UserId = bob, Task = "Buy nothing", IsComplete = true }));
            transcript.Step($"marks Alice's todo #{milk.Id} done", updated);
            var deleted = await HiddenWriteAsync(options, session, db => db.Todos.Remove(new Todo { Id = milk.Id }));
            transcript.Step($"deletes Alice's todo #{milk.Id}", deleted);
            transcript.Expect(updated == Unchanged && deleted == Unchanged, "Bob's update and delete of Alice's todo change nothing");

            await using (var db = new TodoContext(options).UseSession(session))
            {
                try
                {
                    db.Todos.Add(new Todo { UserId = alice, Task = "Forged by Bob" });
                    await db.SaveChangesAsync();
                    transcript.Step("adds a todo in Alice's name", "stored");
                    transcript.Expect(false, "Bob's insert naming Alice's id is refused");
                }
                catch (RlsAuthorizationException refused)
                {
                    transcript.Step("adds a todo in Alice's name", $"refused: {refused.Message} (SQLSTATE {refused.SqlState})");
                    transcript.Expect(refused.SqlState == "42501", "Bob's insert naming Alice's id is refused");
                }
            }
        }

        transcript.Blank();
        transcript.Actor("Alice comes back");
        await using (var session = await data.OpenSessionAsync(issuer.IssueToken(alice)))
        await using (var db = new TodoContext(options).UseSession(session))
        {
            var listed = await db.Todos.OrderBy(t => t.Id).ToListAsync();
            transcript.Step("lists todos", Transcript.Describe(listed));
            var unchanged = listed.Count == 2
                && listed[0] is { Task: "Buy milk", IsComplete: false }
                && listed[1].Id == bank.Id && listed[1].DueOn == new DateOnly(2026, 12, 1);
            transcript.Expect(unchanged, "Alice's todos are as she left them, with nothing forged among them");

            var mine = listed.Single(t => t.Id == milk.Id);
            mine.IsComplete = true;
            var saved = await db.SaveChangesAsync();
            var done = await db.Todos.AsNoTracking().SingleOrDefaultAsync(t => t.Id == milk.Id);
            transcript.Step($"marks todo #{milk.Id} done", done is null ? "no row updated" : Transcript.Describe(done));
            transcript.Expect(saved == 1 && done is { IsComplete: true }, "Alice can update her own todo");
        }

        transcript.Blank();
        transcript.Actor("A visitor who has not signed in");
        await using (var session = await data.OpenAnonymousSessionAsync())
        await using (var db = new TodoContext(options).UseSession(session))
        {
            try
            {
                var listed = await db.Todos.ToListAsync();
                transcript.Step("lists todos", Transcript.Describe(listed));
                transcript.Expect(false, "The anonymous session may not read the todos at all");
            }
            catch (RlsAuthorizationException refused)
            {
                // No policy names the anonymous role, so it holds no privilege on the table.
                transcript.Step("lists todos", $"refused: {refused.Message} (SQLSTATE {refused.SqlState})");
                transcript.Expect(refused.SqlState == "42501", "The anonymous session may not read the todos at all");
            }
        }
    }

    private const string Unchanged = "no row changed (EF Core: DbUpdateConcurrencyException)";

    // A row the policy hides is, to EF Core, a row that is not there: SaveChanges must say so, never report it done.
    private static async Task<string> HiddenWriteAsync(DbContextOptions<TodoContext> options, RlsSession session, Action<TodoContext> write)
    {
        await using var db = new TodoContext(options).UseSession(session);
        write(db);
        try
        {
            int rows = await db.SaveChangesAsync();
            return $"reported done ({rows} row)";
        }
        catch (DbUpdateConcurrencyException)
        {
            return Unchanged;
        }
    }
}
