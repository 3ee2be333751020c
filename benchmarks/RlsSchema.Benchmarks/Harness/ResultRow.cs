using System.Collections.Generic;

namespace RlsSchema.Benchmarks.Harness;

/// <summary>The unit a figure is in; it decides the JSON field name and whether higher is better.</summary>
internal enum Unit
{
    OpsPerSecond,
    Milliseconds,
    RoundTrips,
}

/// <summary>One printed line and one JSON object.</summary>
/// <param name="Scenario">The scenario number from the benchmark plan.</param>
/// <param name="Name">What was measured.</param>
/// <param name="Value">The figure, in <paramref name="Unit"/>.</param>
/// <param name="Baseline">The name of the row this one is compared with; null for a baseline itself.</param>
/// <param name="Detail">A short note shown beside the figure (spread, plan shape, ...).</param>
/// <param name="Extra">Further figures written to JSON only.</param>
internal sealed record ResultRow(
    int Scenario,
    string Name,
    Unit Unit,
    double Value,
    string? Baseline,
    string? Detail = null,
    IReadOnlyDictionary<string, object>? Extra = null)
{
    /// <summary>Value divided by the baseline's value; set by the report once every row is known.</summary>
    public double? Ratio { get; init; }
}
