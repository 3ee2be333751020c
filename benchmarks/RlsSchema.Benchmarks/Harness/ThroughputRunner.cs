using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace RlsSchema.Benchmarks.Harness;

/// <summary>One way of doing the operation under test, e.g. "the floor" or "the generated repository".</summary>
internal sealed record ThroughputVariant(string Name, Func<CancellationToken, Task> Operation);

/// <summary>What one variant achieved: the median of its rounds, with the spread.</summary>
internal sealed record ThroughputResult(string Name, double OpsPerSecond, double MinOpsPerSecond, double MaxOpsPerSecond, double P50Ms, double P99Ms, long Operations);

/// <summary>
/// Closed-loop throughput: N clients each run the operation back to back. Clients start together, run unmeasured
/// for the warm-up, then every operation that completes inside the measured window counts. Variants run in rounds
/// whose order alternates (A B C, C B A, ...), so slow drift on a shared machine spreads over all of them instead
/// of penalising whichever ran last; the reported figure is the median round.
/// </summary>
internal static class ThroughputRunner
{
    public static async Task<IReadOnlyList<ThroughputResult>> RunAsync(
        IReadOnlyList<ThroughputVariant> variants, BenchOptions options, CancellationToken cancellationToken)
    {
        var rounds = variants.ToDictionary(v => v.Name, _ => new List<(double OpsPerSecond, long[] Latencies)>());
        for (var round = 0; round < options.Rounds; round++)
        {
            var order = round % 2 == 0 ? variants : variants.Reverse().ToList();
            foreach (var variant in order)
            {
                var sample = await RunOnceAsync(variant.Operation, options.Clients, options.WarmUp, options.Measure, cancellationToken);
                rounds[variant.Name].Add(sample);
                Console.WriteLine($"    {variant.Name}: {sample.OpsPerSecond,10:N0} ops/s (round {round + 1}/{options.Rounds})");
            }
        }

        var results = new List<ThroughputResult>();
        foreach (var variant in variants)
        {
            var samples = rounds[variant.Name];
            var ops = samples.Select(s => s.OpsPerSecond).OrderBy(x => x).ToArray();
            var latencies = samples.SelectMany(s => s.Latencies).OrderBy(x => x).ToArray();
            results.Add(new ThroughputResult(
                variant.Name,
                Statistics.Median(ops),
                ops[0],
                ops[^1],
                Statistics.PercentileMs(latencies, 0.50),
                Statistics.PercentileMs(latencies, 0.99),
                latencies.LongLength));
        }
        return results;
    }

    private static async Task<(double OpsPerSecond, long[] Latencies)> RunOnceAsync(
        Func<CancellationToken, Task> operation, int clients, TimeSpan warmUp, TimeSpan measure, CancellationToken cancellationToken)
    {
        // The window is fixed before any client starts, so no flag has to be flipped (and observed late) mid-run.
        var start = Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var end = start + (long)(measure.TotalSeconds * Stopwatch.Frequency);

        var workers = new Task<List<long>>[clients];
        for (var c = 0; c < clients; c++)
        {
            workers[c] = Task.Run(async () =>
            {
                var latencies = new List<long>(4096);
                while (true)
                {
                    var before = Stopwatch.GetTimestamp();
                    await operation(cancellationToken).ConfigureAwait(false);
                    var after = Stopwatch.GetTimestamp();
                    if (after >= end)
                    {
                        return latencies;
                    }
                    if (after >= start)
                    {
                        latencies.Add(after - before);
                    }
                }
            }, cancellationToken);
        }

        var all = (await Task.WhenAll(workers)).SelectMany(l => l).ToArray();
        return (all.Length / measure.TotalSeconds, all);
    }
}
