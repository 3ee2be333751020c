using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Benchmarks.Harness;
using RlsSchema.Npgsql;
using RlsSchema.Testing;

namespace RlsSchema.Benchmarks.Scenarios;

/// <summary>
/// Scenario 9: scenario 1 behind PgBouncer in transaction pooling, as behind Neon's pooled endpoint: many clients, few
/// server connections. The floor goes through the same PgBouncer, so the ratio is what row-level security and the
/// session cost there. Neither side prepares statements: PgBouncer 1.18 cannot keep them per client.
/// </summary>
internal static class PooledListScenario
{
    public const int Number = 9;
    public const int Clients = 64;
    public const int ServerConnections = 4;
    public const string Floor = "floor through PgBouncer: raw Npgsql as owner, WHERE user_id = $1, no RLS";
    public const string Repository = "generated repository through PgBouncer, RLS session per request (token checked, remembered)";

    public static async Task RunAsync(BenchEnvironment env, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        report.Title(Number, $"list my todos through PgBouncer (transaction pooling), {Clients} clients over {ServerConnections} server connections");
        Console.WriteLine($"  scenario {Number}: list my todos through PgBouncer, {Clients} clients over {ServerConnections} server connections");

        await using var bouncer = await env.StartPgBouncerAsync(ServerConnections, cancellationToken);
        await using var owner = NpgsqlDataSource.Create(ThroughPooler(bouncer, env.OwnerConnectionString));
        await using var rls = new RlsDataSourceBuilder(ThroughPooler(bouncer, env.AuthenticatorConnectionString))
            .UseJwtValidation(env.Issuer.ValidationOptions)
            .Build();

        var expected = options.MeasuredUserTodos;
        var variants = new[]
        {
            await Variant.CheckedAsync(Floor, ct => ListMyTodosScenario.FloorAsync(owner, ct), expected, cancellationToken),
            await Variant.CheckedAsync(Repository, ct => ListMyTodosScenario.RepositoryAsync(rls, env.MeasuredToken, ct), expected, cancellationToken),
        };

        var pooled = options with { Clients = Clients };
        var results = await ThroughputRunner.RunAsync(variants, pooled, new CpuProbe(env.Owner), cancellationToken);
        foreach (var r in results)
        {
            report.Add(new ResultRow(
                Number, r.Name, Unit.OpsPerSecond, r.OpsPerSecond, r.Name == Floor ? null : Floor,
                Notes.Throughput(r),
                Notes.ThroughputFigures(r, pooled)));
        }
    }

    /// <summary>What a connection string needs behind a pooler in transaction mode, and a client pool as large as the clients.</summary>
    private static string ThroughPooler(PgBouncer bouncer, string connectionString) =>
        new NpgsqlConnectionStringBuilder(bouncer.Rewrite(connectionString))
        {
            MaxAutoPrepare = 0,
            NoResetOnClose = true,
            MaxPoolSize = Clients,
        }.ConnectionString;
}
