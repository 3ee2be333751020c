using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using RlsSchema.Benchmarks.Data;
using RlsSchema.Benchmarks.Harness;
using RlsSchema.Benchmarks.Model;

namespace RlsSchema.Benchmarks.Scenarios;

/// <summary>Scenario 1: list my todos, closed-loop throughput with concurrent clients.</summary>
internal static class ListMyTodosScenario
{
    public const int Number = 1;
    public const string Floor = "floor: raw Npgsql as owner, prepared, WHERE user_id = $1, no RLS";
    public const string Repository = "generated repository, RLS session per request (token validated)";
    public const string Naive = "naive RLS session: BEGIN; set_config x2; query; COMMIT";
    public const string Ef = "EF Core as owner, global query filter on user id";

    public static async Task RunAsync(BenchEnvironment env, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        report.Title(Number, $"list my todos ({options.MeasuredUserTodos} of {options.TodoCount:N0} rows), {options.Clients} concurrent clients");
        Console.WriteLine($"  scenario {Number}: list my todos");

        await using var efSource = NpgsqlDataSource.Create(env.OwnerConnectionString);
        var efFactory = new PooledDbContextFactory<EfTodoContext>(
            new DbContextOptionsBuilder<EfTodoContext>().UseNpgsql(efSource).Options);

        var expected = options.MeasuredUserTodos;
        var variants = new List<ThroughputVariant>
        {
            await Variant.CheckedAsync(Floor, ct => FloorAsync(env.Owner, ct), expected, cancellationToken),
            await Variant.CheckedAsync(Naive, ct => NaiveAsync(env.Authenticator, env.MeasuredClaimsJson, ct), expected, cancellationToken),
            await Variant.CheckedAsync(Ef, ct => EfAsync(efFactory, ct), expected, cancellationToken),
        };

        var results = await ThroughputRunner.RunAsync(variants, options, cancellationToken);
        foreach (var r in results)
        {
            report.Add(new ResultRow(
                Number, r.Name, Unit.OpsPerSecond, r.OpsPerSecond, r.Name == Floor ? null : Floor,
                string.Create(CultureInfo.InvariantCulture, $"p50 {r.P50Ms:0.00} ms, p99 {r.P99Ms:0.00} ms; rounds {r.MinOpsPerSecond:N0}..{r.MaxOpsPerSecond:N0}"),
                new Dictionary<string, object>
                {
                    ["p50_ms"] = System.Math.Round(r.P50Ms, 4),
                    ["p99_ms"] = System.Math.Round(r.P99Ms, 4),
                    ["min_ops_per_sec"] = System.Math.Round(r.MinOpsPerSecond, 1),
                    ["max_ops_per_sec"] = System.Math.Round(r.MaxOpsPerSecond, 1),
                    ["clients"] = options.Clients,
                    ["rounds"] = options.Rounds,
                }));
        }
    }

    public static async Task<int> FloorAsync(NpgsqlDataSource owner, CancellationToken cancellationToken)
    {
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(TodoSql.ListByUser, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = BenchUsers.Measured });
        // A no-op after the first time on each physical connection: Npgsql keeps the statement prepared across pooling.
        await command.PrepareAsync(cancellationToken);
        return (await TodoSql.ReadAllAsync(command, cancellationToken)).Count;
    }

    /// <summary>What a hand-rolled RLS session commonly looks like: every step its own statement and round trip.</summary>
    public static async Task<int> NaiveAsync(NpgsqlDataSource authenticator, string claimsJson, CancellationToken cancellationToken)
    {
        await using var connection = await authenticator.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, "BEGIN", null, cancellationToken);
        await ExecuteAsync(connection, "SELECT set_config('role', 'authenticated', true)", null, cancellationToken);
        await ExecuteAsync(connection, "SELECT set_config('request.jwt.claims', $1, true)", claimsJson, cancellationToken);
        int count;
        await using (var query = new NpgsqlCommand(TodoSql.ListMine, connection))
        {
            await query.PrepareAsync(cancellationToken);
            count = (await TodoSql.ReadAllAsync(query, cancellationToken)).Count;
        }
        await ExecuteAsync(connection, "COMMIT", null, cancellationToken);
        return count;
    }

    public static async Task<int> EfAsync(PooledDbContextFactory<EfTodoContext> factory, CancellationToken cancellationToken)
    {
        await using var context = factory.CreateDbContext();
        context.CurrentUserId = BenchUsers.Measured;
        var todos = await context.Todos.AsNoTracking().ToListAsync(cancellationToken);
        return todos.Count;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, string? parameter, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = parameter });
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
