using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.EntityFrameworkCore.Tests.Runtime;

/// <summary>Every kind of command of a bound context runs as its session, in one round trip, and leaves nothing behind.</summary>
[Collection(EfDatabaseCollection.Name)]
public sealed class QueryAsSessionTests(EfDatabase db)
{
    private sealed record SessionRow(string Role, string? UserId);

    [Fact]
    public async Task Linq_queries_and_scalars_see_only_the_users_own_rows()
    {
        var alice = DevTokenIssuer.NewUserId();
        var bob = DevTokenIssuer.NewUserId();
        var mine = await db.SeedAsync(alice, "Buy milk");
        await db.SeedAsync(bob, "Water the plants");
        await using var session = await db.SignInAsync(alice);
        await using var context = db.ContextFor(session);

        var listed = await context.Todos.ToListAsync();
        var listedSync = context.Todos.ToList();
        var count = await context.Todos.CountAsync();
        var any = context.Todos.Any(t => t.UserId == bob);

        Assert.Equal([mine], listed.Select(t => t.Id));
        Assert.Equal([mine], listedSync.Select(t => t.Id));
        Assert.Equal(1, count);
        Assert.False(any);
    }

    [Fact]
    public async Task Raw_sql_runs_in_the_sessions_role_with_its_claims()
    {
        var alice = DevTokenIssuer.NewUserId();
        await using var session = await db.SignInAsync(alice);
        await using var context = db.ContextFor(session);

        var row = await context.Database
            .SqlQueryRaw<SessionRow>("SELECT current_user AS role, auth.user_id() AS user_id")
            .SingleAsync();

        Assert.Equal("authenticated", row.Role);
        Assert.Equal(alice, row.UserId);
    }

    [Fact]
    public async Task FromSql_and_EFs_own_scalar_commands_run_as_the_session()
    {
        var alice = DevTokenIssuer.NewUserId();
        var mine = await db.SeedAsync(alice, "Buy milk");
        await db.SeedAsync(DevTokenIssuer.NewUserId(), "Water the plants");
        await using var session = await db.SignInAsync(alice);
        await using var context = db.ContextFor(session);

        var fromSql = await context.Todos.FromSql($"SELECT * FROM todos WHERE task <> {"nothing"}").Select(t => t.Id).ToListAsync();
        var scalar = await context.GetService<IRawSqlCommandBuilder>().Build("SELECT auth.user_id()").ExecuteScalarAsync(
            new RelationalCommandParameterObject(
                context.GetService<IRelationalConnection>(), null, null, context, context.GetService<IRelationalCommandDiagnosticsLogger>()));
        var scalarSync = context.GetService<IRawSqlCommandBuilder>().Build("SELECT count(*) FROM todos").ExecuteScalar(
            new RelationalCommandParameterObject(
                context.GetService<IRelationalConnection>(), null, null, context, context.GetService<IRelationalCommandDiagnosticsLogger>()));

        Assert.Equal([mine], fromSql);
        Assert.Equal(alice, scalar);
        Assert.Equal(1L, scalarSync);
    }

    [Fact]
    public async Task ExecuteUpdate_ExecuteDelete_and_ExecuteSql_touch_only_the_users_rows_and_count_them()
    {
        var alice = DevTokenIssuer.NewUserId();
        var bob = DevTokenIssuer.NewUserId();
        var mine = await db.SeedAsync(alice, "Buy milk");
        var bobs = await db.SeedAsync(bob, "Water the plants");
        await using var session = await db.SignInAsync(alice);
        await using var context = db.ContextFor(session);

        var updated = await context.Todos.ExecuteUpdateAsync(s => s.SetProperty(t => t.IsComplete, true));
        var updatedRaw = context.Database.ExecuteSqlRaw("UPDATE todos SET task = task || '!' WHERE id = ANY ({0})", new[] { mine, bobs });
        var deleted = context.Todos.Where(t => t.Id == bobs).ExecuteDelete();

        Assert.Equal(1, updated);
        Assert.Equal(1, updatedRaw);
        Assert.Equal(0, deleted);
        Assert.Equal("Buy milk!", (await db.OwnerQueryAsync<string>("SELECT task FROM todos WHERE id = @mine", new { mine })).Single());
        Assert.Equal(
            ("Water the plants", false),
            (await db.OwnerQueryAsync<(string, bool)>("SELECT task, is_complete FROM todos WHERE id = @bobs", new { bobs })).Single());
    }

    [Fact]
    public async Task A_query_and_a_save_are_one_round_trip_each_with_the_settings_ahead_of_them()
    {
        var alice = DevTokenIssuer.NewUserId();
        await using var relay = TcpRelay.StartFor(db.SessionConnectionString);
        await using var session = await db.SignInAsync(alice);
        await using var context = TodoContext.Create(relay.Rewrite(db.SessionConnectionString)).UseSession(session);
        await context.Todos.ToListAsync();

        relay.ResetCounters();
        var listed = await context.Todos.ToListAsync();
        var afterQuery = relay.RoundTrips;
        context.Todos.Add(new Todo { UserId = alice, Task = "Counted" });
        await context.SaveChangesAsync();
        var afterSave = relay.RoundTrips;

        Assert.Empty(listed);
        Assert.Equal(1, afterQuery);
        Assert.Equal(2, afterSave);
    }

    [Fact]
    public async Task An_explicit_transaction_runs_each_command_as_the_session_and_a_rollback_keeps_nothing()
    {
        var alice = DevTokenIssuer.NewUserId();
        await using var session = await db.SignInAsync(alice);
        await using var context = db.ContextFor(session);

        await using (var transaction = await context.Database.BeginTransactionAsync())
        {
            context.Todos.Add(new Todo { UserId = alice, Task = "Inside a transaction" });
            await context.SaveChangesAsync();
            var inside = await context.Todos.CountAsync(t => t.Task == "Inside a transaction");
            var role = await context.Database.SqlQueryRaw<string>("SELECT current_user AS \"Value\"").SingleAsync();
            Assert.Equal(1, inside);
            Assert.Equal("authenticated", role);
            await transaction.RollbackAsync();
        }

        Assert.Empty(await db.OwnerQueryAsync<long>("SELECT id FROM todos WHERE user_id = @alice", new { alice }));
    }

    [Fact]
    public async Task The_pooled_connection_keeps_neither_role_nor_claims_afterwards()
    {
        // One physical connection: the next user of the pool gets the very connection the context used.
        var single = new NpgsqlConnectionStringBuilder(db.SessionConnectionString) { MaxPoolSize = 1, ApplicationName = "ef-leftovers" }.ConnectionString;
        await using var session = await db.SignInAsync(DevTokenIssuer.NewUserId());
        await using (var context = TodoContext.Create(single).UseSession(session))
        {
            await context.Todos.ToListAsync();
            context.Todos.Add(new Todo { UserId = session.UserId!, Task = "Leaves nothing" });
            await context.SaveChangesAsync();
        }

        await using var connection = new NpgsqlConnection(single);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT current_user, coalesce(current_setting('request.jwt.claims', true), ''), coalesce(current_setting('request.jwt.claim.sub', true), '')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(db.Database.AuthenticatorRole, reader.GetString(0));
        Assert.Equal("", reader.GetString(1));
        Assert.Equal("", reader.GetString(2));
    }

    [Fact]
    public async Task An_anonymous_session_is_refused_the_owner_only_table_as_the_runtime_refuses_it()
    {
        await db.SeedAsync(DevTokenIssuer.NewUserId(), "Someone's");
        await using var session = await db.DataSource.OpenAnonymousSessionAsync();
        await using var context = db.ContextFor(session);

        var read = await Record.ExceptionAsync(() => context.Todos.ToListAsync());

        Assert.IsType<RlsAuthorizationException>(read);
    }
}
