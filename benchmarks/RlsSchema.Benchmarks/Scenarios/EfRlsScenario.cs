using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using RlsSchema.Benchmarks.Harness;
using RlsSchema.Benchmarks.Model;
using RlsSchema.EntityFrameworkCore;
using RlsSchema.Npgsql;
using RlsSchema.Testing;

namespace RlsSchema.Benchmarks.Scenarios;

/// <summary>
/// Scenario 10: EF Core under row-level security. A LINQ query for the user's todos through a pooled context configured
/// with <c>UseRlsSchema()</c> and bound to a session opened from the user's token per request, against EF Core as the
/// owner with a global query filter on the user id (scenario 1's EF variant), side by side; then the round trips per
/// query of both, counted on the wire as scenario 5 counts them.
/// </summary>
internal static class EfRlsScenario
{
    public const int Number = 10;
    public const string Owner = "EF Core as owner, global query filter on user id";
    public const string Rls = "EF Core with UseRlsSchema(), pooled context bound to an RLS session per request";
    public const string OwnerPrepared = "EF Core as owner, global query filter on user id, auto-prepared";
    public const string RlsPrepared = "EF Core with UseRlsSchema(), pooled context bound to an RLS session per request, auto-prepared";
    public const string RoundTrips = ": round trips";

    public static async Task RunAsync(BenchEnvironment env, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        report.Title(Number, $"EF Core: list my todos ({options.MeasuredUserTodos} of {options.TodoCount:N0} rows) under RLS vs as the owner, {options.Clients} concurrent clients");
        Console.WriteLine($"  scenario {Number}: EF Core under RLS");

        // EF Core's connections as most applications configure them (no preparation), and both with Npgsql's automatic
        // preparation, which saves the RLS variant planning its policy-expanded query on every request.
        await using (var ownerSource = NpgsqlDataSource.Create(env.OwnerConnectionString))
        await using (var ownerPreparedSource = NpgsqlDataSource.Create(BenchEnvironment.AutoPrepared(env.OwnerConnectionString)))
        {
            var owner = OwnerFactory(ownerSource);
            var rls = RlsFactory(env.AuthenticatorConnectionString);
            var ownerPrepared = OwnerFactory(ownerPreparedSource);
            var rlsPrepared = RlsFactory(BenchEnvironment.AutoPrepared(env.AuthenticatorConnectionString));
            var expected = options.MeasuredUserTodos;
            var variants = new[]
            {
                await Variant.CheckedAsync(Owner, ct => ListMyTodosScenario.EfAsync(owner, ct), expected, cancellationToken),
                await Variant.CheckedAsync(Rls, ct => RlsAsync(rls, env.Rls, env.MeasuredToken, ct), expected, cancellationToken),
                await Variant.CheckedAsync(OwnerPrepared, ct => ListMyTodosScenario.EfAsync(ownerPrepared, ct), expected, cancellationToken),
                await Variant.CheckedAsync(RlsPrepared, ct => RlsAsync(rlsPrepared, env.Rls, env.MeasuredToken, ct), expected, cancellationToken),
            };
            foreach (var r in await ThroughputRunner.RunAsync(variants, options, new CpuProbe(env.Owner), cancellationToken))
            {
                string? baseline = r.Name == Owner || r.Name == OwnerPrepared ? null : r.Name == RlsPrepared ? OwnerPrepared : Owner;
                report.Add(new ResultRow(Number, r.Name, Unit.OpsPerSecond, r.OpsPerSecond, baseline,
                    Notes.Throughput(r), Notes.ThroughputFigures(r, options)));
            }
        }

        await CountRoundTripsAsync(env, options, report, cancellationToken);
    }

    /// <summary>What a request handler does: open a session from the bearer token, lease a context, bind it, query with LINQ.</summary>
    public static async Task<int> RlsAsync(PooledDbContextFactory<RlsTodoContext> factory, RlsDataSource rls, string token, CancellationToken cancellationToken)
    {
        await using var session = await rls.OpenSessionAsync(token, cancellationToken);
        await using var context = factory.CreateDbContext();
        context.UseSession(session);
        return (await context.Todos.AsNoTracking().ToListAsync(cancellationToken)).Count;
    }

    private static async Task CountRoundTripsAsync(BenchEnvironment env, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        await using var relay = TcpRelay.StartFor(env.OwnerConnectionString);
        await using var ownerSource = NpgsqlDataSource.Create(relay.Rewrite(env.OwnerConnectionString));
        await using var rlsSource = new RlsDataSourceBuilder(relay.Rewrite(env.AuthenticatorConnectionString))
            .UseJwtValidation(env.Issuer.ValidationOptions)
            .Build();
        var owner = OwnerFactory(ownerSource);
        var rls = RlsFactory(relay.Rewrite(env.AuthenticatorConnectionString));
        var variants = new List<(string Name, Func<CancellationToken, Task<int>> Operation)>
        {
            (Owner, ct => ListMyTodosScenario.EfAsync(owner, ct)),
            (Rls, ct => RlsAsync(rls, rlsSource, env.MeasuredToken, ct)),
        };

        // The round-trip rows are named apart from the throughput rows of the same variants.
        await RoundTripScenario.CountAsync(relay, variants.Select(v => (v.Name + RoundTrips, v.Operation)), Number, _ => null, "query", options, report, cancellationToken);
    }

    private static PooledDbContextFactory<EfTodoContext> OwnerFactory(NpgsqlDataSource owner) =>
        new(new DbContextOptionsBuilder<EfTodoContext>().UseNpgsql(owner).Options);

    private static PooledDbContextFactory<RlsTodoContext> RlsFactory(string sessionConnectionString) =>
        new(new DbContextOptionsBuilder<RlsTodoContext>().UseNpgsql(sessionConnectionString).UseRlsSchema().Options);
}
