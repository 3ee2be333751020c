using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using RlsSchema.Benchmarks.Harness;
using RlsSchema.Generator;
using RlsSchema.Tests.Generation;

namespace RlsSchema.Benchmarks.Scenarios;

/// <summary>
/// Scenario 8: diffing a 500-entity model against its migration snapshot, as every build of a project with a
/// Migrations folder does. Scenario 4's entities, a first migration and snapshot taken from them, then 50 entities gain
/// a column and 20 lose one. Measured: the generator's Migrations step (read the snapshot, build the model, diff, write
/// the pending SQL and the new snapshot), and the whole generator run with and without the Migrations folder.
/// </summary>
internal static class MigrationDiffScenario
{
    public const int Number = 8;
    public const string WithoutFolder = "generator run, no Migrations folder, warm";
    public const string WithFolder = "generator run with Migrations/ (snapshot + 1 migration), 70 entities changed, warm";
    public const string DiffStep = "the Migrations step alone: read snapshot, diff, write pending SQL and snapshot";

    public static void Run(BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        var entities = options.GeneratorEntities;
        report.Title(Number, $"diffing a {entities}-entity model against its migration snapshot (median of {options.GeneratorRepetitions})");
        Console.WriteLine($"  scenario {Number}: migration diff");
        var references = GeneratorScenario.References();

        Compilation Compile(bool edited) => GeneratorHarness.Compile(
            Enumerable.Range(0, entities).Select(i => CSharpSyntaxTree.ParseText(Source(i, edited), GeneratorHarness.ParseOptions, path: $"Entities/Entity{i}.cs", cancellationToken: cancellationToken)),
            references,
            "Entities");

        // The first migration and the snapshot, as `rlsschema migrations add Initial` writes them from the unedited model.
        var initial = Driver([]).RunGenerators(Compile(edited: false), cancellationToken).GetRunResult().Results.Single();
        var folder = new[]
        {
            new FolderFile("0001_Initial.sql", "migration", Constant(initial, "RlsSchemaPending.g.cs")),
            new FolderFile("rls-model.json", "snapshot", Constant(initial, "RlsSchemaModel.g.cs")),
        };

        var editedCompilation = Compile(edited: true);
        var without = new List<double>();
        var with = new List<double>();
        var step = new List<double>();
        string pending = "";
        var watch = new Stopwatch();
        for (var i = 0; i <= options.GeneratorRepetitions; i++)
        {
            var plain = Driver([]);
            watch.Restart();
            plain.RunGenerators(editedCompilation, cancellationToken);
            var plainMs = watch.Elapsed.TotalMilliseconds;

            var migrating = Driver(folder);
            watch.Restart();
            var run = migrating.RunGenerators(editedCompilation, cancellationToken).GetRunResult().Results.Single();
            var withMs = watch.Elapsed.TotalMilliseconds;
            if (i == 0)
            {
                // The first pair JIT-compiles the migrations code; scenario 4 reports the cold case.
                pending = Constant(run, "RlsSchemaPending.g.cs");
                continue;
            }

            without.Add(plainMs);
            with.Add(withMs);
            step.Add(run.TrackedSteps["Migrations"].Sum(s => s.ElapsedTime.TotalMilliseconds));
        }

        int added = pending.Split('\n').Count(l => l.Contains(" ADD COLUMN due_on ", StringComparison.Ordinal));
        int dropped = pending.Split('\n').Count(l => l.Contains(" DROP COLUMN IF EXISTS notes;", StringComparison.Ordinal));
        if (added != entities / 10 || dropped != (entities + 24) / 25)
        {
            throw new InvalidOperationException($"The pending migration adds {added} and drops {dropped} columns; expected {entities / 10} and {(entities + 24) / 25}.");
        }

        var withoutMedian = Statistics.Median(without);
        var withMedian = Statistics.Median(with);
        var stepMedian = Statistics.Median(step);
        Console.WriteLine($"    {WithoutFolder}: {withoutMedian:0.0} ms; {WithFolder}: {withMedian:0.0} ms; diff step: {stepMedian:0.0} ms");
        var common = new Dictionary<string, object> { ["entities"] = entities, ["columns_added"] = added, ["columns_dropped"] = dropped };
        report.Add(new ResultRow(Number, WithoutFolder, Unit.Milliseconds, withoutMedian, null,
            string.Create(CultureInfo.InvariantCulture, $"min {without.Min():0.0}, max {without.Max():0.0} ms"), common));
        report.Add(new ResultRow(Number, WithFolder, Unit.Milliseconds, withMedian, WithoutFolder,
            string.Create(CultureInfo.InvariantCulture, $"pending SQL: {added} ADD COLUMN, {dropped} DROP COLUMN, {pending.Length:N0} characters; min {with.Min():0.0}, max {with.Max():0.0} ms"), common));
        report.Add(new ResultRow(Number, DiffStep, Unit.Milliseconds, stepMedian, WithoutFolder,
            string.Create(CultureInfo.InvariantCulture, $"the tracked step's own time; min {step.Min():0.0}, max {step.Max():0.0} ms"), common));
        report.Verdict("Scenario 8: diffing a 500-entity model takes under 1 s",
            entities == 500 ? stepMedian < 1000 && withMedian - withoutMedian < 1000 : null,
            string.Create(CultureInfo.InvariantCulture,
                $"The Migrations step took {stepMedian:0} ms; the whole generator run took {withMedian:0} ms with the folder against {withoutMedian:0} ms without, {withMedian - withoutMedian:0} ms more."));
    }

    private static GeneratorDriver Driver(FolderFile[] files) =>
        GeneratorHarness.CreateDriver(additionalTexts: files, optionsProvider: new FolderOptions(files));

    // Every tenth entity gains a column; every 25th loses one.
    private static string Source(int i, bool edited)
    {
        var source = GeneratorScenario.EntitySource(i);
        if (!edited)
        {
            return source;
        }

        if (i % 10 == 0)
        {
            source = source.Replace("    public bool Archived { get; set; }", "    public bool Archived { get; set; }\n    public DateOnly? DueOn { get; set; }", StringComparison.Ordinal);
        }

        if (i % 25 == 0)
        {
            source = source.Replace("    public string? Notes { get; set; }\n", "", StringComparison.Ordinal).Replace("    public string? Notes { get; set; }\r\n", "", StringComparison.Ordinal);
        }

        return source;
    }

    private static string Constant(GeneratorRunResult run, string hintName)
    {
        var source = run.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();
        const string marker = "public const string Sql = @\"";
        int start = source.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        int end = source.LastIndexOf("\";", StringComparison.Ordinal);
        return source[start..end].Replace("\"\"", "\"", StringComparison.Ordinal);
    }

    private sealed class FolderFile(string name, string kind, string text) : AdditionalText
    {
        public string Kind { get; } = kind;

        public override string Path { get; } = "/project/Migrations/" + name;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class FolderOptions(FolderFile[] files) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(ImmutableDictionary<string, string>.Empty);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            files.FirstOrDefault(f => ReferenceEquals(f, textFile)) is { } file
                ? new Options(ImmutableDictionary<string, string>.Empty.Add("build_metadata.AdditionalFiles.RlsSchemaKind", file.Kind))
                : GlobalOptions;

        private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
