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

namespace RlsSchema.Benchmarks.Scenarios;

/// <summary>
/// Scenario 6: the server's execution time (EXPLAIN (ANALYZE, FORMAT JSON) "Execution Time", median of N) for a member
/// listing tasks through the generated typed policy <c>Auth.IsMemberOf(t.Project.OrganizationId)</c>, against the owner
/// running the equivalent hand-written filter, with the per-row correlated-subquery form of the same rule beside them.
/// The correlated form is installed inside a transaction that is rolled back, so the shared table is never changed.
/// Beside them: a typed policy comparing a related row's column with this row's (looked up per row by the
/// related table's key) and the plain navigation form of a condition on the related row (a set computed once per
/// statement), each as the generator writes it.
/// </summary>
internal static class MembershipPolicyScenario
{
    public const int Number = 6;

    public const string Floor = "floor: owner, hand-written filter (project_id IN projects of the user's organizations), no RLS";
    public const string Generated = "typed policy Auth.IsMemberOf(t.Project.OrganizationId) [generated]";
    public const string Correlated = "per-row correlated EXISTS (projects JOIN memberships WHERE p.id = tasks.project_id)";

    public const string PlainNavigation = "plain navigation t.Project.Name != \"archive\" (uncorrelated set, once per statement) [generated shape]";
    public const string RelatedRow = "related row compared with this row t.Title != t.Project.Name (EXISTS per row) [generated shape]";

    private const string List = "SELECT id, project_id, title FROM tasks";

    private const string PlainNavigationUsing = "tasks.project_id = ANY (ARRAY(SELECT r1.id FROM projects r1 WHERE r1.name <> 'archive'))";

    private const string RelatedRowUsing = "EXISTS (SELECT FROM projects r1 WHERE r1.id = tasks.project_id AND tasks.title <> r1.name)";

    private const string CorrelatedUsing =
        "EXISTS (SELECT 1 FROM projects p JOIN memberships m ON m.organization_id = p.organization_id " +
        "WHERE p.id = tasks.project_id AND m.user_id = auth.user_id())";

    public static async Task RunAsync(BenchEnvironment env, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        report.Title(Number, $"membership policy, server execution time per query on {options.TaskCount:N0} tasks over {options.OrganizationCount:N0} organizations (median of up to {options.ExplainRepetitions})");
        Console.WriteLine($"  scenario {Number}: membership policy");
        var loaded = await TeamsLoader.LoadAsync(env.Owner, options.OrganizationCount, options.TaskCount, cancellationToken);
        Console.WriteLine($"    loaded {options.TaskCount:N0} tasks in {loaded.TotalSeconds:0.0} s");

        await using var owner = NpgsqlDataSource.Create(env.OwnerConnectionString);
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        var policy = await ScalarAsync(connection,
            "SELECT string_agg(policyname || ': ' || qual, '; ') FROM pg_policies WHERE tablename = 'tasks' AND cmd IN ('SELECT', 'ALL')", cancellationToken);
        Console.WriteLine($"    generated policy on tasks: {policy}");

        var user = Literal(BenchUsers.Measured);
        var floor = await MeasureAsync(connection, options, asMember: null, replaceUsing: null,
            List + " WHERE project_id IN (SELECT p.id FROM projects p WHERE p.organization_id IN " +
            $"(SELECT m.organization_id FROM memberships m WHERE m.user_id = {user}))", cancellationToken);
        Add(report, Floor, null, floor);

        var generated = await MeasureAsync(connection, options, env.MeasuredClaimsJson, replaceUsing: null, List, cancellationToken);
        Add(report, Generated, Floor, generated);

        var correlated = await MeasureAsync(connection, options, env.MeasuredClaimsJson, CorrelatedUsing, List, cancellationToken);
        Add(report, Correlated, Floor, correlated);

        if (generated.Rows != floor.Rows || correlated.Rows != floor.Rows)
        {
            throw new InvalidOperationException(
                $"The variants disagree on the rows: floor {floor.Rows}, typed policy {generated.Rows}, correlated {correlated.Rows}.");
        }

        // No task is titled as its project is named, and a related row counts only where the user sees it (projects
        // has its own policies): both shapes keep exactly the member's tasks, so they compare the cost per row.
        var plain = await MeasureAsync(connection, options, env.MeasuredClaimsJson, PlainNavigationUsing, List, cancellationToken);
        Add(report, PlainNavigation, null, plain);
        var related = await MeasureAsync(connection, options, env.MeasuredClaimsJson, RelatedRowUsing, List, cancellationToken);
        Add(report, RelatedRow, PlainNavigation, related);
        if (plain.Rows != floor.Rows || related.Rows != floor.Rows)
        {
            throw new InvalidOperationException(
                $"The related-row shapes disagree with the floor on the rows: floor {floor.Rows}, plain navigation {plain.Rows}, related row {related.Rows}.");
        }
    }

    private static void Add(Report report, string name, string? baseline, ExplainMeasurement m)
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
        NpgsqlConnection connection, BenchOptions options, string? asMember, string? replaceUsing, string query, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (replaceUsing is not null)
        {
            var names = await ScalarAsync(connection,
                "SELECT string_agg(quote_ident(policyname), ',') FROM pg_policies WHERE tablename = 'tasks' AND cmd IN ('SELECT', 'ALL')", cancellationToken);
            foreach (var name in (names ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                await ExecuteAsync(connection, $"DROP POLICY {name} ON tasks", cancellationToken);
            }
            await ExecuteAsync(connection, $"CREATE POLICY bench_shape ON tasks FOR SELECT TO authenticated USING ({replaceUsing})", cancellationToken);
        }
        if (asMember is not null)
        {
            await ExecuteAsync(connection, "SET LOCAL ROLE authenticated", cancellationToken);
            // As a session sets them: the claims, and the subject on its own for auth.user_id().
            var sub = JsonDocument.Parse(asMember).RootElement.GetProperty("sub").GetString()!;
            await ExecuteAsync(connection, $"SELECT set_config('request.jwt.claims', {Literal(asMember)}, true), set_config('request.jwt.claim.sub', {Literal(sub)}, true)", cancellationToken);
        }

        var measurement = await ExplainRunner.MeasureAsync(connection, options, query, cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
        return measurement;
    }

    private static async Task<string?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
