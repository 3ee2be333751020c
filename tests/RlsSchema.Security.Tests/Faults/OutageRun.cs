using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Npgsql;
using RlsSchema.Security.Tests.Concurrency;
using RlsSchema.Security.Tests.Entities;
using RlsSchema.Security.Tests.Infrastructure;
using RlsSchema.Testing;

namespace RlsSchema.Security.Tests.Faults;

/// <summary>
/// Workers list their rows and read their identity in a loop while something between them and the data goes away and
/// comes back: every answer is checked, and failures are counted apart while down and after the return.
/// </summary>
public sealed class OutageRun(RlsDataSource data, DevTokenIssuer issuer, string ownerConnectionString, int workers)
{
    private readonly Dictionary<string, long[]> _rows = [];
    private string[] _users = [];

    /// <summary>Calls made, in total.</summary>
    public long Calls { get; private set; }

    /// <summary>Answers with another user's rows or identity.</summary>
    public ConcurrentQueue<string> Leaks { get; } = new();

    /// <summary>Failed calls per worker while the outage lasted.</summary>
    public int[] FailuresWhileDown { get; } = new int[workers];

    /// <summary>Failed calls per worker after the service came back.</summary>
    public int[] FailuresAfterResume { get; } = new int[workers];

    /// <summary>Successful calls per worker after the service came back.</summary>
    public int[] SuccessesAfterResume { get; } = new int[workers];

    /// <summary>One user per worker, five rows each.</summary>
    public async Task SeedAsync()
    {
        _users = Enumerable.Range(0, workers).Select(_ => DevTokenIssuer.NewUserId()).ToArray();
        foreach (string user in _users)
        {
            await using RlsSession session = await data.OpenSessionAsync(issuer.IssueToken(user));
            var todos = new GuardedTodoRepository(session);
            var ids = new List<long>();
            for (int i = 0; i < 5; i++)
            {
                ids.Add((await todos.InsertAsync(new GuardedTodo { Task = $"before the outage {i}" })).Id);
            }

            _rows[user] = [.. ids];
        }
    }

    /// <summary>Runs the workers, calls <paramref name="stop"/>, waits, calls <paramref name="resume"/>, and waits until every worker has succeeded three times since.</summary>
    public async Task RunAsync(Func<Task> stop, Func<Task> resume, TimeSpan down)
    {
        long resumedAt = long.MaxValue;
        long calls = 0;
        var clock = Stopwatch.StartNew();
        using var stopping = new CancellationTokenSource();

        Task[] running = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            string user = _users[w];
            while (!stopping.IsCancellationRequested)
            {
                bool afterResume = clock.ElapsedTicks > Interlocked.Read(ref resumedAt);
                Interlocked.Increment(ref calls);
                try
                {
                    await using RlsSession session = await data.OpenSessionAsync(issuer.IssueToken(user));
                    IReadOnlyList<GuardedTodo> mine = await new GuardedTodoRepository(session).ListAsync();
                    SessionIdentity? me = await session.QuerySingleOrDefaultAsync<SessionIdentity>(SessionWorkload.IdentitySql, null, default);
                    if (me?.Sub != user || me.Role != "authenticated" || !mine.Select(t => t.Id).SequenceEqual(_rows[user]))
                    {
                        Leaks.Enqueue($"{user} saw {string.Join(",", mine.Select(t => $"{t.Id}:{t.UserId}"))} as {me?.Role}/{me?.Sub}");
                    }

                    if (afterResume)
                    {
                        SuccessesAfterResume[w]++;
                    }
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    if (afterResume)
                    {
                        FailuresAfterResume[w]++;
                    }
                    else
                    {
                        FailuresWhileDown[w]++;
                    }

                    await Task.Delay(50);
                }
            }
        })).ToArray();

        await Task.Delay(500);
        await stop();
        await Task.Delay(down);
        await resume();
        Interlocked.Exchange(ref resumedAt, clock.ElapsedTicks);

        var deadline = Stopwatch.StartNew();
        while (SuccessesAfterResume.Any(s => s < 3) && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }

        stopping.Cancel();
        await Task.WhenAll(running);
        Calls = Interlocked.Read(ref calls);
    }

    /// <summary>What happened, in one line.</summary>
    public string Describe() =>
        $"{Calls} calls; failed while down: {string.Join(",", FailuresWhileDown)}; failed after the return: {string.Join(",", FailuresAfterResume)}; " +
        $"succeeded after the return: {string.Join(",", SuccessesAfterResume)}; leaks: {Leaks.Count}.";

    /// <summary>Each user's rows are exactly those committed before the outage.</summary>
    public async Task<bool> DataIntactAsync()
    {
        foreach (string user in _users)
        {
            var stored = (await Sql.RowsAsync(ownerConnectionString, "SELECT id FROM todos WHERE user_id = @u ORDER BY id", ("u", user))).Select(r => (long)r[0]!);
            if (!stored.SequenceEqual(_rows[user]))
            {
                return false;
            }
        }

        return true;
    }
}
