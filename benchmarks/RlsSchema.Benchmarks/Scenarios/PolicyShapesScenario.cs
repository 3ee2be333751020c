using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Benchmarks.Data;
using RlsSchema.Benchmarks.Harness;
using RlsSchema.Benchmarks.Model;

namespace RlsSchema.Benchmarks.Scenarios;

/// <summary>
/// Scenario 2: the server's own execution time (EXPLAIN (ANALYZE, FORMAT JSON) "Execution Time", median of N) for
/// "list what I may see" under each policy shape, with and without the owner index. Each shape is installed, and
/// the index dropped, inside a transaction that is rolled back, so the shared table is never changed for good.
/// The query is the plain <c>SELECT ... FROM todos</c>: the policy alone selects the rows.
/// </summary>
internal static class PolicyShapesScenario
{
    public const int Number = 2;

    private static readonly (string Name, string Using)[] Shapes =
    {
        ("initplan (select auth.user_id()) = user_id [generated]", "(select auth.user_id()) = user_id"),
        ("per-row auth.user_id() = user_id", "auth.user_id() = user_id"),
        ("Drizzle authUid (select auth.user_id() = user_id)", "(select auth.user_id() = user_id)"),
    };

    public static string FloorName(bool indexed) => "floor: owner WHERE user_id = $1, no RLS" + Suffix(indexed);
    public static string ShapeName(int shape, bool indexed) => Shapes[shape].Name + Suffix(indexed);
    public const string GeneratedListMine = "generated ListMine query (explicit filter + initplan policy) [index]";
    public const string ListMineParameter = "ListMine with the subject as a parameter (tried, not kept): user_id = $1 + initplan policy [index]";

    private static string Suffix(bool indexed) => indexed ? " [index]" : " [no index]";

    public static async Task RunAsync(BenchEnvironment env, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        report.Title(Number, $"policy shapes, server execution time per query on {options.TodoCount:N0} rows (median of up to {options.ExplainRepetitions})");
        Console.WriteLine($"  scenario {Number}: policy shapes");

        // A plain (not auto-preparing) connection: each EXPLAIN is planned afresh under the policies of the moment.
        await using var owner = NpgsqlDataSource.Create(env.OwnerConnectionString);
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        var index = await OwnerIndexAsync(connection, cancellationToken);
        var policies = await SelectPoliciesAsync(connection, cancellationToken);

        foreach (var indexed in new[] { true, false })
        {
            var floor = await MeasureAsync(connection, options, indexed ? null : index, policies: null, usingSql: null, claims: null,
                TodoSql.ListByUser.Replace("$1", Literal(BenchUsers.Measured), StringComparison.Ordinal), cancellationToken);
            Add(report, FloorName(indexed), null, floor, options);

            for (var s = 0; s < Shapes.Length; s++)
            {
                var shape = await MeasureAsync(connection, options, indexed ? null : index, policies, Shapes[s].Using, env.MeasuredClaimsJson,
                    TodoSql.ListVisible, cancellationToken);
                Add(report, ShapeName(s, indexed), FloorName(indexed), shape, options);
            }

            if (indexed)
            {
                // ListMine's filter, (select auth.user_id()), beside the policy's; and the alternative that was measured and
                // not kept, the session's subject as a parameter (the floor's own predicate) under the policy.
                var listMine = await MeasureAsync(connection, options, null, policies, Shapes[0].Using, env.MeasuredClaimsJson,
                    TodoSql.ListMine, cancellationToken);
                Add(report, GeneratedListMine, FloorName(true), listMine, options);
                var parameter = await MeasureAsync(connection, options, null, policies, Shapes[0].Using, env.MeasuredClaimsJson,
                    TodoSql.ListByUser.Replace("$1", Literal(BenchUsers.Measured), StringComparison.Ordinal), cancellationToken);
                Add(report, ListMineParameter, FloorName(true), parameter, options);
            }
        }
    }

    private static void Add(Report report, string name, string? baseline, ExplainMeasurement m, BenchOptions options)
    {
        Console.WriteLine($"    {name}: {m.MedianMs:0.000} ms ({m.Plan}, {m.Rows} rows)");
        report.Add(new ResultRow(Number, name, Unit.Milliseconds, m.MedianMs, baseline,
            string.Create(CultureInfo.InvariantCulture, $"{m.Plan}; {m.Rows} rows; min {m.MinMs:0.000}, max {m.MaxMs:0.000} ms; n={m.Repetitions}"),
            new Dictionary<string, object>
            {
                ["plan"] = m.Plan,
                ["rows"] = m.Rows,
                ["min_ms"] = Math.Round(m.MinMs, 4),
                ["max_ms"] = Math.Round(m.MaxMs, 4),
                ["planning_ms"] = Math.Round(m.PlanningMs, 4),
                ["repetitions"] = m.Repetitions,
            }));
    }

    private static async Task<ExplainMeasurement> MeasureAsync(
        NpgsqlConnection connection, BenchOptions options, string? dropIndex, IReadOnlyList<string>? policies, string? usingSql,
        string? claims, string query, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (dropIndex is not null)
        {
            await ExecuteAsync(connection, $"DROP INDEX {dropIndex}", cancellationToken);
        }
        if (usingSql is not null)
        {
            foreach (var policy in policies!)
            {
                await ExecuteAsync(connection, $"DROP POLICY {Identifier(policy)} ON todos", cancellationToken);
            }
            await ExecuteAsync(connection, $"CREATE POLICY bench_shape ON todos FOR SELECT TO authenticated USING ({usingSql})", cancellationToken);
            await ExecuteAsync(connection, "SET LOCAL ROLE authenticated", cancellationToken);
            // As a session sets them: the claims, and the subject on its own for auth.user_id().
            var sub = System.Text.Json.JsonDocument.Parse(claims!).RootElement.GetProperty("sub").GetString()!;
            await ExecuteAsync(connection, $"SELECT set_config('request.jwt.claims', {Literal(claims!)}, true), set_config('request.jwt.claim.sub', {Literal(sub)}, true)", cancellationToken);
        }

        var measurement = await ExplainRunner.MeasureAsync(connection, options, query, cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
        return measurement;
    }

    /// <summary>The node types from the top of the plan down, e.g. "Bitmap Heap Scan > Bitmap Index Scan; InitPlan".</summary>
    internal static string Describe(JsonElement plan)
    {
        var parts = new List<string>();
        var node = plan;
        while (true)
        {
            var type = node.GetProperty("Node Type").GetString() ?? "?";
            var children = node.TryGetProperty("Plans", out var p) ? p.EnumerateArray().ToList() : new List<JsonElement>();
            var sub = children.Where(c => c.TryGetProperty("Parent Relationship", out var r) && r.GetString() is "InitPlan" or "SubPlan")
                .Select(c => c.GetProperty("Parent Relationship").GetString()).Distinct().ToList();
            parts.Add(sub.Count == 0 ? type : $"{type} (+{string.Join(", ", sub)})");
            var next = children.FirstOrDefault(c => !(c.TryGetProperty("Parent Relationship", out var r) && r.GetString() is "InitPlan" or "SubPlan"));
            if (next.ValueKind != JsonValueKind.Object)
            {
                break;
            }
            node = next;
        }
        return string.Join(" > ", parts);
    }

    private static async Task<string> OwnerIndexAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(indexname) FROM pg_indexes " +
            "WHERE tablename = 'todos' AND indexdef LIKE '%(user_id)%' ORDER BY indexname LIMIT 1", connection);
        return (string?)await command.ExecuteScalarAsync(cancellationToken)
            ?? throw new InvalidOperationException("The schema has no index on todos(user_id); the generator should have emitted one.");
    }

    private static async Task<IReadOnlyList<string>> SelectPoliciesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT policyname FROM pg_policies WHERE tablename = 'todos' AND cmd IN ('SELECT', 'ALL')", connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Identifier(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
