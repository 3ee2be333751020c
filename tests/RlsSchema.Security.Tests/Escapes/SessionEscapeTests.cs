using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Npgsql;
using RlsSchema.Security.Tests.Concurrency;
using RlsSchema.Security.Tests.Entities;
using RlsSchema.Security.Tests.Infrastructure;
using RlsSchema.Testing;
using Xunit;
using Xunit.Abstractions;

namespace RlsSchema.Security.Tests.Escapes;

/// <summary>
/// What raw SQL inside a session can do. <see cref="IRlsSession.QueryAsync{T}"/> runs any SQL: the application's code
/// is trusted to write it, end users are not (they only supply parameter values and tokens). These tests pin what
/// that SQL can and cannot reach: it cannot become the owner or a superuser, dropping the role lands in the login
/// role that holds no privileges, and nothing it sets outlives the session on a pooled connection. It can forge
/// claims for itself: that is the trust boundary, and SECURITY.md says so.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SessionEscapeTests(SecurityEnvironment env, ITestOutputHelper output) : IAsyncLifetime
{
    private const string SelectAll = "SELECT id AS \"Id\", user_id AS \"UserId\", task AS \"Task\", is_complete AS \"IsComplete\", inserted_at AS \"InsertedAt\" FROM todos";
    private const string IdentitySql = "SELECT current_user::text AS \"Role\", auth.user_id() AS \"Sub\", pg_backend_pid() AS \"Pid\"";

    private RlsDataSource _single = null!;
    private string _alice = "";
    private string _bob = "";
    private long _bobsRow;

    public async Task InitializeAsync()
    {
        // One connection: whatever one session leaves on it, the next one meets.
        _single = env.CreateDataSource(1);
        _alice = DevTokenIssuer.NewUserId();
        _bob = DevTokenIssuer.NewUserId();
        await using RlsSession alice = await Open(_alice);
        await new GuardedTodoRepository(alice).InsertAsync(new GuardedTodo { Task = "alice's" });
        await using RlsSession bob = await Open(_bob);
        _bobsRow = (await new GuardedTodoRepository(bob).InsertAsync(new GuardedTodo { Task = "bob's secret" })).Id;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<RlsSession> Open(string? sub) => sub is null
        ? await _single.OpenAnonymousSessionAsync()
        : await _single.OpenSessionAsync(env.Token(sub));

    public static IEnumerable<object[]> EscapeAttempts() =>
    [
        ["RESET ROLE"],
        ["RESET ALL"],
        ["SET ROLE NONE"],
        ["SET ROLE {owner}"],
        ["SET ROLE postgres"],
        ["SET SESSION AUTHORIZATION {owner}"],
        ["SET SESSION AUTHORIZATION postgres"],
        ["SELECT set_config('role', '{owner_name}', true)"],
        ["SELECT set_config('role', 'postgres', false)"],
        ["SET LOCAL ROLE {authenticator}"],
        ["COMMIT"],
        ["ROLLBACK"],
        ["SET ROLE anonymous"],
        ["SET row_security = off"],
        ["SELECT set_config('row_security', 'off', true)"],
        ["ALTER TABLE todos DISABLE ROW LEVEL SECURITY"],
        ["DROP POLICY IF EXISTS \"crud-authenticated-policy-select\" ON todos"],
        ["CREATE POLICY everyone ON todos FOR SELECT TO authenticated USING (true)"],
        ["GRANT authenticated TO anonymous"],
        ["CREATE OR REPLACE FUNCTION auth.user_id() RETURNS text LANGUAGE sql AS $$ SELECT '{bob}' $$"],
        ["CREATE FUNCTION public.user_id() RETURNS text LANGUAGE sql AS $$ SELECT '{bob}' $$; SET search_path = public, auth"],
        ["DISCARD ALL"],
    ];

    [Theory]
    [MemberData(nameof(EscapeAttempts))]
    public async Task Raw_sql_cannot_escape_to_another_role_or_past_the_policies(string attempt)
    {
        string sql = attempt.Replace("{owner_name}", env.OwnerRole, StringComparison.Ordinal).Replace("{owner}", Quote(env.OwnerRole), StringComparison.Ordinal)
            .Replace("{authenticator}", Quote(env.Database.AuthenticatorRole), StringComparison.Ordinal)
            .Replace("{bob}", _bob, StringComparison.Ordinal);
        IReadOnlyList<GuardedTodo>? seen = null;
        Exception? refused = null;
        await using (RlsSession alice = await Open(_alice))
        {
            // In a transaction the attempt and the look that follows share one connection: whatever the attempt
            // changed is still in force when the table is read.
            _ = await alice.BeginTransactionAsync();
            try
            {
                await alice.ExecuteAsync(sql, null, default);
                seen = await alice.QueryAsync<GuardedTodo>(SelectAll, null, default);
            }
            catch (Exception e)
            {
                refused = e;
            }
        }

        output.WriteLine(refused is null ? $"ran; saw {seen!.Count} rows, owners {string.Join(", ", seen.Select(t => t.UserId).Distinct())}" : $"refused: {refused.GetType().Name}: {refused.Message}");

        // Either it was refused, or it gained nothing: only alice's rows, never bob's.
        Assert.True(seen is not null || refused is not null);
        if (seen is not null)
        {
            Assert.All(seen, t => Assert.Equal(_alice, t.UserId));
        }

        // Nothing of it is left for the next session on the same connection, nor in the schema.
        await AssertNextSessionIsCleanAsync(_bob);
        Assert.Equal(8L, await env.AdminScalarAsync<long>("SELECT count(*) FROM pg_policies WHERE tablename = 'todos'"));
        Assert.True(await env.AdminScalarAsync<bool>("SELECT relrowsecurity FROM pg_class WHERE relname = 'todos'"));
        Assert.Equal(env.OwnerRole, await env.AdminScalarAsync<string>("SELECT pg_get_userbyid(proowner)::text FROM pg_proc WHERE proname = 'user_id' AND pronamespace = 'auth'::regnamespace"));
        SecurityFigures.Record(nameof(Raw_sql_cannot_escape_to_another_role_or_past_the_policies) + ": " + attempt, 2, 1, 0, 0);
    }

    [Fact]
    public async Task Dropping_the_role_lands_in_the_login_role_which_may_not_read_any_table()
    {
        await using (RlsSession alice = await Open(_alice))
        {
            _ = await alice.BeginTransactionAsync();
            await alice.ExecuteAsync("RESET ROLE", null, default);
            Assert.Equal(env.Database.AuthenticatorRole, await alice.QuerySingleOrDefaultAsync<string>("SELECT current_user::text", null, default));
            RlsAuthorizationException denied = await Assert.ThrowsAsync<RlsAuthorizationException>(() => alice.QueryAsync<GuardedTodo>(SelectAll, null, default));
            Assert.Equal("42501", denied.SqlState);
        }

        // Ending the implicit transaction in the middle of a round trip to go on without the role is refused: the caller's
        // SQL is one command of the batch, and PostgreSQL runs none of a command that holds more than one statement.
        await using (RlsSession alice = await Open(_alice))
        {
            PostgresException refused = await Assert.ThrowsAsync<PostgresException>(() => alice.ExecuteAsync("COMMIT; SELECT id FROM todos", null, default));
            Assert.Equal(PostgresErrorCodes.SyntaxError, refused.SqlState);

            // In an explicit transaction, a COMMIT in raw SQL ends the session's use of it: Npgsql refuses the next statement.
            _ = await alice.BeginTransactionAsync();
            await alice.ExecuteAsync("COMMIT", null, default);
            await Assert.ThrowsAsync<InvalidOperationException>(() => alice.QueryAsync<GuardedTodo>(SelectAll, null, default));
        }

        await AssertNextSessionIsCleanAsync(_bob);
    }

    [Fact]
    public async Task Becoming_the_owner_or_a_superuser_is_refused()
    {
        await using RlsSession alice = await Open(_alice);
        foreach (string sql in new[] { $"SET ROLE {Quote(env.OwnerRole)}", "SET ROLE postgres", $"SELECT set_config('role', '{env.OwnerRole}', true)", "SET SESSION AUTHORIZATION postgres" })
        {
            RlsAuthorizationException e = await Assert.ThrowsAsync<RlsAuthorizationException>(() => alice.ExecuteAsync(sql, null, default));
            Assert.Equal("42501", e.SqlState);
        }
    }

    [Fact]
    public async Task App_code_can_forge_claims_in_its_own_sql_which_is_the_trust_boundary_and_it_ends_with_the_statement()
    {
        string bobsClaims = new JsonObject { ["sub"] = _bob }.ToJsonString();
        await using (RlsSession alice = await Open(_alice))
        {
            // Trusted application SQL may set the claims it likes: this is why end users must never reach raw SQL.
            RlsTransaction transaction = await alice.BeginTransactionAsync();
            await alice.ExecuteAsync(
                "SELECT set_config('request.jwt.claims', @claims, true), set_config('request.jwt.claim.sub', @sub, true)",
                new { claims = bobsClaims, sub = _bob },
                default);
            IReadOnlyList<GuardedTodo> forged = await new GuardedTodoRepository(alice).ListAsync();
            Assert.Contains(forged, t => t.Id == _bobsRow);
            await transaction.RollbackAsync();

            // It lasts for that transaction only: the session's next statement is alice again.
            Assert.All(await new GuardedTodoRepository(alice).ListAsync(), t => Assert.Equal(_alice, t.UserId));

            // Forged for the whole connection (is_local false): the next statement still sets its own claims.
            await alice.ExecuteAsync("SELECT set_config('request.jwt.claims', @claims, false)", new { claims = bobsClaims }, default);
            Assert.Equal(_alice, await alice.QuerySingleOrDefaultAsync<string>("SELECT auth.user_id()", null, default));
        }

        await using (RlsSession anonymous = await Open(null))
        {
            Assert.Null(await anonymous.QuerySingleOrDefaultAsync<string>("SELECT auth.user_id()", null, default));

            // Reaching below the session's own settings by ending the round trip's transaction first is refused.
            PostgresException refused = await Assert.ThrowsAsync<PostgresException>(() =>
                anonymous.ExecuteAsync("COMMIT; SELECT current_setting('request.jwt.claims', true)", null, default));
            Assert.Equal(PostgresErrorCodes.SyntaxError, refused.SqlState);
        }

        SecurityFigures.Record(nameof(App_code_can_forge_claims_in_its_own_sql_which_is_the_trust_boundary_and_it_ends_with_the_statement), 6, 3, 0, 0);
    }

    [Fact]
    public async Task A_role_dropped_inside_an_explicit_transaction_fails_closed_for_the_rest_of_it()
    {
        await using RlsSession alice = await Open(_alice);
        _ = await alice.BeginTransactionAsync();
        Assert.Equal(_alice, await alice.QuerySingleOrDefaultAsync<string>("SELECT auth.user_id()", null, default));
        await alice.ExecuteAsync("RESET ROLE", null, default);
        await Assert.ThrowsAsync<RlsAuthorizationException>(() => new GuardedTodoRepository(alice).ListAsync());
        await alice.DisposeAsync();
        await AssertNextSessionIsCleanAsync(_bob);
    }

    [Fact]
    public async Task The_owner_bypasses_row_level_security_unless_the_table_forces_it()
    {
        await using (RlsSession alice = await Open(_alice))
        {
            await new LockedTodoRepository(alice).InsertAsync(new LockedTodo { Task = "forced" });
            Assert.Single(await new LockedTodoRepository(alice).ListAsync());
        }

        await using (RlsSession bob = await Open(_bob))
        {
            await new LockedTodoRepository(bob).InsertAsync(new LockedTodo { Task = "forced too" });
        }

        long all = await env.AdminScalarAsync<long>("SELECT count(*) FROM locked_todos");
        Assert.True(all >= 2);

        // todos has no FORCE: its owner reads every user's rows.
        long ownerSeesTodos = await Sql.ScalarAsync<long>(env.OwnerConnectionString, "SELECT count(*) FROM todos");
        Assert.Equal(await env.AdminScalarAsync<long>("SELECT count(*) FROM todos"), ownerSeesTodos);

        // locked_todos has FORCE: its owner is bound by the policies, which grant it nothing.
        Assert.Equal(0L, await Sql.ScalarAsync<long>(env.OwnerConnectionString, "SELECT count(*) FROM locked_todos"));
        global::Npgsql.PostgresException refused = await Assert.ThrowsAsync<global::Npgsql.PostgresException>(() =>
            Sql.ExecuteAsync(env.OwnerConnectionString, "INSERT INTO locked_todos (user_id, task) VALUES ('someone', 'x')"));
        Assert.Equal("42501", refused.SqlState);

        // FORCE does not bind a superuser (nor a BYPASSRLS role): the owner role must be neither.
        Assert.Equal(all, await env.AdminScalarAsync<long>("SELECT count(*) FROM locked_todos"));
        Assert.False(await env.AdminScalarAsync<bool>("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = @r", ("r", env.OwnerRole)));
    }

    [Fact]
    public async Task A_table_created_later_without_row_level_security_is_closed_to_every_end_user()
    {
        // The script grants each role only what its policies cover, table by table, and no default privileges: a
        // table created later without RLS is out of every end user's reach.
        await Sql.ExecuteAsync(env.OwnerConnectionString, "CREATE TABLE IF NOT EXISTS unprotected_notes (body text); INSERT INTO unprotected_notes VALUES ('internal')");
        try
        {
            foreach (string? sub in new[] { null, _alice })
            {
                await using RlsSession session = await Open(sub);
                RlsAuthorizationException refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() => session.QueryAsync<string>("SELECT body FROM unprotected_notes", null, default));
                Assert.Equal("42501", refused.SqlState);
                RlsAuthorizationException deleted = await Assert.ThrowsAsync<RlsAuthorizationException>(() => session.ExecuteAsync("DELETE FROM unprotected_notes", null, default));
                Assert.Equal("42501", deleted.SqlState);
            }

            Assert.Equal(1L, await env.AdminScalarAsync<long>("SELECT count(*) FROM unprotected_notes"));
        }
        finally
        {
            await Sql.ExecuteAsync(env.OwnerConnectionString, "DROP TABLE unprotected_notes");
        }
    }

    private async Task AssertNextSessionIsCleanAsync(string sub)
    {
        await using (RlsSession next = await Open(sub))
        {
            SessionIdentity? me = await next.QuerySingleOrDefaultAsync<SessionIdentity>(IdentitySql, null, default);
            Assert.Equal("authenticated", me?.Role);
            Assert.Equal(sub, me?.Sub);
            Assert.All(await new GuardedTodoRepository(next).ListAsync(), t => Assert.Equal(sub, t.UserId));
        }

        await using (RlsSession anonymous = await Open(null))
        {
            SessionIdentity? me = await anonymous.QuerySingleOrDefaultAsync<SessionIdentity>(IdentitySql, null, default);
            Assert.Equal("anonymous", me?.Role);
            Assert.Null(me?.Sub);
            Assert.Empty(await new GuardedTodoRepository(anonymous).ListAsync());
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
