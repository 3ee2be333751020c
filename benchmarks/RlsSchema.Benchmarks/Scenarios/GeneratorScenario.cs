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
/// Scenario 4: the generator over a compilation of 500 annotated entities, one file each, as the compiler and the IDE
/// run it (CSharpGeneratorDriver, no step tracking). Measured: the very first run in this process (JIT included), a
/// first run on a fresh compilation once warm (what a long-lived compiler server does on a clean build), and a run
/// after an unrelated edit to a file with no entity in it; a minimal generator runs the same way beside it (first run
/// and the same edits) as the yardstick for what Roslyn itself costs. The edits are then replayed with step tracking,
/// untimed: every one of the generator's tracked steps must be Cached or Unchanged and the generated text the same.
/// </summary>
internal static class GeneratorScenario
{
    public const int Number = 4;
    public const string Cold = "first run, new process (JIT included)";
    public const string Warm = "first run on a fresh compilation, warm";
    public const string Edit = "after an unrelated edit";
    public const string Yardstick = "yardstick: minimal generator (find [CrudPolicy] classes, read properties), warm";
    public const string YardstickEdit = "yardstick: minimal generator after the same unrelated edit";
    public const string WarmSteps = "where a warm first run goes: the steps' own time, tracked runs";
    public const string EditSteps = "where an after-edit run goes: the steps' own time, tracked runs";

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
        var driver = GeneratorHarness.CreateDriver(trackSteps: false).RunGenerators(compilation, cancellationToken);
        var coldMs = watch.Elapsed.TotalMilliseconds;
        var first = driver.GetRunResult();
        var check = Validate(first, entities);

        // Warm first runs: a new driver over a new compilation each time, so nothing is cached by either.
        var warm = new List<double>();
        for (var i = 0; i < options.GeneratorRepetitions; i++)
        {
            var fresh = NewCompilation();
            var freshDriver = GeneratorHarness.CreateDriver(trackSteps: false);
            watch.Restart();
            freshDriver.RunGenerators(fresh, cancellationToken);
            warm.Add(watch.Elapsed.TotalMilliseconds);
        }

        // The yardstick, measured the same way, for what Roslyn itself costs on this compilation.
        var yardstick = new List<double>();
        for (var i = 0; i <= options.GeneratorRepetitions; i++)
        {
            var fresh = NewCompilation();
            var yardstickDriver = YardstickDriver();
            watch.Restart();
            yardstickDriver.RunGenerators(fresh, cancellationToken);
            if (i > 0)
            {
                // The first run JIT-compiles the yardstick; the generator under test had its cold run above.
                yardstick.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        // Unrelated edits: change a method body in the file that declares no entity, run the same driver again. Each
        // generator gets its own chain of edited compilations (a compilation binds lazily and keeps what it bound, so
        // sharing one would hand the second generator the first one's work), and the two run in turn on each edit. The
        // first edit is not timed: it JIT-compiles the driver's paths for a run with cached state, for both.
        var yardstickCompilation = NewCompilation();
        var yardstickEditDriver = YardstickDriver().RunGenerators(yardstickCompilation, cancellationToken);
        var edited = EditChain(compilation, unrelated, options.GeneratorRepetitions + 1);
        var yardstickEdited = EditChain(yardstickCompilation, unrelated, options.GeneratorRepetitions + 1);
        var edits = new List<double>();
        var yardstickEdits = new List<double>();
        for (var i = 0; i < edited.Count; i++)
        {
            watch.Restart();
            driver = driver.RunGenerators(edited[i], cancellationToken);
            var editMs = watch.Elapsed.TotalMilliseconds;

            watch.Restart();
            yardstickEditDriver = yardstickEditDriver.RunGenerators(yardstickEdited[i], cancellationToken);
            var yardstickEditMs = watch.Elapsed.TotalMilliseconds;
            if (i > 0)
            {
                edits.Add(editMs);
                yardstickEdits.Add(yardstickEditMs);
            }
        }

        // The verdict covers the generator's own tracked steps (TrackingNames), as its incremental tests do; Roslyn's
        // per-file syntax steps and the output callbacks are counted apart (see the notes in the table). Replayed with
        // tracking on the same compilations, untimed: tracking records every step's values, which the compiler does not.
        // TrackingNames is internal to the generator (which compiles the attribute types in as internal copies, so
        // this project does not see its internals); its constants are read by reflection.
        var trackingNames = typeof(RlsSchemaGenerator).Assembly.GetType("RlsSchema.Generator.Parsing.TrackingNames", throwOnError: true)!;
        var generatorSteps = trackingNames.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);
        var allCached = true;
        var firstOutput = Output(first);
        var sameOutput = Output(driver.GetRunResult()) == firstOutput;
        var notCached = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var otherReruns = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var tracked = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation, cancellationToken);
        var editSteps = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var trackedNames = tracked.GetRunResult().Results.Single().TrackedSteps.Keys.Where(generatorSteps.Contains).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        foreach (var next in edited)
        {
            tracked = tracked.RunGenerators(next, cancellationToken);
            var run = tracked.GetRunResult();
            sameOutput &= Output(run) == firstOutput;
            var result = run.Results.Single();
            AddStepTimes(editSteps, result, edited.Count);
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

        // Where the time goes, by the steps' own elapsed times in tracked runs (tracking adds its own cost, so these are
        // shares to read, not the timed figures above): a few warm first runs on fresh compilations, and the edits replayed.
        var warmSteps = new SortedDictionary<string, double>(StringComparer.Ordinal);
        const int trackedWarmRuns = 3;
        for (var i = 0; i < trackedWarmRuns; i++)
        {
            var run = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(NewCompilation(), cancellationToken).GetRunResult();
            AddStepTimes(warmSteps, run.Results.Single(), trackedWarmRuns);
        }

        var warmMedian = Statistics.Median(warm);
        var editMedian = Statistics.Median(edits);
        var yardstickMedian = Statistics.Median(yardstick);
        var yardstickEditMedian = Statistics.Median(yardstickEdits);
        Console.WriteLine($"    {Cold}: {coldMs:0.0} ms; warm: {warmMedian:0.0} ms (yardstick {yardstickMedian:0.0}); after edit: {editMedian:0.0} ms (yardstick {yardstickEditMedian:0.0}); all cached: {allCached}");

        var common = new Dictionary<string, object>
        {
            ["entities"] = entities,
            ["generated_files"] = check.Files,
            ["generator_diagnostics"] = check.Diagnostics,
        };
        report.Add(new ResultRow(Number, Cold, Unit.Milliseconds, coldMs, Warm,
            $"{check.Files} files generated, {check.Diagnostics} diagnostics", common));
        report.Add(new ResultRow(Number, Warm, Unit.Milliseconds, warmMedian, null,
            string.Create(CultureInfo.InvariantCulture, $"min {warm.Min():0.0}, max {warm.Max():0.0} ms; {warmMedian / yardstickMedian:0.00}x the yardstick"),
            new Dictionary<string, object>(common)
            {
                ["min_ms"] = Math.Round(warm.Min(), 3),
                ["max_ms"] = Math.Round(warm.Max(), 3),
                ["vs_yardstick"] = Math.Round(warmMedian / yardstickMedian, 3),
            }));
        report.Add(new ResultRow(Number, Yardstick, Unit.Milliseconds, yardstickMedian, Warm,
            string.Create(CultureInfo.InvariantCulture, $"min {yardstick.Min():0.0}, max {yardstick.Max():0.0} ms"),
            new Dictionary<string, object> { ["entities"] = entities, ["min_ms"] = Math.Round(yardstick.Min(), 3), ["max_ms"] = Math.Round(yardstick.Max(), 3) }));
        report.Add(new ResultRow(Number, Edit, Unit.Milliseconds, editMedian, Warm,
            string.Create(CultureInfo.InvariantCulture, $"{editMedian / yardstickEditMedian:0.00}x the yardstick's after-edit run; ")
            + (allCached
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
                ["vs_yardstick_edit"] = Math.Round(editMedian / yardstickEditMedian, 3),
            }));
        report.Add(new ResultRow(Number, YardstickEdit, Unit.Milliseconds, yardstickEditMedian, Warm,
            string.Create(CultureInfo.InvariantCulture, $"min {yardstickEdits.Min():0.0}, max {yardstickEdits.Max():0.0} ms; its transform runs again for every [CrudPolicy] class on each edit, as every ForAttributeWithMetadataName transform does"),
            new Dictionary<string, object> { ["entities"] = entities, ["min_ms"] = Math.Round(yardstickEdits.Min(), 3), ["max_ms"] = Math.Round(yardstickEdits.Max(), 3) }));

        report.Add(StepRow(WarmSteps, warmSteps, trackedWarmRuns));
        report.Add(StepRow(EditSteps, editSteps, edited.Count));

        var coldOk = coldMs < 500;
        var warmOk = warmMedian < 500;
        report.Verdict("Scenario 4: 500 entities generated in under 500 ms",
            entities == 500 ? warmOk : null,
            string.Create(CultureInfo.InvariantCulture,
                $"First run on a fresh compilation (warm, the compiler server's case): {warmMedian:0} ms; the very first run in a new process, JIT-compiling the generator too: {coldMs:0} ms ({(coldOk ? "also" : "not")} under 500 ms). {check.Files} files generated. A minimal generator that only finds the classes and reads their properties takes {yardstickMedian:0} ms on the same compilation."));
        report.Verdict("Scenario 4: warm first run within 1.5x the minimal generator",
            warmMedian <= 1.5 * yardstickMedian,
            string.Create(CultureInfo.InvariantCulture, $"{warmMedian / yardstickMedian:0.00}x ({warmMedian:0.0} vs {yardstickMedian:0.0} ms)."));
        report.Verdict("Scenario 4: after an unrelated edit within 1.2x the minimal generator after the same edit",
            editMedian <= 1.2 * yardstickEditMedian,
            string.Create(CultureInfo.InvariantCulture, $"{editMedian / yardstickEditMedian:0.00}x ({editMedian:0.0} vs {yardstickEditMedian:0.0} ms)."));
        report.Verdict("Scenario 4: an unrelated edit regenerates nothing",
            allCached && sameOutput,
            allCached
                ? string.Create(CultureInfo.InvariantCulture, $"After each of {edits.Count} edits every one of the generator's tracked steps ({trackedNames.Length}) was Cached or Unchanged and the generated text was {(sameOutput ? "identical" : "different")}; the run took {editMedian:0.0} ms.")
                : "Steps that ran again: " + string.Join(", ", notCached.Keys) + ".");
    }

    // Each step's own elapsed time, summed over its nodes, averaged over the runs: Roslyn's per-file syntax steps, the
    // attribute transforms (the parse), the generator's own steps and the output callbacks (SourceOutput: the emitting).
    private static void AddStepTimes(IDictionary<string, double> times, GeneratorRunResult result, int runs)
    {
        foreach (var (name, steps) in result.TrackedSteps.Concat(result.TrackedOutputSteps))
        {
            times[name] = times.TryGetValue(name, out var sum) ? sum : 0;
            times[name] += steps.Sum(step => step.ElapsedTime.TotalMilliseconds) / runs;
        }
    }

    private static ResultRow StepRow(string name, IReadOnlyDictionary<string, double> times, int runs)
    {
        var total = times.Values.Sum();
        var top = times.OrderByDescending(kv => kv.Value).Take(8).ToArray();
        return new ResultRow(Number, name, Unit.Milliseconds, total, Warm,
            string.Create(CultureInfo.InvariantCulture, $"mean of {runs} runs; ")
            + string.Join(", ", top.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.0} ms ({kv.Value / total:P0})"))),
            new Dictionary<string, object> { ["steps_ms"] = times.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 3)) });
    }

    private static GeneratorDriver YardstickDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new MinimalEntityGenerator().AsSourceGenerator() },
            parseOptions: GeneratorHarness.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    // The compilations after 1..count edits to the entity-free file, each made from the one before, as typing makes them.
    private static List<Compilation> EditChain(Compilation compilation, SyntaxTree unrelated, int count)
    {
        var chain = new List<Compilation>();
        var current = compilation;
        var tree = unrelated;
        for (var i = 1; i <= count; i++)
        {
            var next = tree.WithChangedText(SourceText.From(UnrelatedSource(i), Encoding.UTF8));
            current = current.ReplaceSyntaxTree(tree, next);
            tree = next;
            chain.Add(current);
        }
        return chain;
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
