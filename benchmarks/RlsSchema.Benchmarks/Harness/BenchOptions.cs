using System;
using System.Collections.Generic;
using System.Globalization;

namespace RlsSchema.Benchmarks.Harness;

/// <summary>Command-line settings and the sizes and durations that follow from them.</summary>
internal sealed record BenchOptions
{
    public bool Quick { get; init; }
    public string? JsonPath { get; init; }
    public IReadOnlySet<int> Scenarios { get; init; } = new HashSet<int> { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    public int Clients { get; init; } = 8;

    public int UserCount => Quick ? 100 : 10_000;
    public int TodoCount => Quick ? 10_000 : 1_000_000;
    public int MeasuredUserTodos => 50;

    /// <summary>Scenario 6: organizations, and tasks spread over their projects.</summary>
    public int OrganizationCount => Quick ? 100 : 1_000;
    public int TaskCount => Quick ? 10_000 : 1_000_000;

    /// <summary>Each throughput variant runs this many times, in alternating order, and reports the median.</summary>
    public int Rounds => Quick ? 1 : 3;
    public TimeSpan WarmUp => Quick ? TimeSpan.FromMilliseconds(400) : TimeSpan.FromSeconds(1.5);
    public TimeSpan Measure => Quick ? TimeSpan.FromSeconds(1.5) : TimeSpan.FromSeconds(4);

    /// <summary>EXPLAIN ANALYZE repetitions per policy shape (after one unmeasured run).</summary>
    public int ExplainRepetitions => Quick ? 5 : 15;

    /// <summary>Operations per variant when counting round trips (after a few unmeasured ones).</summary>
    public int RoundTripOperations => Quick ? 20 : 100;

    /// <summary>Entities in the synthetic compilation the generator runs over.</summary>
    public int GeneratorEntities => Quick ? 100 : 500;
    public int GeneratorRepetitions => Quick ? 2 : 10;

    public bool Runs(int scenario) => Scenarios.Contains(scenario);

    private static readonly int[] Known = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    public const string Usage =
        "usage: RlsSchema.Benchmarks [--quick] [--json PATH] [--scenario 1,2,3,4,5,6,7,8,9,10] [--clients N]\n" +
        "  --quick      small data and short runs (each scenario in seconds)\n" +
        "  --json PATH  also write the figures as a JSON array to PATH\n" +
        "  --scenario   run only the listed scenarios\n" +
        "  --clients    concurrent clients for the throughput scenarios (default 8; scenario 9 always runs 64)";

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    options = options with { Quick = true };
                    break;
                case "--json":
                    options = options with { JsonPath = Value(args, ref i) };
                    break;
                case "--scenario":
                case "--scenarios":
                    var set = new HashSet<int>();
                    foreach (var part in Value(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || !Known.Contains(n))
                        {
                            throw new ArgumentException($"--scenario takes the numbers {string.Join(", ", Known)}, not '{part}'.");
                        }
                        set.Add(n);
                    }
                    options = options with { Scenarios = set };
                    break;
                case "--clients":
                    if (!int.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out var clients) || clients < 1)
                    {
                        throw new ArgumentException("--clients takes a positive number.");
                    }
                    options = options with { Clients = clients };
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        return options;
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new ArgumentException($"{args[i]} needs a value.");
        }
        i++;
        return args[i];
    }
}
