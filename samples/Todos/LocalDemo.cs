using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema;
using RlsSchema.Generated;
using RlsSchema.Npgsql;
using RlsSchema.Testing;

namespace Todos;

/// <summary>
/// The sample with nothing configured: a throwaway PostgreSQL, a development issuer standing in for WorkOS,
/// and two users, Alice and Bob, who try to see and change each other's todos.
/// </summary>
internal static class LocalDemo
{
    public static async Task RunAsync(Transcript transcript)
    {
        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync();
        await using var issuer = await DevTokenIssuer.StartAsync();
        IReadOnlyList<RlsMigration> applied;
        await using (var migrator = database.CreateMigrator())
        {
            applied = await migrator.MigrateAsync(RlsMigrations.All);
        }

        await using var data = database.CreateDataSource(issuer.ValidationOptions);

        transcript.Setting("database", Describe(server));
        transcript.Setting("schema", MigrationsText.Describe(applied));
        transcript.Setting("sign-in", $"development issuer standing in for WorkOS, keys at {issuer.JwksUri}");

        var alice = DevTokenIssuer.NewUserId();
        var bob = DevTokenIssuer.NewUserId();

        transcript.Blank();
        transcript.Actor($"Alice signs in as {alice}");
        Todo milk, bank;
        await using (var session = await data.OpenSessionAsync(issuer.IssueToken(alice)))
        {
            var todos = new TodoRepository(session);
            milk = await todos.InsertAsync(new Todo { Task = "Buy milk" });
            transcript.Step("adds \"Buy milk\"", $"todo #{milk.Id}");
            bank = await todos.InsertAsync(new Todo { Task = "Call the bank", DueOn = new DateOnly(2026, 12, 1) });
            transcript.Step("adds \"Call the bank\", due 2026-12-01", $"todo #{bank.Id}");
            var listed = await todos.ListAsync();
            transcript.Step("lists todos", Transcript.Describe(listed));
            transcript.Expect(listed.Select(t => t.Id).SequenceEqual([milk.Id, bank.Id]), "Alice sees exactly her own todos");
        }

        transcript.Blank();
        transcript.Actor($"Bob signs in as {bob}");
        await using (var session = await data.OpenSessionAsync(issuer.IssueToken(bob)))
        {
            var todos = new TodoRepository(session);
            var plants = await todos.InsertAsync(new Todo { Task = "Water the plants" });
            transcript.Step("adds \"Water the plants\"", $"todo #{plants.Id}");
            var listed = await todos.ListAsync();
            transcript.Step("lists todos", Transcript.Describe(listed));
            transcript.Expect(listed.Select(t => t.Id).SequenceEqual([plants.Id]), "Bob sees exactly his own todos");

            var peeked = await todos.GetAsync(milk.Id);
            transcript.Step($"reads Alice's todo #{milk.Id}", peeked is null ? "not found" : Transcript.Describe(peeked));
            transcript.Expect(peeked is null, "Bob cannot read Alice's todo");

            var updated = await todos.UpdateAsync(new Todo { Id = milk.Id, Task = "Buy nothing", IsComplete = true });
            transcript.Step($"marks Alice's todo #{milk.Id} done", updated is null ? "no row updated" : Transcript.Describe(updated));
            var deleted = await todos.DeleteAsync(milk.Id);
            transcript.Step($"deletes Alice's todo #{milk.Id}", deleted ? "deleted" : "nothing deleted");
            transcript.Expect(updated is null && !deleted, "Bob's update and delete of Alice's todo change nothing");

            try
            {
                var forged = await todos.InsertAsync(new Todo { UserId = alice, Task = "Forged by Bob" });
                transcript.Step("adds a todo in Alice's name", $"todo #{forged.Id}");
                transcript.Expect(false, "Bob's insert naming Alice's id is refused");
            }
            catch (RlsAuthorizationException refused)
            {
                transcript.Step("adds a todo in Alice's name", $"refused: {refused.Message} (SQLSTATE {refused.SqlState})");
                transcript.Expect(refused.SqlState == "42501", "Bob's insert naming Alice's id is refused");
            }
        }

        transcript.Blank();
        transcript.Actor("Alice comes back");
        await using (var session = await data.OpenSessionAsync(issuer.IssueToken(alice)))
        {
            var todos = new TodoRepository(session);
            var listed = await todos.ListAsync();
            transcript.Step("lists todos", Transcript.Describe(listed));
            var unchanged = listed.Count == 2
                && listed[0] is { Task: "Buy milk", IsComplete: false }
                && listed[1].Id == bank.Id && listed[1].DueOn == new DateOnly(2026, 12, 1);
            transcript.Expect(unchanged, "Alice's todos are as she left them, with nothing forged among them");

            var done = await todos.UpdateAsync(new Todo { Id = milk.Id, Task = milk.Task, IsComplete = true });
            transcript.Step($"marks todo #{milk.Id} done", done is null ? "no row updated" : Transcript.Describe(done));
            transcript.Expect(done is { IsComplete: true }, "Alice can update her own todo");
        }

        transcript.Blank();
        transcript.Actor("A visitor who has not signed in");
        await using (var session = await data.OpenAnonymousSessionAsync())
        {
            try
            {
                var listed = await new TodoRepository(session).ListAsync();
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

    private static string Describe(PostgresServer server)
    {
        var address = new NpgsqlConnectionStringBuilder(server.ConnectionString);
        return server.Kind switch
        {
            PostgresServerKind.LocalBinaries => $"throwaway PostgreSQL from the local binaries at {address.Host}:{address.Port}, removed on exit",
            PostgresServerKind.Container => $"throwaway PostgreSQL container at {address.Host}:{address.Port}, removed on exit",
            _ => $"a fresh database on DATABASE_URL's server {address.Host}:{address.Port}, dropped on exit",
        };
    }
}
