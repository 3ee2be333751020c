using System;
using System.Collections.Generic;
using System.Globalization;

namespace RlsSchema.Benchmarks.Harness;

internal static class Notes
{
    /// <summary>The table's note for a throughput row: CPU per operation, latency, the spread of the rounds.</summary>
    public static string Throughput(ThroughputResult r)
    {
        var server = r.ServerCpuUs is { } s ? s.ToString("0", CultureInfo.InvariantCulture) : "n/a";
        return string.Create(CultureInfo.InvariantCulture,
            $"CPU/op: client {r.ClientCpuUs:0} us, server {server} us; p50 {r.P50Ms:0.00} ms, p99 {r.P99Ms:0.00} ms; rounds {r.MinOpsPerSecond:N0}..{r.MaxOpsPerSecond:N0}");
    }

    /// <summary>The JSON-only figures of a throughput row.</summary>
    public static IReadOnlyDictionary<string, object> ThroughputFigures(ThroughputResult r, BenchOptions options)
    {
        var figures = new Dictionary<string, object>
        {
            ["client_cpu_us_per_op"] = Math.Round(r.ClientCpuUs, 1),
            ["p50_ms"] = Math.Round(r.P50Ms, 4),
            ["p99_ms"] = Math.Round(r.P99Ms, 4),
            ["min_ops_per_sec"] = Math.Round(r.MinOpsPerSecond, 1),
            ["max_ops_per_sec"] = Math.Round(r.MaxOpsPerSecond, 1),
            ["clients"] = options.Clients,
            ["rounds"] = options.Rounds,
        };
        if (r.ServerCpuUs is { } server)
        {
            figures["server_cpu_us_per_op"] = Math.Round(server, 1);
        }
        return figures;
    }
}
