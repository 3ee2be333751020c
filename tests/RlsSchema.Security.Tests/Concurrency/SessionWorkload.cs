using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Npgsql;
using RlsSchema.Security.Tests.Entities;
using RlsSchema.Security.Tests.Infrastructure;
using RlsSchema.Testing;

namespace RlsSchema.Security.Tests.Concurrency;

/// <summary>What a session sees of itself, read inside the session.</summary>
public sealed class SessionIdentity
{
    public string? Role { get; set; }

    public string? Sub { get; set; }

    public int Pid { get; set; }
}

/// <summary>
/// Users who each own a few rows, and anonymous callers, all at once on one data source: each worker lists, reads its
/// identity, asks for anyone's rows by id and runs explicit transactions, and every answer is checked against what that
/// caller may see. Records which backends served which callers, to show connections really passed between users.
/// </summary>
public sealed class SessionWorkload(SecurityEnvironment env, RlsDataSource data, int users, int anonymousWorkers)
{
    /// <summary>Reads the session's role, user and backend; <c>auth.user_id()</c> is the claims' subject.</summary>
    public const string IdentitySql = "SELECT current_user::text AS \"Role\", auth.user_id() AS \"Sub\", pg_backend_pid() AS \"Pid\"";

    private readonly Dictionary<string, HashSet<long>> _owned = [];
    private string[] _users = [];
    private string[] _tokens = [];

    /// <summary>Answers that showed another caller's rows or identity, described.</summary>
    public ConcurrentQueue<string> Leaks { get; } = new();

    /// <summary>For each backend that ran a session's statement, the callers it served.</summary>
    public ConcurrentDictionary<int, ConcurrentDictionary<string, byte>> BackendCallers { get; } = new();

    /// <summary>Queries run on behalf of callers.</summary>
    public long Queries => Interlocked.Read(ref _queries);

    private long _queries;

    /// <summary>Creates the users (a fifth with ids made to hurt) and their rows, three each.</summary>
    public async Task SeedAsync()
    {
        _users = Enumerable.Range(0, users).Select(i => DevTokenIssuer.NewUserId() + (i % 5 == 0 ? "' or 1=1 --" : "")).ToArray();
        _tokens = _users.Select(env.Token).ToArray();
        for (int u = 0; u < users; u++)
        {
            await using RlsSession session = await data.OpenSessionAsync(_tokens[u]);
            var todos = new GuardedTodoRepository(session);
            _owned[_users[u]] = [];
            for (int k = 0; k < 3; k++)
            {
                _owned[_users[u]].Add((await todos.InsertAsync(new GuardedTodo { Task = $"row {k} of user {u}" })).Id);
            }
        }
    }

    /// <summary>Runs at least <paramref name="queries"/> queries over all workers at once, and returns how long it took.</summary>
    public async Task<TimeSpan> RunAsync(long queries)
    {
        long[] everyId = _owned.Values.SelectMany(s => s).ToArray();
        int perWorker = (int)Math.Ceiling(queries / (double)(users + anonymousWorkers));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, users + anonymousWorkers).Select(w => Task.Run(async () =>
        {
            string? sub = w < users ? _users[w] : null;
            string? token = w < users ? _tokens[w] : null;
            var random = new Random(w);
            int done = 0;
            while (done < perWorker)
            {
                await using RlsSession session = token is null ? await data.OpenAnonymousSessionAsync() : await data.OpenSessionAsync(token);
                var todos = new GuardedTodoRepository(session);
                int batch = random.Next(1, 8);
                for (int b = 0; b < batch && done < perWorker; b++, done++)
                {
                    Interlocked.Increment(ref _queries);
                    await OneQueryAsync(session, todos, sub, everyId, random);
                }
            }
        })));
        return clock.Elapsed;
    }

    private async Task OneQueryAsync(RlsSession session, GuardedTodoRepository todos, string? sub, long[] everyId, Random random)
    {
        string caller = sub ?? "anonymous";
        switch (random.Next(5))
        {
            case 0:
            {
                IReadOnlyList<GuardedTodo> rows = await todos.ListAsync();
                HashSet<long> expected = sub is null ? [] : _owned[sub];
                if (rows.Any(r => r.UserId != sub) || !rows.Select(r => r.Id).ToHashSet().SetEquals(expected))
                {
                    Leaks.Enqueue($"{caller} listed {string.Join(", ", rows.Select(r => $"{r.Id}:{r.UserId}"))}");
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
                    Leaks.Enqueue($"{caller} is {me?.Role}/{me?.Sub}");
                }

                if (me is not null)
                {
                    BackendCallers.GetOrAdd(me.Pid, _ => new()).TryAdd(caller, 0);
                }

                break;
            }

            case 3:
            {
                long id = everyId[random.Next(everyId.Length)];
                GuardedTodo? row = await todos.GetAsync(id);
                bool mine = sub is not null && _owned[sub].Contains(id);
                if ((row is not null) != mine || row is not null && row.UserId != sub)
                {
                    Leaks.Enqueue($"{caller} got {id}: {row?.UserId}");
                }

                break;
            }

            default:
            {
                // Explicit transaction: the settings ride on the first statement and must hold for the rest, on one backend.
                await using RlsTransaction transaction = await session.BeginTransactionAsync();
                SessionIdentity? first = await session.QuerySingleOrDefaultAsync<SessionIdentity>(IdentitySql, null, default);
                IReadOnlyList<GuardedTodo> rows = await todos.ListMineAsync();
                SessionIdentity? last = await session.QuerySingleOrDefaultAsync<SessionIdentity>(IdentitySql, null, default);
                await transaction.CommitAsync();
                Interlocked.Add(ref _queries, 2);
                if (first?.Sub != sub || last?.Sub != sub || first?.Pid != last?.Pid || rows.Any(r => r.UserId != sub))
                {
                    Leaks.Enqueue($"{caller} in a transaction was {first?.Sub}/{last?.Sub} on {first?.Pid}/{last?.Pid}, listed {rows.Count}");
                }

                if (first is not null)
                {
                    BackendCallers.GetOrAdd(first.Pid, _ => new()).TryAdd(caller, 0);
                }

                break;
            }
        }
    }
}
