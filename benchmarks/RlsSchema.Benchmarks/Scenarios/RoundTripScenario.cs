using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using RlsSchema.Benchmarks.Harness;
using RlsSchema.Benchmarks.Model;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;

namespace RlsSchema.Benchmarks.Scenarios;

/// <summary>
/// Scenario 5: round trips per authorized query, counted on the wire by a relay between client and server
/// (<see cref="TcpRelay"/>: a round trip is each time the client speaks after the server last spoke). Every variant
/// first runs a few times so its pooled connection is open and its statements prepared; then the counter is reset
/// and N operations run one after another, so connection set-up is not counted and nothing overlaps.
/// </summary>
internal static class RoundTripScenario
{
    public const int Number = 5;
    public const string Floor = "floor: raw Npgsql as owner, prepared";
    public const string Repository = "generated repository ListMineAsync (session per request)";
    public const string RepositoryInsert = "generated repository InsertAsync (session per request)";
    public const string RepositoryTransaction = "generated repository in an explicit transaction: ListMineAsync + CommitAsync";
    public const string Naive = "naive RLS session: BEGIN; set_config x2; query; COMMIT";
    public const string Ef = "EF Core as owner, global query filter";

    public static async Task RunAsync(BenchEnvironment env, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        report.Title(Number, $"round trips per authorized query, counted on the wire (mean of {options.RoundTripOperations} operations)");
        Console.WriteLine($"  scenario {Number}: round trips");

        await using var relay = TcpRelay.StartFor(env.OwnerConnectionString);
        await using var owner = NpgsqlDataSource.Create(BenchEnvironment.AutoPrepared(relay.Rewrite(env.OwnerConnectionString)));
        await using var authenticator = NpgsqlDataSource.Create(BenchEnvironment.AutoPrepared(relay.Rewrite(env.AuthenticatorConnectionString)));
        await using var rls = new RlsDataSourceBuilder(relay.Rewrite(env.AuthenticatorConnectionString))
            .UseJwtValidation(env.Issuer.ValidationOptions)
            .Build();
        await using var efSource = NpgsqlDataSource.Create(relay.Rewrite(env.OwnerConnectionString));
        var efFactory = new PooledDbContextFactory<EfTodoContext>(new DbContextOptionsBuilder<EfTodoContext>().UseNpgsql(efSource).Options);

        var variants = new List<(string Name, Func<CancellationToken, Task<int>> Operation)>
        {
            (Floor, ct => ListMyTodosScenario.FloorAsync(owner, ct)),
            (Repository, ct => ListMyTodosScenario.RepositoryAsync(rls, env.MeasuredToken, ct)),
            (RepositoryInsert, ct => InsertScenario.RepositoryAsync(rls, env.WriterToken, ct)),
            (RepositoryTransaction, ct => TransactionAsync(rls, env.MeasuredToken, ct)),
            (Naive, ct => ListMyTodosScenario.NaiveAsync(authenticator, env.MeasuredClaimsJson, ct)),
            (Ef, ct => ListMyTodosScenario.EfAsync(efFactory, ct)),
        };

        await CountAsync(relay, variants, Number, name => name == Floor ? null : Floor, "operation", options, report, cancellationToken);
    }

    /// <summary>
    /// Counts each variant's round trips on <paramref name="relay"/>: a few warm-up runs (connections open, statements
    /// prepared), then <see cref="BenchOptions.RoundTripOperations"/> runs one after another, reported per operation.
    /// </summary>
    public static async Task CountAsync(
        TcpRelay relay,
        IEnumerable<(string Name, Func<CancellationToken, Task<int>> Operation)> variants,
        int scenario,
        Func<string, string?> baseline,
        string what,
        BenchOptions options,
        Report report,
        CancellationToken cancellationToken)
    {
        foreach (var (name, operation) in variants)
        {
            for (var i = 0; i < 3; i++)
            {
                await operation(cancellationToken);
            }
            relay.ResetCounters();
            for (var i = 0; i < options.RoundTripOperations; i++)
            {
                await operation(cancellationToken);
            }
            var total = relay.RoundTrips;
            var perOperation = (double)total / options.RoundTripOperations;
            Console.WriteLine($"    {name}: {perOperation:0.##} round trips per {what}");
            report.Add(new ResultRow(scenario, name, Unit.RoundTrips, perOperation, baseline(name),
                $"{total} over {options.RoundTripOperations} {what}s",
                new Dictionary<string, object> { ["operations"] = options.RoundTripOperations, ["total_round_trips"] = total }));
        }
    }

    /// <summary>A request that needs a transaction: the settings ride on its first statement; COMMIT is the second trip.</summary>
    private static async Task<int> TransactionAsync(RlsDataSource rls, string token, CancellationToken cancellationToken)
    {
        await using var session = await rls.OpenSessionAsync(token, cancellationToken);
        await using var transaction = await session.BeginTransactionAsync(cancellationToken);
        var count = (await new TodoRepository(session).ListMineAsync(cancellationToken)).Count;
        await transaction.CommitAsync(cancellationToken);
        return count;
    }
}
