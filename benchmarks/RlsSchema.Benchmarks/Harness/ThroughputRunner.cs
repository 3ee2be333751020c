using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace RlsSchema.Benchmarks.Harness;

/// <summary>
/// One way of doing the operation under test, e.g. "the floor" or "the generated repository". The operation gets
/// the client's number, for variants that keep per-client state (a session is not for concurrent use).
/// </summary>
internal sealed record ThroughputVariant(string Name, Func<int, CancellationToken, Task> Operation);

/// <summary>What one variant achieved: the median of its rounds, with the spread.</summary>
/// <param name="ClientCpuUs">This process's CPU time per operation, in microseconds.</param>
/// <param name="ServerCpuUs">The database backends' CPU time per operation, in microseconds; null when not readable.</param>
internal sealed record ThroughputResult(
    string Name, double OpsPerSecond, double MinOpsPerSecond, double MaxOpsPerSecond, double P50Ms, double P99Ms, long Operations,
    double ClientCpuUs, double? ServerCpuUs);

/// <summary>
/// Closed-loop throughput: N clients each run the operation back to back. Clients start together, run unmeasured
/// for the warm-up, then every operation that completes inside the measured window counts. Variants run in rounds
/// whose order alternates (A B C, C B A, ...), so slow drift on a shared machine spreads over all of them instead
/// of penalising whichever ran last; the reported figure is the median round. Before the rounds, every variant runs
/// once unmeasured.
/// </summary>
internal static class ThroughputRunner
{
    public static async Task<IReadOnlyList<ThroughputResult>> RunAsync(
        IReadOnlyList<ThroughputVariant> variants, BenchOptions options, CpuProbe? probe, CancellationToken cancellationToken, int? rounds = null)
    {
        var roundCount = rounds ?? options.Rounds;
        // One unmeasured pass over every variant first, so that tiered JIT has compiled all of their code paths
        // before any round counts; otherwise whichever variant runs first pays for the warm-up of the shared code.
        foreach (var variant in variants)
        {
            await RunOnceAsync(variant.Operation, options.Clients, options.WarmUp, TimeSpan.Zero, null, cancellationToken);
        }

        var samplesByName = variants.ToDictionary(v => v.Name, _ => new List<(double OpsPerSecond, long[] Latencies, CpuUsage? Cpu)>());
        for (var round = 0; round < roundCount; round++)
        {
            var order = round % 2 == 0 ? variants : variants.Reverse().ToList();
            foreach (var variant in order)
            {
                var sample = await RunOnceAsync(variant.Operation, options.Clients, options.WarmUp, options.Measure, probe, cancellationToken);
                samplesByName[variant.Name].Add(sample);
                Console.WriteLine($"    {variant.Name}: {sample.OpsPerSecond,10:N0} ops/s (round {round + 1}/{roundCount})");
            }
        }

        var results = new List<ThroughputResult>();
        foreach (var variant in variants)
        {
            var samples = samplesByName[variant.Name];
            var ops = samples.Select(s => s.OpsPerSecond).OrderBy(x => x).ToArray();
            var latencies = samples.SelectMany(s => s.Latencies).OrderBy(x => x).ToArray();
            var count = Math.Max(1, latencies.LongLength);
            var clientCpu = samples.Sum(s => s.Cpu?.Client.TotalMicroseconds ?? 0) / count;
            double? serverCpu = samples.All(s => s.Cpu?.Server is not null)
                ? samples.Sum(s => s.Cpu!.Value.Server!.Value.TotalMicroseconds) / count
                : null;
            results.Add(new ThroughputResult(
                variant.Name,
                Statistics.Median(ops),
                ops[0],
                ops[^1],
                Statistics.PercentileMs(latencies, 0.50),
                Statistics.PercentileMs(latencies, 0.99),
                latencies.LongLength,
                clientCpu,
                serverCpu));
        }
        return results;
    }

    private static async Task<(double OpsPerSecond, long[] Latencies, CpuUsage? Cpu)> RunOnceAsync(
        Func<int, CancellationToken, Task> operation, int clients, TimeSpan warmUp, TimeSpan measure, CpuProbe? probe,
        CancellationToken cancellationToken)
    {
        // The window is fixed before any client starts, so no flag has to be flipped (and observed late) mid-run.
        var start = Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var end = start + (long)(measure.TotalSeconds * Stopwatch.Frequency);

        var workers = new Task<List<long>>[clients];
        for (var c = 0; c < clients; c++)
        {
            var client = c;
            workers[c] = Task.Run(async () =>
            {
                var latencies = new List<long>(4096);
                while (true)
                {
                    var before = Stopwatch.GetTimestamp();
                    await operation(client, cancellationToken).ConfigureAwait(false);
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

        // The probe gets a thread of its own: clients whose operations complete synchronously (token validation)
        // keep the pool's threads busy, and a pool-scheduled probe could take its first snapshot late.
        Task<CpuUsage>? cpu = null;
        if (probe is not null)
        {
            cpu = Task.Factory.StartNew(() =>
            {
                SleepUntil(start);
                var first = probe.Take();
                SleepUntil(end);
                return CpuProbe.Between(first, probe.Take());
            }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        var all = (await Task.WhenAll(workers)).SelectMany(l => l).ToArray();
        CpuUsage? usage = cpu is null ? null : await cpu;
        return (all.Length / measure.TotalSeconds, all, usage);
    }

    private static void SleepUntil(long timestamp)
    {
        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (remaining > TimeSpan.Zero)
        {
            Thread.Sleep(remaining);
        }
    }
}
