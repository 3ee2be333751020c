using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.EntityFrameworkCore.Tests.Runtime;

/// <summary>A context without a session fails closed; pooled contexts never carry an earlier lease's user.</summary>
[Collection(EfDatabaseCollection.Name)]
public sealed class UnboundAndPooledTests(EfDatabase db)
{
    [Fact]
    public async Task A_context_without_a_session_is_refused_its_commands_and_told_how_to_bind_one()
    {
        await using var context = TodoContext.Create(db.SessionConnectionString);

        var query = await Record.ExceptionAsync(() => context.Todos.ToListAsync());
        var raw = Record.Exception(() => context.Database.ExecuteSqlRaw("SELECT 1"));
        var anyone = DevTokenIssuer.NewUserId();
        context.Todos.Add(new Todo { UserId = anyone, Task = "Unbound" });
        var save = await Record.ExceptionAsync(() => context.SaveChangesAsync());

        Assert.Contains("UseSession", Assert.IsType<InvalidOperationException>(query).Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(raw);
        Assert.IsType<InvalidOperationException>(Assert.IsType<DbUpdateException>(save).InnerException);
        Assert.Empty(await db.OwnerQueryAsync<long>("SELECT id FROM todos WHERE user_id = @anyone", new { anyone }));
    }

    [Fact]
    public async Task A_context_without_a_session_still_runs_EFs_migration_commands_as_the_connections_login()
    {
        await using var context = TodoContext.Create(db.Database.OwnerConnectionString);

        var applied = await context.Database.GetAppliedMigrationsAsync();
        var query = await Record.ExceptionAsync(() => context.Todos.ToListAsync());

        Assert.Empty(applied);
        Assert.IsType<InvalidOperationException>(query);
    }

    [Fact]
    public async Task A_session_whose_token_expired_runs_nothing_more()
    {
        var options = db.Issuer.ValidationOptions with { ClockSkew = TimeSpan.Zero };
        await using var dataSource = db.Database.CreateDataSource(options);
        await using var session = await dataSource.OpenSessionAsync(
            db.Issuer.IssueToken(DevTokenIssuer.NewUserId(), new DevTokenOptions { Lifetime = TimeSpan.FromSeconds(15) }));
        await using var context = db.ContextFor(session);
        await context.Todos.ToListAsync();

        await Task.Delay(session.ExpiresAt!.Value - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
        var expired = await Record.ExceptionAsync(() => context.Todos.ToListAsync());

        Assert.Equal(TokenFailure.Expired, Assert.IsType<RlsTokenException>(expired).Reason);
    }

    [Fact]
    public async Task Pooled_contexts_under_64_concurrent_callers_over_few_connections_each_see_only_their_own_rows()
    {
        var few = new NpgsqlConnectionStringBuilder(db.SessionConnectionString) { MaxPoolSize = 4 }.ConnectionString;
        var factory = new PooledDbContextFactory<TodoContext>(
            TodoContext.Configure(new DbContextOptionsBuilder<TodoContext>(), few).Options, poolSize: 8);
        var users = Enumerable.Range(0, 64).Select(_ => DevTokenIssuer.NewUserId()).ToList();
        var seeded = new Dictionary<string, long>();
        foreach (var user in users)
        {
            seeded[user] = await db.SeedAsync(user, "Pooled " + user);
        }

        var seen = await Task.WhenAll(users.Select(user => Task.Run(async () =>
        {
            await using var session = await db.SignInAsync(user);
            var ids = new List<long>();
            for (var round = 0; round < 5; round++)
            {
                await using var context = await factory.CreateDbContextAsync();
                context.UseSession(session);
                ids.AddRange(await context.Todos.Select(t => t.Id).ToListAsync());
            }

            return (user, ids);
        })));

        Assert.All(seen, s => Assert.Equal(Enumerable.Repeat(seeded[s.user], 5), s.ids));

        // A lease after all those: it was returned bound, and comes back bound to nothing.
        await using var leased = await factory.CreateDbContextAsync();
        Assert.IsType<InvalidOperationException>(await Record.ExceptionAsync(() => leased.Todos.ToListAsync()));
    }

    [Fact]
    public async Task AddDbContextPool_leases_start_without_the_previous_leases_user()
    {
        var services = new ServiceCollection();
        services.AddDbContextPool<TodoContext>(o => TodoContext.Configure((DbContextOptionsBuilder<TodoContext>)o, db.SessionConnectionString), poolSize: 1);
        await using var provider = services.BuildServiceProvider();
        var alice = DevTokenIssuer.NewUserId();
        var mine = await db.SeedAsync(alice, "Alice's, pooled");
        await using var session = await db.SignInAsync(alice);

        TodoContext first;
        await using (var scope = provider.CreateAsyncScope())
        {
            first = scope.ServiceProvider.GetRequiredService<TodoContext>().UseSession(session);
            Assert.Equal([mine], await first.Todos.Select(t => t.Id).ToListAsync());
        }

        await using var next = provider.CreateAsyncScope();
        var second = next.ServiceProvider.GetRequiredService<TodoContext>();

        Assert.Same(first, second);
        Assert.IsType<InvalidOperationException>(await Record.ExceptionAsync(() => second.Todos.ToListAsync()));
    }

    [Fact]
    public async Task Behind_PgBouncer_in_transaction_mode_each_user_sees_only_their_own_rows_and_leaves_nothing()
    {
        await using var bouncer = await PgBouncer.StartAsync(db.Server, serverConnections: 2);
        var through = bouncer.Rewrite(db.SessionConnectionString);
        var users = Enumerable.Range(0, 16).Select(_ => DevTokenIssuer.NewUserId()).ToList();
        var seeded = new Dictionary<string, long>();
        foreach (var user in users)
        {
            seeded[user] = await db.SeedAsync(user, "Bounced " + user);
        }

        var seen = await Task.WhenAll(users.Select(user => Task.Run(async () =>
        {
            await using var session = await db.SignInAsync(user);
            await using var context = TodoContext.Create(through).UseSession(session);
            var ids = await context.Todos.Select(t => t.Id).ToListAsync();
            context.Todos.Add(new Todo { UserId = user, Task = "Through the pooler" });
            await context.SaveChangesAsync();
            return (user, ids);
        })));

        Assert.All(seen, s => Assert.Equal([seeded[s.user]], s.ids));
        await using var connection = new NpgsqlConnection(through);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_user, coalesce(current_setting('request.jwt.claims', true), '')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(db.Database.AuthenticatorRole, reader.GetString(0));
        Assert.Equal("", reader.GetString(1));
    }
}
