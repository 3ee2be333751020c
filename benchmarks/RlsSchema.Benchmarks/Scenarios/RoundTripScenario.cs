using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using RlsSchema.Benchmarks.Harness;
using RlsSchema.Benchmarks.Model;
using RlsSchema.Benchmarks.Wire;

namespace RlsSchema.Benchmarks.Scenarios;

/// <summary>
/// Scenario 5: round trips per authorized query, counted on the wire by a relay between client and server
/// (<see cref="RoundTripCountingProxy"/>). Every variant first runs a few times so its pooled connection is open
/// and its statements prepared; then the counter is reset and N operations run one after another.
/// </summary>
internal static class RoundTripScenario
{
    public const int Number = 5;
    public const string Floor = "floor: raw Npgsql as owner, prepared";
    public const string Repository = "generated repository ListMineAsync (session per request)";
    public const string RepositoryTransaction = "generated repository, explicit transaction: ListMineAsync + commit";
    public const string RepositoryInsert = "generated repository InsertAsync";
    public const string Naive = "naive RLS session";
    public const string Ef = "EF Core, global query filter";

    public static async Task RunAsync(BenchEnvironment env, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        report.Title(Number, $"round trips per authorized query, counted on the wire (mean of {options.RoundTripOperations} operations)");
        Console.WriteLine($"  scenario {Number}: round trips");

        var target = new NpgsqlConnectionStringBuilder(env.OwnerConnectionString);
        await using var proxy = RoundTripCountingProxy.Start(target.Host!, target.Port);
        string ViaProxy(string connectionString) =>
            new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString;

        await using var owner = NpgsqlDataSource.Create(ViaProxy(env.OwnerConnectionString));
        await using var authenticator = NpgsqlDataSource.Create(ViaProxy(env.AuthenticatorConnectionString));
        await using var efSource = NpgsqlDataSource.Create(ViaProxy(env.OwnerConnectionString));
        var efFactory = new PooledDbContextFactory<EfTodoContext>(new DbContextOptionsBuilder<EfTodoContext>().UseNpgsql(efSource).Options);

        var variants = new List<(string Name, Func<CancellationToken, Task<int>> Operation)>
        {
            (Floor, ct => ListMyTodosScenario.FloorAsync(owner, ct)),
            (Naive, ct => ListMyTodosScenario.NaiveAsync(authenticator, env.MeasuredClaimsJson, ct)),
            (Ef, ct => ListMyTodosScenario.EfAsync(efFactory, ct)),
        };

        foreach (var (name, operation) in variants)
        {
            for (var i = 0; i < 3; i++)
            {
                await operation(cancellationToken);
            }
            proxy.Reset();
            for (var i = 0; i < options.RoundTripOperations; i++)
            {
                await operation(cancellationToken);
            }
            var perOperation = (double)proxy.RoundTrips / options.RoundTripOperations;
            Console.WriteLine($"    {name}: {perOperation:0.##} round trips per operation");
            report.Add(new ResultRow(Number, name, Unit.RoundTrips, perOperation, name == Floor ? null : Floor,
                $"{proxy.RoundTrips} round trips over {options.RoundTripOperations} operations",
                new Dictionary<string, object> { ["operations"] = options.RoundTripOperations, ["total_round_trips"] = proxy.RoundTrips }));
        }
    }
}
