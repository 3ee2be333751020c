using System;
using System.Linq;
using System.Threading.Tasks;
using RlsSchema.Npgsql;

namespace Todos;

/// <summary>
/// The sample against real services (for example Neon and WorkOS): <c>DATABASE_URL</c> migrates,
/// <c>DATABASE_AUTHENTICATED_URL</c> runs the user's queries, and the user's token is checked against the JWKS of
/// <c>WORKOS_CLIENT_ID</c> or <c>RLS_JWKS_URL</c> (with <c>RLS_JWT_ISSUER</c> and <c>RLS_JWT_AUDIENCE</c> when set).
/// </summary>
internal static class HostedRun
{
    /// <summary>True when the environment names a database and an issuer, so the sample uses them.</summary>
    public static bool IsConfigured(Func<string, string?> variable) =>
        Set(variable("DATABASE_URL")) && Set(variable("DATABASE_AUTHENTICATED_URL"))
        && (Set(variable("WORKOS_CLIENT_ID")) || Set(variable("RLS_JWKS_URL")));

    public static async Task RunAsync(string token, Transcript transcript)
    {
        var script = SchemaScript.Load();
        await using (var migrator = RlsMigrator.FromEnvironment())
        {
            await migrator.MigrateAsync(script.Sql);
        }

        await using var data = RlsDataSource.FromEnvironment();

        transcript.Setting("database", "DATABASE_URL (migrations) and DATABASE_AUTHENTICATED_URL (queries)");
        transcript.Setting("schema", script.Source);
        transcript.Setting("sign-in", $"tokens checked against {data.TokenValidator!.Options.JwksUri}");

        transcript.Blank();
        await using (var session = await data.OpenSessionAsync(token))
        {
            transcript.Actor($"The token's user signs in as {session.UserId}");
            var todos = new TodoRepository(session);
            var added = await todos.InsertAsync(new Todo { Task = "Try RlsSchema" });
            transcript.Step("adds \"Try RlsSchema\"", Transcript.Describe(added));
            transcript.Expect(added.UserId == session.UserId, "A new todo belongs to the signed-in user");

            var listed = await todos.ListAsync();
            transcript.Step("lists todos", Transcript.Describe(listed));
            transcript.Expect(
                listed.Any(t => t.Id == added.Id) && listed.All(t => t.UserId == session.UserId),
                "The user sees their own todos and no one else's");

            var deleted = await todos.DeleteAsync(added.Id);
            transcript.Step($"deletes todo #{added.Id}", deleted ? "deleted" : "nothing deleted");
            transcript.Expect(deleted, "The user can delete their own todo");
        }

        transcript.Blank();
        transcript.Actor("A visitor who has not signed in");
        await using (var session = await data.OpenAnonymousSessionAsync())
        {
            try
            {
                var listed = await new TodoRepository(session).ListAsync();
                transcript.Step("lists todos", Transcript.Describe(listed));
                transcript.Expect(listed.Count == 0, "The anonymous session reads nothing");
            }
            catch (RlsAuthorizationException refused)
            {
                // Where the session login may not switch to the anonymous role, the server refuses outright.
                transcript.Step("lists todos", $"refused: {refused.Message} (SQLSTATE {refused.SqlState})");
                transcript.Expect(true, "The anonymous session reads nothing");
            }
        }
    }

    private static bool Set(string? value) => !string.IsNullOrWhiteSpace(value);
}
