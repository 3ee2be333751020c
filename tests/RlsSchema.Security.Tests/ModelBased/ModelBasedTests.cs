using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using RlsSchema.Security.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RlsSchema.Security.Tests.ModelBased;

/// <summary>
/// Random scripts of inserts, reads, updates and deletes by users, anonymous callers and forgers, often aimed at
/// other users' rows, against the real database; every result is checked against the in-memory model.
/// A divergence fails with the CsCheck seed and the script shrunk to the fewest steps that still diverge;
/// replay it with <c>RLS_SECURITY_SEED</c>.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ModelBasedTests(SecurityEnvironment env, ITestOutputHelper output)
{
    private static readonly Gen<Step[]> Scripts = Step.Gen.Array[1, 100];

    [Fact]
    public async Task Random_scripts_of_users_anonymous_callers_and_forgers_never_diverge_from_the_model()
    {
        var runner = new ScriptRunner(env, env.Data);
        long target = RunMode.ModelOperations;
        var started = DateTime.UtcNow;
        do
        {
            await Check.SampleAsync(
                Scripts,
                runner.RunAsync,
                writeLine: output.WriteLine,
                seed: RunMode.Seed,
                iter: RunMode.Seed is null ? 50 : 1,
                threads: 2,
                print: Print);
        }
        while (RunMode.Seed is null && runner.Operations < target);

        output.WriteLine($"{runner.Operations} operations ({runner.Attacks} attacks) in {DateTime.UtcNow - started:g}, no divergence.");
        SecurityFigures.Record(nameof(Random_scripts_of_users_anonymous_callers_and_forgers_never_diverge_from_the_model), runner.Operations, runner.Attacks, 0, 0);
        if (RunMode.Seed is null)
        {
            Assert.True(runner.Operations >= target, $"ran {runner.Operations} operations, fewer than {target}");
        }

        Assert.True(runner.Attacks > runner.Operations / 5, $"only {runner.Attacks} of {runner.Operations} operations were attacks");
    }

    [Fact]
    public async Task Random_scripts_through_an_EF_Core_context_bound_to_the_session_never_diverge_from_the_model()
    {
        var runner = new ScriptRunner(env, env.Data) { ThroughEfCore = true };
        long target = RunMode.EfModelOperations;
        var started = DateTime.UtcNow;
        do
        {
            await Check.SampleAsync(Scripts, runner.RunAsync, writeLine: output.WriteLine, seed: RunMode.Seed, iter: RunMode.Seed is null ? 20 : 1, threads: 2, print: Print);
        }
        while (RunMode.Seed is null && runner.Operations < target);

        output.WriteLine($"EF Core: {runner.Operations} operations ({runner.Attacks} attacks) in {DateTime.UtcNow - started:g}, no divergence.");
        SecurityFigures.Record(nameof(Random_scripts_through_an_EF_Core_context_bound_to_the_session_never_diverge_from_the_model), runner.Operations, runner.Attacks, 0, 0);
        if (RunMode.Seed is null)
        {
            Assert.True(runner.Operations >= target, $"ran {runner.Operations} operations, fewer than {target}");
        }

        Assert.True(runner.Attacks > runner.Operations / 5, $"only {runner.Attacks} of {runner.Operations} operations were attacks");
    }

    [Fact]
    public async Task The_model_catches_a_session_opened_with_the_wrong_token_and_shrinks_it_to_a_few_steps()
    {
        // The defect a leak would look like: user 0's session runs with user 1's token.
        var runner = new ScriptRunner(env, env.Data) { InjectTokenMixUp = true };
        int shortest = int.MaxValue;
        async Task Run(Step[] steps)
        {
            try
            {
                await runner.RunAsync(steps);
            }
            catch (ModelDivergenceException)
            {
                int current;
                while (steps.Length < (current = Volatile.Read(ref shortest)) && Interlocked.CompareExchange(ref shortest, steps.Length, current) != current)
                {
                }

                throw;
            }
        }

        Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => Check.SampleAsync(Scripts, Run, iter: 5_000, threads: 1, print: Print));

        output.WriteLine(failure.Message);
        Assert.Contains("seed", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(shortest <= 3, $"the shortest diverging script has {shortest} steps; it should shrink to at most 3");
    }

    private static string Print(Step[] steps) =>
        $"{steps.Length} steps:{Environment.NewLine}" + string.Join(Environment.NewLine, steps.Select((s, i) => $"  {i + 1}. {s}"));
}
