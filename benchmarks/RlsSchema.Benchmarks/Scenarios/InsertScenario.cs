using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Benchmarks.Data;
using RlsSchema.Benchmarks.Harness;
using RlsSchema.Benchmarks.Model;

namespace RlsSchema.Benchmarks.Scenarios;

/// <summary>Scenario 3: insert throughput, one todo per operation, the row read back with RETURNING in both variants.</summary>
internal static class InsertScenario
{
    public const int Number = 3;
    public const string Raw = "raw owner INSERT ... RETURNING, prepared, no RLS";
    public const string Repository = "generated repository InsertAsync, RLS session per request (token validated)";

    public static async Task RunAsync(BenchEnvironment env, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        report.Title(Number, $"insert one todo, {options.Clients} concurrent clients");
        Console.WriteLine($"  scenario {Number}: inserts");

        var variants = new List<ThroughputVariant>
        {
            await Variant.CheckedAsync(Raw, ct => RawAsync(env.Owner, ct), 1, cancellationToken),
        };

        var results = await ThroughputRunner.RunAsync(variants, options, cancellationToken);
        foreach (var r in results)
        {
            report.Add(new ResultRow(
                Number, r.Name, Unit.OpsPerSecond, r.OpsPerSecond, r.Name == Raw ? null : Raw,
                string.Create(CultureInfo.InvariantCulture, $"p50 {r.P50Ms:0.00} ms, p99 {r.P99Ms:0.00} ms; rounds {r.MinOpsPerSecond:N0}..{r.MaxOpsPerSecond:N0}"),
                new Dictionary<string, object>
                {
                    ["p50_ms"] = Math.Round(r.P50Ms, 4),
                    ["p99_ms"] = Math.Round(r.P99Ms, 4),
                    ["min_ops_per_sec"] = Math.Round(r.MinOpsPerSecond, 1),
                    ["max_ops_per_sec"] = Math.Round(r.MaxOpsPerSecond, 1),
                    ["clients"] = options.Clients,
                    ["rounds"] = options.Rounds,
                }));
        }
    }

    public static async Task<int> RawAsync(NpgsqlDataSource owner, CancellationToken cancellationToken)
    {
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(TodoSql.InsertAsOwner, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = BenchUsers.Writer });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "write the benchmark report" });
        await command.PrepareAsync(cancellationToken);
        return (await TodoSql.ReadAllAsync(command, cancellationToken)).Count;
    }
}
