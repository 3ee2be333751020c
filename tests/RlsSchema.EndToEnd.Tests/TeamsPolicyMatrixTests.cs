using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary>
/// The Teams sample's policy matrix, run on a real server, is the committed <c>samples/Teams/policy-matrix.md</c>; and a
/// weakened policy shows in it.
/// </summary>
public sealed class TeamsPolicyMatrixTests(PostgresCluster cluster) : DatabaseTest(cluster)
{
    private static readonly string Committed = Path.Combine(RepositoryFiles.Root, "samples", "Teams", "policy-matrix.md");

    [Fact]
    public async Task Teams_PolicyMatrix_is_the_committed_file()
    {
        var result = await (await TeamsMatrix.SeedAsync(Db)).RunAsync(Db.DataSource);

        result.Verify(Committed);
    }

    [Fact]
    public async Task Teams_PolicyMatrix_shows_that_only_an_admin_of_the_organization_deletes_its_project()
    {
        var result = await (await TeamsMatrix.SeedAsync(Db)).RunAsync(Db.DataSource);

        Assert.Equal(PolicyMatrixOutcome.Allowed, Outcome(result, "alice (acme admin)", "DELETE", "acme's project"));
        Assert.Equal(PolicyMatrixOutcome.Filtered, Outcome(result, "bob (acme member)", "DELETE", "acme's project"));
        Assert.Equal(PolicyMatrixOutcome.Filtered, Outcome(result, "carol (globex admin)", "DELETE", "acme's project"));
        Assert.Equal(PolicyMatrixOutcome.Refused, Outcome(result, "anonymous", "DELETE", "acme's project"));
    }

    [Fact]
    public async Task Weakening_AdminsDelete_to_membership_changes_the_Teams_PolicyMatrix()
    {
        var weakened = await Cluster.SharedDatabaseAsync(nameof(Weakening_AdminsDelete_to_membership_changes_the_Teams_PolicyMatrix), db => db.OwnerExecuteAsync(
            """ALTER POLICY "admins-delete" ON projects USING (projects.organization_id = ANY (ARRAY(SELECT auth.member_tenants())))"""), migrate: true);

        var result = await (await TeamsMatrix.SeedAsync(weakened)).RunAsync(weakened.DataSource);

        Assert.Equal(PolicyMatrixOutcome.Allowed, Outcome(result, "bob (acme member)", "DELETE", "acme's project"));
        Assert.NotEqual(File.ReadAllText(Committed).ReplaceLineEndings("\n"), result.ToMarkdown());
        if (Environment.GetEnvironmentVariable(PolicyMatrixResult.AcceptVariable) != "1")
        {
            var copy = Path.Combine(Path.GetTempPath(), "rls-matrix-" + Guid.NewGuid().ToString("N"), "policy-matrix.md");
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(Committed, copy);
            try
            {
                var failure = Assert.Throws<PolicyMatrixMismatchException>(() => result.Verify(copy));
                Assert.Contains("projects, bob (acme member), DELETE acme's project: was filtered, now allowed", failure.Message);
                Assert.True(File.Exists(Path.ChangeExtension(copy, ".received.md")));
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true);
            }
        }
    }

    // Each policy in turn made always true (USING (true), WITH CHECK (true)), then put back: every one of them decides
    // some cell of the matrix, so no single weakened policy goes unnoticed.
    [Fact]
    public async Task Every_Teams_policy_made_always_true_changes_the_PolicyMatrix()
    {
        var db = await Cluster.SharedDatabaseAsync(nameof(Every_Teams_policy_made_always_true_changes_the_PolicyMatrix), _ => Task.CompletedTask, migrate: true);
        var matrix = await TeamsMatrix.SeedAsync(db);
        var policies = await db.OwnerQueryAsync<(string Table, string Name, string Command, string? Using, string? WithCheck)>(
            "SELECT tablename::text, policyname::text, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'public' AND tablename = ANY (@tables) ORDER BY 1, 2",
            new { tables = TeamsMatrix.Tables });
        var unnoticed = new List<string>();

        foreach (var (table, name, _, @using, withCheck) in policies)
        {
            var baseline = (await matrix.OnlyTables(table).RunAsync(db.DataSource)).ToMarkdown();
            await db.OwnerExecuteAsync($"""ALTER POLICY "{name}" ON {table}{Clauses(@using is null ? null : "true", withCheck is null ? null : "true")}""");
            var weakened = (await matrix.RunAsync(db.DataSource)).ToMarkdown();
            await db.OwnerExecuteAsync($"""ALTER POLICY "{name}" ON {table}{Clauses(@using, withCheck)}""");
            if (weakened == baseline)
            {
                unnoticed.Add(table + "." + name);
            }
        }

        Assert.Equal(TeamsMatrix.Tables.Order(), policies.Select(p => p.Table).Distinct().Order());
        Assert.Empty(unnoticed);
    }

    private static string Clauses(string? @using, string? withCheck) =>
        (@using is null ? "" : $" USING ({@using})") + (withCheck is null ? "" : $" WITH CHECK ({withCheck})");

    private static PolicyMatrixOutcome Outcome(PolicyMatrixResult result, string persona, string command, string row) =>
        result.Cells.Single(c => c.Persona == persona && c.Command == command && c.Row == row).Outcome;
}
