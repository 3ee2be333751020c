using System;
using System.Globalization;
using RlsSchema.Benchmarks.Scenarios;

namespace RlsSchema.Benchmarks.Harness;

/// <summary>Reads the figures against the targets of the benchmark plan. Reports; never fails the run.</summary>
internal static class Targets
{
    public static void Judge(Report report, BenchOptions options)
    {
        if (options.Runs(1))
        {
            var floor = report.Value(ListMyTodosScenario.Number, ListMyTodosScenario.Floor);
            var repository = report.Value(ListMyTodosScenario.Number, ListMyTodosScenario.Repository);
            var naive = report.Value(ListMyTodosScenario.Number, ListMyTodosScenario.Naive);
            var ef = report.Value(ListMyTodosScenario.Number, ListMyTodosScenario.Ef);
            if (repository is { } r && floor is { } f && naive is { } n && ef is { } e)
            {
                report.Verdict("Scenario 1: repository >= 0.85x the floor", r >= 0.85 * f, Fmt($"{r / f:0.00}x ({r:N0} vs {f:N0} ops/s)."));
                report.Verdict("Scenario 1: repository >= 1.5x the naive session", r >= 1.5 * n, Fmt($"{r / n:0.00}x ({r:N0} vs {n:N0} ops/s)."));
                report.Verdict("Scenario 1: repository ahead of EF Core", r > e, Fmt($"{r / e:0.00}x ({r:N0} vs {e:N0} ops/s)."));
                report.Verdict("S1: repository (session per request) >= 0.90x the floor", r >= 0.90 * f, Fmt($"{r / f:0.00}x ({r:N0} vs {f:N0} ops/s).")
                    + Ratio(report, ListMyTodosScenario.Number, ListMyTodosScenario.RepositorySubjectOnly, f, " sub only")
                    + Ratio(report, ListMyTodosScenario.Number, ListMyTodosScenario.RepositoryListMineParameter, f, " ListMine with a parameter (not kept)")
                    + Ratio(report, ListMyTodosScenario.Number, ListMyTodosScenario.Batched, f, " hand-written batch"));
            }
            else
            {
                report.Verdict("Scenario 1", null, "The generated repository was not measured.");
            }
        }

        if (options.Runs(2))
        {
            var floor = report.Value(PolicyShapesScenario.Number, PolicyShapesScenario.FloorName(true));
            var initplan = report.Value(PolicyShapesScenario.Number, PolicyShapesScenario.ShapeName(0, true));
            var perRowIndexed = report.Value(PolicyShapesScenario.Number, PolicyShapesScenario.ShapeName(1, true));
            var initplanBare = report.Value(PolicyShapesScenario.Number, PolicyShapesScenario.ShapeName(0, false));
            var perRowBare = report.Value(PolicyShapesScenario.Number, PolicyShapesScenario.ShapeName(1, false));
            if (floor is { } f && initplan is { } i && perRowIndexed is { } pi && initplanBare is { } ib && perRowBare is { } pb)
            {
                report.Verdict($"Scenario 2: generated form within 1.2x of the floor's server time ({options.TodoCount:N0} rows)", i <= 1.2 * f,
                    Fmt($"{i / f:0.00}x ({i:0.000} vs {f:0.000} ms, both with the owner index)."));
                report.Verdict("S2: generated policy <= 1.10x the floor's server time (owner index)", i <= 1.10 * f, Fmt($"{i / f:0.00}x ({i:0.000} vs {f:0.000} ms)."));
                if (report.Value(PolicyShapesScenario.Number, PolicyShapesScenario.GeneratedListMine) is { } lm)
                {
                    report.Verdict("S2: generated ListMine query <= 1.40x the floor's server time (owner index)", lm <= 1.40 * f,
                        Fmt($"{lm / f:0.00}x ({lm:0.000} vs {f:0.000} ms).") + Ratio(report, PolicyShapesScenario.Number, PolicyShapesScenario.ListMineParameter, f, " with a parameter (not kept)"));
                }

                report.Verdict("Scenario 2: the per-row form shown slower", pb > ib,
                    Fmt($"Without the index, per-row {pb:0.0} ms vs initplan {ib:0.0} ms ({pb / ib:0.0}x). With the index: {pi:0.000} vs {i:0.000} ms."));
            }
        }

        if (options.Runs(InsertScenario.Number))
        {
            var raw = report.Value(InsertScenario.Number, InsertScenario.Raw);
            if (report.Value(InsertScenario.Number, InsertScenario.Repository) is { } r && raw is { } w)
            {
                report.Verdict("S3: repository insert >= 0.90x the raw owner insert", r >= 0.90 * w, Fmt($"{r / w:0.00}x ({r:N0} vs {w:N0} ops/s).")
                    + Ratio(report, InsertScenario.Number, InsertScenario.RepositorySessionOwner, w, " owner from the session (not kept)")
                    + Ratio(report, InsertScenario.Number, InsertScenario.RepositorySubjectOnly, w, " sub only")
                    + Ratio(report, InsertScenario.Number, InsertScenario.Batched, w, " hand-written batch"));
            }
        }

        if (options.Runs(6))
        {
            var floor = report.Value(MembershipPolicyScenario.Number, MembershipPolicyScenario.Floor);
            var generated = report.Value(MembershipPolicyScenario.Number, MembershipPolicyScenario.Generated);
            var correlated = report.Value(MembershipPolicyScenario.Number, MembershipPolicyScenario.Correlated);
            if (floor is { } f && generated is { } g && correlated is { } c)
            {
                report.Verdict($"Scenario 6: typed membership policy within 1.5x of the owner's hand-written filter ({options.TaskCount:N0} tasks)", g <= 1.5 * f,
                    Fmt($"{g / f:0.00}x ({g:0.000} vs {f:0.000} ms); the per-row correlated form {c / f:0.00}x ({c:0.000} ms)."));
            }
        }

        if (options.Runs(5))
        {
            var repository = report.Value(RoundTripScenario.Number, RoundTripScenario.Repository);
            var naive = report.Value(RoundTripScenario.Number, RoundTripScenario.Naive);
            report.Verdict("Scenario 5: one round trip for a one-statement authorized query",
                repository is null ? null : repository <= 1.0,
                repository is { } r ? Fmt($"The generated repository: {r:0.##} per query; the naive session: {naive:0.##}.") : "The generated repository was not measured.");
        }

        JudgeWebApi(report, options);
        JudgeEfRls(report, options);
    }

    private static void JudgeEfRls(Report report, BenchOptions options)
    {
        if (!options.Runs(EfRlsScenario.Number))
        {
            return;
        }

        var owner = report.Value(EfRlsScenario.Number, EfRlsScenario.Owner);
        var rls = report.Value(EfRlsScenario.Number, EfRlsScenario.Rls);
        report.Verdict("Scenario 10: EF Core under RLS >= 0.90x EF Core as the owner with a query filter",
            owner is null || rls is null ? null : rls >= 0.90 * owner,
            owner is { } o && rls is { } r ? Fmt($"{r / o:0.00}x ({r:N0} vs {o:N0} ops/s).") : "Not measured.");
        var ownerPrepared = report.Value(EfRlsScenario.Number, EfRlsScenario.OwnerPrepared);
        var rlsPrepared = report.Value(EfRlsScenario.Number, EfRlsScenario.RlsPrepared);
        report.Verdict("Scenario 10: EF Core under RLS >= 0.90x EF Core as the owner, both auto-prepared",
            ownerPrepared is null || rlsPrepared is null ? null : rlsPrepared >= 0.90 * ownerPrepared,
            ownerPrepared is { } op && rlsPrepared is { } rp ? Fmt($"{rp / op:0.00}x ({rp:N0} vs {op:N0} ops/s).") : "Not measured.");
        var trips = report.Value(EfRlsScenario.Number, EfRlsScenario.Rls + EfRlsScenario.RoundTrips);
        report.Verdict("Scenario 10: one round trip per EF Core query under RLS",
            trips is null ? null : trips <= 1.0,
            trips is { } t ? Fmt($"{t:0.##} per query.") : "Not measured.");
    }

    private static void JudgeWebApi(Report report, BenchOptions options)
    {
        if (!options.Runs(WebApiScenario.Number))
        {
            return;
        }

        var owner = report.Value(WebApiScenario.Number, WebApiScenario.Owner);
        var rls = report.Value(WebApiScenario.Number, WebApiScenario.Rls);
        report.Verdict("Scenario 7: GET /api/todos with the RLS session >= 0.90x the owner endpoint",
            rls is { } r && owner is { } o ? r >= 0.90 * o : null,
            rls is { } r2 && owner is { } o2 ? Fmt($"{r2 / o2:0.00}x ({r2:N0} vs {o2:N0} requests/s).") : "The endpoints were not measured.");
    }

    // " Name 0.87x." for a row measured beside the baseline, or nothing when the row was not measured.
    private static string Ratio(Report report, int scenario, string row, double baseline, string label) =>
        report.Value(scenario, row) is { } v ? Fmt($"{label} {v / baseline:0.00}x.") : "";

    private static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
