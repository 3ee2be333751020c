using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Benchmarks.Scenarios;

namespace RlsSchema.Benchmarks.Harness;

/// <summary>Server time of one query: median, spread, planning time, plan shape and rows of its EXPLAIN ANALYZE runs.</summary>
internal sealed record ExplainMeasurement(double MedianMs, double MinMs, double MaxMs, double PlanningMs, string Plan, long Rows, int Repetitions);

/// <summary>Runs EXPLAIN ANALYZE on a query repeatedly, in whatever transaction and role the caller has set up.</summary>
internal static class ExplainRunner
{
    public static async Task<ExplainMeasurement> MeasureAsync(
        NpgsqlConnection connection, BenchOptions options, string query, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        var planning = new List<double>();
        var plan = "";
        long rows = 0;
        var budget = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i <= options.ExplainRepetitions; i++)
        {
            // The slow shapes take a second or more per query on a million rows; five runs show that well enough.
            if (times.Count >= 5 && budget.Elapsed > TimeSpan.FromSeconds(10))
            {
                break;
            }
            await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, FORMAT JSON) " + query, connection);
            command.CommandTimeout = 0;
            var json = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement[0];
            if (i == 0)
            {
                // The first run warms the buffer cache and the function caches; it is not counted.
                plan = PolicyShapesScenario.Describe(root.GetProperty("Plan"));
                rows = root.GetProperty("Plan").GetProperty("Actual Rows").GetInt64();
                continue;
            }
            times.Add(root.GetProperty("Execution Time").GetDouble());
            planning.Add(root.GetProperty("Planning Time").GetDouble());
        }

        var sorted = times.OrderBy(t => t).ToArray();
        return new ExplainMeasurement(Statistics.Median(sorted), sorted[0], sorted[^1], Statistics.Median(planning), plan, rows, sorted.Length);
    }
}
