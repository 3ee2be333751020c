using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Npgsql;
using RlsSchema.Security.Tests.Entities;
using RlsSchema.Security.Tests.Infrastructure;
using RlsSchema.Testing;
using Xunit;
using Xunit.Abstractions;

namespace RlsSchema.Security.Tests.Concurrency;

/// <summary>What a session sees of itself, read inside the session.</summary>
public sealed class SessionIdentity
{
    public string? Role { get; set; }

    public string? Sub { get; set; }

    public int Pid { get; set; }
}

/// <summary>
/// Many users' sessions at once on a small pool: connections pass from user to user all the time, and nothing of
/// one user may ever be seen by the next.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConcurrentSessionTests(SecurityEnvironment env, ITestOutputHelper output)
{
    private const int Users = 40;
    private const int AnonymousWorkers = 4;
    private const int PoolSize = 8;
    private const string ApplicationName = "rls-security-concurrency";
    private const string IdentitySql = "SELECT current_user::text AS \"Role\", auth.user_id() AS \"Sub\", pg_backend_pid() AS \"Pid\"";

    [Fact]
    public async Task Forty_users_and_anonymous_callers_on_a_pool_of_eight_never_see_each_others_rows_or_claims()
    {
        RlsDataSource data = env.CreateDataSource(PoolSize, sessionConnectionString:
            new NpgsqlConnectionStringBuilder(env.Database.AuthenticatorConnectionString) { ApplicationName = ApplicationName, Timeout = 60 }.ConnectionString);
        string[] users = Enumerable.Range(0, Users).Select(i => DevTokenIssuer.NewUserId() + (i % 5 == 0 ? "' or 1=1 --" : "")).ToArray();
        string[] tokens = users.Select(env.Token).ToArray();

        // Each user owns a few rows; everyone knows everyone's ids and asks for them.
        var owned = new Dictionary<string, HashSet<long>>();
        for (int u = 0; u < Users; u++)
        {
            await using RlsSession session = await data.OpenSessionAsync(tokens[u]);
            var todos = new TodoRepository(session);
            owned[users[u]] = [];
            for (int k = 0; k < 3; k++)
            {
                owned[users[u]].Add((await todos.InsertAsync(new Todo { Task = $"row {k} of user {u}" })).Id);
            }
        }

        long[] everyId = owned.Values.SelectMany(s => s).ToArray();
        int perWorker = (int)Math.Ceiling(RunMode.ConcurrentQueries / (double)(Users + AnonymousWorkers));
        var leaks = new ConcurrentQueue<string>();
        var pidUsers = new ConcurrentDictionary<int, ConcurrentDictionary<string, byte>>();
        long queries = 0;
        int maxConnections = 0;
        using var stop = new CancellationTokenSource();

        Task watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                int n = (int)await env.AdminScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE application_name = @a", ("a", ApplicationName));
                InterlockedMax(ref maxConnections, n);
                await Task.Delay(25);
            }
        });

        var clock = Stopwatch.StartNew();
        Task[] workers = Enumerable.Range(0, Users + AnonymousWorkers).Select(w => Task.Run(async () =>
        {
            string? sub = w < Users ? users[w] : null;
            string? token = w < Users ? tokens[w] : null;
            var random = new Random(w);
            int done = 0;
            while (done < perWorker)
            {
                await using RlsSession session = token is null ? await data.OpenAnonymousSessionAsync() : await data.OpenSessionAsync(token);
                var todos = new TodoRepository(session);
                int batch = random.Next(1, 8);
                for (int b = 0; b < batch && done < perWorker; b++, done++)
                {
                    Interlocked.Increment(ref queries);
                    switch (random.Next(5))
                    {
                        case 0:
                        {
                            IReadOnlyList<Todo> rows = await todos.ListAsync();
                            HashSet<long> expected = sub is null ? [] : owned[sub];
                            if (rows.Any(r => r.UserId != sub) || !rows.Select(r => r.Id).ToHashSet().SetEquals(expected))
                            {
                                leaks.Enqueue($"{sub ?? "anonymous"} listed {string.Join(", ", rows.Select(r => $"{r.Id}:{r.UserId}"))}");
                            }

                            break;
                        }

                        case 1:
                        case 2:
                        {
                            SessionIdentity? me = await session.QuerySingleOrDefaultAsync<SessionIdentity>(IdentitySql, null, default);
                            string role = sub is null ? "anonymous" : "authenticated";
                            if (me is null || me.Sub != sub || me.Role != role)
                            {
                                leaks.Enqueue($"{sub ?? "anonymous"} is {me?.Role}/{me?.Sub}");
                            }

                            if (me is not null)
                            {
                                pidUsers.GetOrAdd(me.Pid, _ => new()).TryAdd(sub ?? "anonymous", 0);
                            }

                            break;
                        }

                        case 3:
                        {
                            long id = everyId[random.Next(everyId.Length)];
                            Todo? row = await todos.GetAsync(id);
                            bool mine = sub is not null && owned[sub].Contains(id);
                            if ((row is not null) != mine || row is not null && row.UserId != sub)
                            {
                                leaks.Enqueue($"{sub ?? "anonymous"} got {id}: {row?.UserId}");
                            }

                            break;
                        }

                        default:
                        {
                            // Explicit transaction: the settings ride on the first statement and must hold for the rest.
                            await using RlsTransaction transaction = await session.BeginTransactionAsync();
                            SessionIdentity? first = await session.QuerySingleOrDefaultAsync<SessionIdentity>(IdentitySql, null, default);
                            IReadOnlyList<Todo> rows = await todos.ListMineAsync();
                            SessionIdentity? last = await session.QuerySingleOrDefaultAsync<SessionIdentity>(IdentitySql, null, default);
                            await transaction.CommitAsync();
                            Interlocked.Add(ref queries, 2);
                            if (first?.Sub != sub || last?.Sub != sub || first?.Pid != last?.Pid || rows.Any(r => r.UserId != sub))
                            {
                                leaks.Enqueue($"{sub ?? "anonymous"} in a transaction was {first?.Sub}/{last?.Sub} on {first?.Pid}/{last?.Pid}, listed {rows.Count}");
                            }

                            break;
                        }
                    }
                }
            }
        })).ToArray();

        await Task.WhenAll(workers);
        clock.Stop();
        stop.Cancel();
        await watcher;

        int sharedBackends = pidUsers.Values.Count(set => set.Count > 1);
        output.WriteLine($"{queries} queries by {Users} users and {AnonymousWorkers} anonymous workers in {clock.Elapsed:g}; " +
            $"{pidUsers.Count} backends, {sharedBackends} served several callers; at most {maxConnections} connections at once; {leaks.Count} leaks.");
        SecurityFigures.Record(nameof(Forty_users_and_anonymous_callers_on_a_pool_of_eight_never_see_each_others_rows_or_claims), queries, queries / 5, 0, leaks.Count);

        Assert.Empty(leaks.Take(20));
        Assert.True(queries >= RunMode.ConcurrentQueries, $"ran {queries} queries");
        Assert.InRange(maxConnections, 1, PoolSize);

        // The point of the test: connections really did pass between users.
        Assert.True(sharedBackends > 0 && pidUsers.Count <= PoolSize * 2, $"{pidUsers.Count} backends, {sharedBackends} shared");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
