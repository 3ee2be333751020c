using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Generated;
using RlsSchema.Npgsql;
using RlsSchema.Security.Tests.Concurrency;
using RlsSchema.Security.Tests.Entities;
using RlsSchema.Security.Tests.Infrastructure;
using RlsSchema.Testing;
using Xunit;
using Xunit.Abstractions;

namespace RlsSchema.Security.Tests.Faults;

/// <summary>
/// The server goes away in the middle of a run and comes back. Its own server, so that the rest of the suite
/// does not see the outage.
/// </summary>
public sealed class ServerRestartTests(ITestOutputHelper output)
{
    private const int Workers = 4;

    [Fact]
    public async Task After_the_server_stops_and_starts_again_sessions_recover_by_themselves_with_the_data_intact()
    {
        await using PostgresServer server = await PostgresServer.StartLocalAsync();
        TestDatabase database = await server.CreateDatabaseAsync();
        await using DevTokenIssuer issuer = await DevTokenIssuer.StartAsync();
        await database.MigrateAsync(RlsSchemaScript.Sql);
        RlsDataSourceBuilder builder = database.CreateDataSourceBuilder(issuer.ValidationOptions);
        builder.ConnectionStringBuilder.MaxPoolSize = Workers;
        builder.ConnectionStringBuilder.Timeout = 5;
        await using RlsDataSource data = builder.Build();

        string[] users = Enumerable.Range(0, Workers).Select(_ => DevTokenIssuer.NewUserId()).ToArray();
        var rows = new Dictionary<string, long[]>();
        foreach (string user in users)
        {
            await using RlsSession session = await data.OpenSessionAsync(issuer.IssueToken(user));
            var todos = new TodoRepository(session);
            var ids = new List<long>();
            for (int i = 0; i < 5; i++)
            {
                ids.Add((await todos.InsertAsync(new Todo { Task = $"before the outage {i}" })).Id);
            }

            rows[user] = [.. ids];
        }

        var leaks = new ConcurrentQueue<string>();
        var failuresWhileDown = new int[Workers];
        var failuresAfterResume = new int[Workers];
        var successesAfterResume = new int[Workers];
        long resumedAt = long.MaxValue;
        long calls = 0;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();

        Task[] workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            string user = users[w];
            while (!stop.IsCancellationRequested)
            {
                bool afterResume = clock.ElapsedTicks > Interlocked.Read(ref resumedAt);
                Interlocked.Increment(ref calls);
                try
                {
                    await using RlsSession session = await data.OpenSessionAsync(issuer.IssueToken(user));
                    IReadOnlyList<Todo> mine = await new TodoRepository(session).ListAsync();
                    SessionIdentity? me = await session.QuerySingleOrDefaultAsync<SessionIdentity>(
                        "SELECT current_user::text AS \"Role\", auth.user_id() AS \"Sub\", pg_backend_pid() AS \"Pid\"", null, default);
                    if (me?.Sub != user || me.Role != "authenticated" || !mine.Select(t => t.Id).SequenceEqual(rows[user]))
                    {
                        leaks.Enqueue($"{user} saw {string.Join(",", mine.Select(t => $"{t.Id}:{t.UserId}"))} as {me?.Role}/{me?.Sub}");
                    }

                    if (afterResume)
                    {
                        successesAfterResume[w]++;
                    }
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    if (afterResume)
                    {
                        failuresAfterResume[w]++;
                    }
                    else
                    {
                        failuresWhileDown[w]++;
                    }

                    await Task.Delay(50);
                }
            }
        })).ToArray();

        await Task.Delay(500);
        await server.StopAsync();
        await Task.Delay(1000);
        await server.ResumeAsync();
        Interlocked.Exchange(ref resumedAt, clock.ElapsedTicks);

        var deadline = Stopwatch.StartNew();
        while (successesAfterResume.Any(s => s < 3) && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }

        stop.Cancel();
        await Task.WhenAll(workers);

        output.WriteLine($"{calls} calls; failed while down: {string.Join(",", failuresWhileDown)}; failed after the restart: {string.Join(",", failuresAfterResume)}; " +
            $"succeeded after the restart: {string.Join(",", successesAfterResume)}; leaks: {leaks.Count}.");
        SecurityFigures.Record(nameof(After_the_server_stops_and_starts_again_sessions_recover_by_themselves_with_the_data_intact), calls, 0, 1, leaks.Count);

        Assert.Empty(leaks);
        Assert.True(failuresWhileDown.Sum() > 0, "the outage was not noticed: the test did not test anything");
        Assert.All(successesAfterResume, s => Assert.True(s >= 3, "a worker never recovered"));

        // Each pooled connection that the outage killed fails once when next used, then is replaced.
        Assert.InRange(failuresAfterResume.Sum(), 0, Workers);

        // The data is as committed, and a fresh anonymous session is nobody.
        foreach (string user in users)
        {
            Assert.Equal(rows[user], (await Sql.RowsAsync(database.OwnerConnectionString, "SELECT id FROM todos WHERE user_id = @u ORDER BY id", ("u", user))).Select(r => (long)r[0]!));
        }

        await using RlsSession anonymous = await data.OpenAnonymousSessionAsync();
        Assert.Null(await anonymous.QuerySingleOrDefaultAsync<string>("SELECT auth.user_id()", null, default));
        Assert.Empty(await new TodoRepository(anonymous).ListAsync());
    }
}
