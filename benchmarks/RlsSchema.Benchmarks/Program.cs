using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Benchmarks.Data;
using RlsSchema.Benchmarks.Harness;
using RlsSchema.Benchmarks.Scenarios;

namespace RlsSchema.Benchmarks;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 1 && args[0] is "--help" or "-h")
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        var cancellationToken = cancellation.Token;

        var total = Stopwatch.StartNew();
        Console.WriteLine($"RlsSchema benchmarks, {(options.Quick ? "quick" : "full")} mode: {options.TodoCount:N0} todos over {options.UserCount:N0} users, " +
                          $"{Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}");
        Console.WriteLine($"load average at start: {LoadAverage()}");
#if DEBUG
        Console.WriteLine("warning: a Debug build; run with -c Release for figures worth keeping.");
#endif

        var report = new Report();
        if (options.Runs(1) || options.Runs(2) || options.Runs(3) || options.Runs(5) || options.Runs(6) || options.Runs(7) || options.Runs(9) || options.Runs(EfRlsScenario.Number))
        {
            Console.WriteLine("starting PostgreSQL and loading data...");
            await using var env = await BenchEnvironment.StartAsync(cancellationToken);
            Console.WriteLine($"  PostgreSQL: {env.ServerKind}; database {env.Database.Name}");
            var loaded = await TodoLoader.LoadAsync(env.Owner, options.TodoCount, options.UserCount, options.MeasuredUserTodos, cancellationToken);
            Console.WriteLine($"  loaded {options.TodoCount:N0} todos in {loaded.TotalSeconds:0.0} s");

            if (options.Runs(1))
            {
                await ListMyTodosScenario.RunAsync(env, options, report, cancellationToken);
            }
            if (options.Runs(2))
            {
                await PolicyShapesScenario.RunAsync(env, options, report, cancellationToken);
            }
            if (options.Runs(3))
            {
                await InsertScenario.RunAsync(env, options, report, cancellationToken);
            }
            if (options.Runs(5))
            {
                await RoundTripScenario.RunAsync(env, options, report, cancellationToken);
            }
            if (options.Runs(WebApiScenario.Number))
            {
                await WebApiScenario.RunAsync(env, options, report, cancellationToken);
            }
            if (options.Runs(PooledListScenario.Number))
            {
                await PooledListScenario.RunAsync(env, options, report, cancellationToken);
            }
            if (options.Runs(6))
            {
                await MembershipPolicyScenario.RunAsync(env, options, report, cancellationToken);
            }
            if (options.Runs(EfRlsScenario.Number))
            {
                await EfRlsScenario.RunAsync(env, options, report, cancellationToken);
            }
        }
        if (options.Runs(4))
        {
            GeneratorScenario.Run(options, report, cancellationToken);
        }
        if (options.Runs(8))
        {
            MigrationDiffScenario.Run(options, report, cancellationToken);
        }

        Targets.Judge(report, options);
        Console.WriteLine(report.FormatTable());
        if (options.JsonPath is not null)
        {
            report.WriteJson(options.JsonPath);
            Console.WriteLine($"wrote {Path.GetFullPath(options.JsonPath)}");
        }
        Console.WriteLine($"done in {total.Elapsed.TotalSeconds:0} s; load average at end: {LoadAverage()}");
        return 0;
    }

    /// <summary>The 1, 5 and 15 minute load averages, to tell whether anything else competed for the cores.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
