using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using CsCheck;
using RlsSchema.Security.Tests.Infrastructure;
using RlsSchema.Tests.Generation;
using Xunit;
using Xunit.Abstractions;

namespace RlsSchema.Security.Tests.Generator;

/// <summary>
/// The generator under hostile input: a fixed corpus and random declarations from the same pools. Each must end
/// in an error diagnostic on the user's code, or in a script the real PostgreSQL applies (twice) whose catalog
/// (information_schema.columns, pg_policies, pg_class) says what the attributes say. Never an exception.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HostileGeneratorTests(SecurityEnvironment env, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Generator defects this corpus found (now fixed), by the label of the declarations that showed them (see SECURITY.md).</summary>
    public static readonly IReadOnlyDictionary<string, string> FoundDefects = new Dictionary<string, string>
    {
        ["table named \"lone\\ud800surrogate\""] = Defects.LoneSurrogate,
        ["column named \"lone\\ud800surrogate\""] = Defects.LoneSurrogate,
        ["policy named \"lone\\ud800surrogate\""] = Defects.LoneSurrogate,
        ["crud role of 50 bytes"] = Defects.CrudPolicyNameTruncated,
        ["breakout read \"1$$'$$'\""] = Defects.DigitBeforeDollarQuote,
        ["breakout select policy \"1$$'$$'\""] = Defects.DigitBeforeDollarQuote,
        ["breakout check \"1$$'$$'\""] = Defects.DigitBeforeDollarQuote,
        ["breakout default \"1$$'$$'\""] = Defects.DigitBeforeDollarQuote,
    };

    public async Task InitializeAsync()
    {
        // Roles are the deployment's business, not the generator's: the hostile ones exist, as a DBA would have made them.
        foreach (string role in HostileCorpus.HostileRoles.Append(new string('r', 50)))
        {
            await Sql.ExecuteAsync(env.Server.ConnectionString,
                "DO $r$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @r) THEN EXECUTE format('CREATE ROLE %I NOLOGIN', @r::text); END IF; END $r$".Replace("@r", "'" + role.Replace("'", "''", StringComparison.Ordinal) + "'", StringComparison.Ordinal));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_fixed_hostile_corpus_ends_in_a_diagnostic_or_in_sql_that_means_what_the_attributes_say()
    {
        var judge = new HostileDeclarationJudge(env);
        var verdicts = new Dictionary<Verdict, int>();
        var violations = new List<string>();
        var clock = Stopwatch.StartNew();
        List<EntitySpec> corpus = HostileCorpus.Fixed().ToList();
        foreach (EntitySpec spec in corpus)
        {
            (Verdict verdict, List<string> problems) = await judge.JudgeAsync(spec);
            verdicts[verdict] = verdicts.GetValueOrDefault(verdict) + 1;
            violations.AddRange(problems.Select(p => $"{spec.Label}: {p}"));
        }

        output.WriteLine($"{corpus.Count} declarations in {clock.Elapsed:g}: " + string.Join(", ", verdicts.Select(v => $"{v.Key} {v.Value}")));
        foreach (string v in violations)
        {
            output.WriteLine(v);
        }

        SecurityFigures.Record(nameof(The_fixed_hostile_corpus_ends_in_a_diagnostic_or_in_sql_that_means_what_the_attributes_say), corpus.Count, corpus.Count, 0, violations.Count);
        Assert.Empty(violations);

        // The corpus must exercise both roads, or it proves nothing.
        Assert.True(verdicts.GetValueOrDefault(Verdict.Applied) >= 40, "too few declarations reached PostgreSQL");
        Assert.True(verdicts.GetValueOrDefault(Verdict.Refused) >= 20, "too few declarations were refused");
        Assert.True(verdicts.GetValueOrDefault(Verdict.BrokenCSharp) >= 5, "too few broken sources");
    }

    [Fact]
    public async Task A_name_with_a_lone_surrogate_gets_a_diagnostic() =>
        await AssertDefectFixedAsync(Defects.LoneSurrogate);

    [Fact]
    public async Task A_crud_role_whose_policy_names_pass_63_bytes_gets_a_diagnostic() =>
        await AssertDefectFixedAsync(Defects.CrudPolicyNameTruncated);

    [Fact]
    public async Task A_fragment_with_a_dollar_quote_after_a_number_gets_a_diagnostic() =>
        await AssertDefectFixedAsync(Defects.DigitBeforeDollarQuote);

    [Fact]
    public void A_table_name_with_a_line_break_cannot_inject_code_into_the_generated_repository()
    {
        // GEN-1, fixed: the name used to end the repository's /// comment, and the rest of it compiled as C#.
        foreach (string lineBreak in new[] { "\n", "\r", "\r\n", "\u0085", "\u2028", "\u2029" })
        {
            var spec = new EntitySpec("injection", "Todo", "t" + lineBreak + "class Injected { } //", HostileCorpus.TodoProps(),
                [new CrudSpec("authenticated", Owner: "UserId")], []);
            GenerationResult run = GeneratorHarness.Run(EntitySource.Render(spec, "Hostile.Injection"));
            Assert.Empty(run.Exceptions);
            Assert.Empty(run.OutputErrors);
            Assert.Null(run.Output.GetTypeByMetadataName("Hostile.Injection.Injected"));
            Assert.True(run.GeneratorErrors.Any() || run.Sql is not null);
        }
    }

    private async Task AssertDefectFixedAsync(string defect)
    {
        var judge = new HostileDeclarationJudge(env);
        var problems = new List<string>();
        var verdicts = new List<Verdict>();
        foreach (EntitySpec spec in HostileCorpus.Fixed().Where(s => FoundDefects.TryGetValue(s.Label, out string? d) && d == defect))
        {
            (Verdict verdict, List<string> found) = await judge.JudgeAsync(spec);
            verdicts.Add(verdict);
            problems.AddRange(found.Select(p => $"{spec.Label}: {p}"));
        }

        Assert.Empty(problems);
        Assert.NotEmpty(verdicts);
        Assert.All(verdicts, v => Assert.Equal(Verdict.Refused, v));
    }

    [Fact]
    public async Task Random_hostile_declarations_end_in_a_diagnostic_or_in_sql_that_means_what_the_attributes_say()
    {
        var judge = new HostileDeclarationJudge(env);
        int applied = 0, refused = 0;
        await Check.SampleAsync(
            HostileCorpus.Random(),
            async spec =>
            {
                (Verdict verdict, List<string> problems) = await judge.JudgeAsync(spec);
                if (verdict == Verdict.Applied)
                {
                    applied++;
                }
                else
                {
                    refused++;
                }

                if (problems.Count > 0)
                {
                    throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
                }
            },
            writeLine: output.WriteLine,
            seed: RunMode.Seed,
            iter: RunMode.Seed is null ? RunMode.RandomEntities : 1,
            threads: 1,
            print: spec => EntitySource.Render(spec, "Hostile"));

        output.WriteLine($"{applied} applied, {refused} refused.");
        SecurityFigures.Record(nameof(Random_hostile_declarations_end_in_a_diagnostic_or_in_sql_that_means_what_the_attributes_say), applied + refused, applied + refused, 0, 0);
        Assert.True(applied + refused >= RunMode.RandomEntities || RunMode.Seed is not null);
        Assert.True(applied >= (applied + refused) / 5, $"only {applied} of {applied + refused} random declarations reached PostgreSQL");
    }
}
