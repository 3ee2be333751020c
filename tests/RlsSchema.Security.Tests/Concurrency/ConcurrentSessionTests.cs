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

    [Fact]
    public async Task Forty_users_and_anonymous_callers_on_a_pool_of_eight_never_see_each_others_rows_or_claims()
    {
        RlsDataSource data = env.CreateDataSource(PoolSize, sessionConnectionString:
            new NpgsqlConnectionStringBuilder(env.Database.AuthenticatorConnectionString) { ApplicationName = ApplicationName, Timeout = 60 }.ConnectionString);
        var workload = new SessionWorkload(env, data, Users, AnonymousWorkers);
        await workload.SeedAsync();
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

        TimeSpan elapsed = await workload.RunAsync(RunMode.ConcurrentQueries);
        stop.Cancel();
        await watcher;

        var pidUsers = workload.BackendCallers;
        var leaks = workload.Leaks;
        long queries = workload.Queries;
        int sharedBackends = pidUsers.Values.Count(set => set.Count > 1);
        output.WriteLine($"{queries} queries by {Users} users and {AnonymousWorkers} anonymous workers in {elapsed:g}; " +
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
