using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using RlsSchema.Benchmarks.Harness;
using RlsSchema.Generator;
using RlsSchema.Tests.Generation;

namespace RlsSchema.Benchmarks.Scenarios;

/// <summary>
/// Scenario 4: the generator over a compilation of 500 annotated entities, one file each, as the compiler runs it
/// (CSharpGeneratorDriver with step tracking). Measured: the very first run in this process (JIT included), a first
/// run on a fresh compilation once warm (what a long-lived compiler server does on a clean build), and a run after
/// an unrelated edit to a file with no entity in it, which must leave every one of the generator's tracked steps
/// Cached or Unchanged and the generated text the same.
/// </summary>
internal static class GeneratorScenario
{
    public const int Number = 4;
    public const string Cold = "first run, new process (JIT included)";
    public const string Warm = "first run on a fresh compilation, warm";
    public const string Edit = "after an unrelated edit";
    public const string Yardstick = "yardstick: minimal generator (find [CrudPolicy] classes, read properties), warm";

    public static void Run(BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        var entities = options.GeneratorEntities;
        report.Title(Number, $"the generator on {entities} annotated entities (median of {options.GeneratorRepetitions})");
        Console.WriteLine($"  scenario {Number}: generator");

        var references = References();
        var entityTrees = Enumerable.Range(0, entities)
            .Select(i => CSharpSyntaxTree.ParseText(EntitySource(i), GeneratorHarness.ParseOptions, path: $"Entities/Entity{i}.cs", cancellationToken: cancellationToken))
            .ToArray();
        var unrelated = CSharpSyntaxTree.ParseText(UnrelatedSource(0), GeneratorHarness.ParseOptions, path: "Services/Clock.cs", cancellationToken: cancellationToken);

        Compilation NewCompilation() => GeneratorHarness.Compile(entityTrees.Append(unrelated), references, "Entities");

        // Cold: the first time this process runs the generator at all.
        var compilation = NewCompilation();
        var watch = Stopwatch.StartNew();
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, cancellationToken);
        var coldMs = watch.Elapsed.TotalMilliseconds;
        var first = driver.GetRunResult();
        var check = Validate(first, entities);

        // Warm first runs: a new driver over a new compilation each time, so nothing is cached by either.
        var warm = new List<double>();
        for (var i = 0; i < options.GeneratorRepetitions; i++)
        {
            var fresh = NewCompilation();
            var freshDriver = GeneratorHarness.CreateDriver();
            watch.Restart();
            freshDriver.RunGenerators(fresh, cancellationToken);
            warm.Add(watch.Elapsed.TotalMilliseconds);
        }

        // The yardstick, measured the same way, for what Roslyn itself costs on this compilation.
        var yardstick = new List<double>();
        for (var i = 0; i <= options.GeneratorRepetitions; i++)
        {
            var fresh = NewCompilation();
            var yardstickDriver = CSharpGeneratorDriver.Create(new[] { new MinimalEntityGenerator().AsSourceGenerator() }, parseOptions: GeneratorHarness.ParseOptions);
            watch.Restart();
            yardstickDriver.RunGenerators(fresh, cancellationToken);
            if (i > 0)
            {
                // The first run JIT-compiles the yardstick; the generator under test had its cold run above.
                yardstick.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        // Unrelated edits: change a method body in the file that declares no entity, run the same driver again.
        // The verdict covers the generator's own tracked steps (TrackingNames), as its incremental tests do; Roslyn's
        // per-file syntax steps and the output callbacks are counted apart (see the notes in the table).
        // TrackingNames is internal to the generator (which compiles the attribute types in as internal copies, so
        // this project does not see its internals); its constants are read by reflection.
        var trackingNames = typeof(RlsSchemaGenerator).Assembly.GetType("RlsSchema.Generator.Parsing.TrackingNames", throwOnError: true)!;
        var generatorSteps = trackingNames.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);
        var edits = new List<double>();
        var allCached = true;
        var sameOutput = true;
        var notCached = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var otherReruns = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var firstOutput = Output(first);
        var current = compilation;
        var currentUnrelated = unrelated;
        for (var i = 1; i <= options.GeneratorRepetitions; i++)
        {
            var edited = currentUnrelated.WithChangedText(SourceText.From(UnrelatedSource(i), Encoding.UTF8));
            current = current.ReplaceSyntaxTree(currentUnrelated, edited);
            currentUnrelated = edited;
            watch.Restart();
            driver = driver.RunGenerators(current, cancellationToken);
            edits.Add(watch.Elapsed.TotalMilliseconds);

            var run = driver.GetRunResult();
            sameOutput &= Output(run) == firstOutput;
            var result = run.Results.Single();
            foreach (var (name, steps) in result.TrackedSteps.Concat(result.TrackedOutputSteps))
            {
                foreach (var step in steps)
                {
                    foreach (var (_, reason) in step.Outputs)
                    {
                        if (reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)
                        {
                            continue;
                        }
                        var key = $"{name}:{reason}";
                        if (generatorSteps.Contains(name))
                        {
                            allCached = false;
                            notCached[key] = notCached.GetValueOrDefault(key) + 1;
                        }
                        else
                        {
                            otherReruns[key] = otherReruns.GetValueOrDefault(key) + 1;
                        }
                    }
                }
            }
        }

        var trackedNames = first.Results.Single().TrackedSteps.Keys.Where(generatorSteps.Contains).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        var warmMedian = Statistics.Median(warm);
        var editMedian = Statistics.Median(edits);
        Console.WriteLine($"    {Cold}: {coldMs:0.0} ms; warm: {warmMedian:0.0} ms; after edit: {editMedian:0.0} ms; all cached: {allCached}");

        var common = new Dictionary<string, object>
        {
            ["entities"] = entities,
            ["generated_files"] = check.Files,
            ["generator_diagnostics"] = check.Diagnostics,
        };
        report.Add(new ResultRow(Number, Cold, Unit.Milliseconds, coldMs, Warm,
            $"{check.Files} files generated, {check.Diagnostics} diagnostics", common));
        report.Add(new ResultRow(Number, Warm, Unit.Milliseconds, warmMedian, null,
            string.Create(CultureInfo.InvariantCulture, $"min {warm.Min():0.0}, max {warm.Max():0.0} ms"),
            new Dictionary<string, object>(common) { ["min_ms"] = Math.Round(warm.Min(), 3), ["max_ms"] = Math.Round(warm.Max(), 3) }));
        var yardstickMedian = Statistics.Median(yardstick);
        report.Add(new ResultRow(Number, Yardstick, Unit.Milliseconds, yardstickMedian, Warm,
            string.Create(CultureInfo.InvariantCulture, $"min {yardstick.Min():0.0}, max {yardstick.Max():0.0} ms"),
            new Dictionary<string, object> { ["entities"] = entities, ["min_ms"] = Math.Round(yardstick.Min(), 3), ["max_ms"] = Math.Round(yardstick.Max(), 3) }));
        report.Add(new ResultRow(Number, Edit, Unit.Milliseconds, editMedian, Warm,
            (allCached
                ? $"every tracked step Cached/Unchanged ({string.Join(", ", trackedNames)})"
                : "re-ran: " + string.Join(", ", notCached.Select(kv => $"{kv.Key} x{kv.Value}")))
            + (sameOutput ? "; generated text identical" : "; generated text CHANGED")
            + (otherReruns.Count == 0 ? "" : "; outside the generator's steps: " + string.Join(", ", otherReruns.Select(kv => $"{kv.Key} x{kv.Value}"))),
            new Dictionary<string, object>
            {
                ["all_steps_cached"] = allCached,
                ["generated_text_identical"] = sameOutput,
                ["other_reruns"] = otherReruns.ToDictionary(kv => kv.Key, kv => kv.Value),
                ["tracked_steps"] = trackedNames,
                ["not_cached"] = notCached.ToDictionary(kv => kv.Key, kv => kv.Value),
                ["min_ms"] = Math.Round(edits.Min(), 3),
                ["max_ms"] = Math.Round(edits.Max(), 3),
            }));

        var coldOk = coldMs < 500;
        var warmOk = warmMedian < 500;
        report.Verdict("Scenario 4: 500 entities generated in under 500 ms",
            entities == 500 ? warmOk : null,
            string.Create(CultureInfo.InvariantCulture,
                $"First run on a fresh compilation (warm, the compiler server's case): {warmMedian:0} ms; the very first run in a new process, JIT-compiling the generator too: {coldMs:0} ms ({(coldOk ? "also" : "not")} under 500 ms). {check.Files} files generated. A minimal generator that only finds the classes and reads their properties takes {yardstickMedian:0} ms on the same compilation."));
        report.Verdict("Scenario 4: an unrelated edit regenerates nothing",
            allCached && sameOutput,
            allCached
                ? string.Create(CultureInfo.InvariantCulture, $"After each of {edits.Count} edits every one of the generator's tracked steps ({trackedNames.Length}) was Cached or Unchanged and the generated text was {(sameOutput ? "identical" : "different")}; the run took {editMedian:0.0} ms.")
                : "Steps that ran again: " + string.Join(", ", notCached.Keys) + ".");
    }

    private static string Output(GeneratorDriverRunResult run) =>
        string.Join("\n", run.Results.Single().GeneratedSources.Select(s => s.HintName + "\n" + s.SourceText));

    private static (int Files, int Diagnostics) Validate(GeneratorDriverRunResult run, int entities)
    {
        var result = run.Results.Single();
        if (result.Exception is not null)
        {
            throw new InvalidOperationException("The generator threw.", result.Exception);
        }
        var all = string.Concat(result.GeneratedSources.Select(s => s.SourceText.ToString()));
        var last = $"entity_{entities - 1}";
        if (!all.Contains(last, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The generated output does not mention {last}; the generator did not see every entity.");
        }
        return (result.GeneratedSources.Length, result.Diagnostics.Length);
    }

    internal static ImmutableArray<MetadataReference> References()
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll");
        return platform
            .Append(typeof(CrudPolicyAttribute).Assembly.Location)
            .Append(typeof(RlsSchema.Npgsql.IRlsSession).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }

    /// <summary>Entities of a few realistic shapes: owner policies, public reads, raw policies, checks, indexes.</summary>
    internal static string EntitySource(int i)
    {
        var text = new StringBuilder();
        text.AppendLine("using System;");
        text.AppendLine("using System.ComponentModel.DataAnnotations;");
        text.AppendLine("using System.ComponentModel.DataAnnotations.Schema;");
        text.AppendLine("using RlsSchema;");
        text.AppendLine(CultureInfo.InvariantCulture, $"namespace Shop.Module{i / 50};");
        text.AppendLine(CultureInfo.InvariantCulture, $"[Table(\"entity_{i}\")]");
        text.AppendLine("[CrudPolicy(Role = \"authenticated\", Owner = nameof(OwnerId))]");
        if (i % 3 == 1)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"[Policy(\"entity_{i}_public_read\", Command = PolicyCommand.Select, Roles = \"anonymous\", Using = \"not archived\")]");
        }
        if (i % 7 == 2)
        {
            text.AppendLine("[Index(nameof(Name), nameof(Quantity))]");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"public partial class Entity{i}");
        text.AppendLine("{");
        text.AppendLine("    [Key] public long Id { get; set; }");
        text.AppendLine("    [DefaultSql(\"auth.user_id()\")] public string OwnerId { get; set; } = \"\";");
        text.AppendLine("    [MaxLength(200)] public string Name { get; set; } = \"\";");
        text.AppendLine("    public string? Notes { get; set; }");
        text.AppendLine(i % 5 == 0 ? "    [Check(\"quantity >= 0\")] public int Quantity { get; set; }" : "    public int Quantity { get; set; }");
        text.AppendLine("    public decimal Price { get; set; }");
        text.AppendLine("    public bool Archived { get; set; }");
        text.AppendLine("    [DefaultSql(\"now()\")] public DateTimeOffset CreatedAt { get; set; }");
        text.AppendLine("    public Guid? ExternalId { get; set; }");
        text.AppendLine("    [NotMapped] public string Display => Name + \" x\" + Quantity;");
        text.AppendLine("}");
        return text.ToString();
    }

    private static string UnrelatedSource(int edit) => $$"""
        using System;
        namespace Shop.Services;
        public static class Clock
        {
            public static DateTimeOffset Now() => DateTimeOffset.UtcNow.AddSeconds({{edit}});
        }
        """;
}
