using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace RlsSchema.Benchmarks.Harness;

internal static class Statistics
{
    public static double Median(IReadOnlyList<double> sorted)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static double Median(IEnumerable<double> values) => Median(values.OrderBy(x => x).ToArray());

    /// <summary>A percentile of Stopwatch ticks, in milliseconds (nearest rank).</summary>
    public static double PercentileMs(long[] sortedTicks, double percentile)
    {
        if (sortedTicks.Length == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(percentile * sortedTicks.Length) - 1;
        return TicksToMs(sortedTicks[Math.Clamp(rank, 0, sortedTicks.Length - 1)]);
    }

    public static double TicksToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
