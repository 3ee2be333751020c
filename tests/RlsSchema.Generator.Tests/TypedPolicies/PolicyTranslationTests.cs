using System;
using System.Linq;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>The SQL each C# construct of a typed policy becomes: qualified columns, C#'s null semantics, fast shapes.</summary>
public class PolicyTranslationTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;

        namespace Shop;

        public enum Level { Low, High }

        [Table("boards")]
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Board
        {
            public long Id { get; set; }
            public string OwnerId { get; set; } = "";
            public string? Region { get; set; }
            public int Limit { get; set; }
            public List<Card> Cards { get; set; } = new();
        }

        public static class App
        {
            [SqlFunction("app.feature_enabled")]
            public static bool FeatureEnabled(string feature) => throw new NotSupportedException();

            [SqlFunction("app.region_of")]
            public static string? RegionOf(string userId) => throw new NotSupportedException();

            [SqlFunction("Weight")]
            public static int Weight(int rank, string title) => throw new NotSupportedException();
        }

        [Table("cards")]
        public class Card
        {
            public const string Public = "public";

            public long Id { get; set; }
            public long BoardId { get; set; }
            public Board Board { get; set; } = null!;
            public long? ParentId { get; set; }
            [ForeignKey(nameof(ParentId))] public Card? Parent { get; set; }
            public string Title { get; set; } = "";
            public string? Label { get; set; }
            public int Rank { get; set; }
            public int? Score { get; set; }
            public Level Level { get; set; }
            public bool Pinned { get; set; }
            public Guid? Reviewer { get; set; }
            public DateTimeOffset CreatedAt { get; set; }
            public DateTime? DueAt { get; set; }
            public DateOnly Day { get; set; }

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool P(Card c) => PREDICATE;
        }
        """;

    private static string Using(string predicate)
    {
        GenerationResult result = GeneratorHarness.Run(Source.Replace("PREDICATE", predicate, StringComparison.Ordinal));
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Empty(result.OutputErrors);
        string sql = result.Sql!;
        int policy = sql.IndexOf("CREATE POLICY \"p\" ON cards", StringComparison.Ordinal);
        int start = sql.IndexOf("  USING (", policy, StringComparison.Ordinal) + "  USING (".Length;
        int end = sql.IndexOf(");\n", start, StringComparison.Ordinal);
        return sql.Substring(start, end - start);
    }

    [Theory]
    [InlineData("c.Title == Auth.UserId", "cards.title = (select auth.user_id())")]
    [InlineData("c.Label == Auth.UserId", "cards.label = (select auth.user_id())")]
    [InlineData("c.Label != Auth.UserId", "cards.label IS DISTINCT FROM (select auth.user_id())")]
    [InlineData("c.Title != \"x\"", "cards.title <> 'x'")]
    [InlineData("c.Label != \"x\"", "cards.label IS DISTINCT FROM 'x'")]
    [InlineData("c.Label == Auth.Claim(\"team\")", "cards.label IS NOT DISTINCT FROM (select auth.claim('team'))")]
    [InlineData("c.Label == null", "cards.label IS NULL")]
    [InlineData("c.Label is not null", "cards.label IS NOT NULL")]
    [InlineData("!(c.Label == \"x\")", "cards.label IS DISTINCT FROM 'x'")]
    [InlineData("!(c.Score > 3)", "(cards.score > 3) IS NOT TRUE")]
    [InlineData("!(c.Rank > 3)", "cards.rank <= 3")]
    [InlineData("c.Rank >= 1 && c.Rank < 10 || c.Pinned", "((cards.rank >= 1 AND cards.rank < 10) OR cards.pinned)")]
    [InlineData("!(c.Pinned || c.Rank == 0)", "(NOT cards.pinned AND cards.rank <> 0)")]
    [InlineData("c.Level == Level.High", "cards.level = 1")]
    [InlineData("c.Title == Card.Public", "cards.title = 'public'")]
    [InlineData("new[] { \"a\", \"b\" }.Contains(c.Title)", "cards.title IN ('a', 'b')")]
    [InlineData("!new[] { \"a\", \"b\" }.Contains(c.Label)", "(cards.label IN ('a', 'b')) IS NOT TRUE")]
    [InlineData("c.Reviewer == Auth.Uid", "cards.reviewer IS NOT DISTINCT FROM (select auth.uid())")]
    [InlineData("Auth.HasPermission(\"cards:read\")", "(select auth.has_permission('cards:read'))")]
    [InlineData("c.Board.OwnerId == Auth.UserId", "cards.board_id = ANY (ARRAY(SELECT r1.id FROM boards r1 WHERE r1.owner_id = (select auth.user_id())))")]
    [InlineData("c.Board.OwnerId == Auth.UserId && c.Board.Region == \"eu\"", "cards.board_id = ANY (ARRAY(SELECT r1.id FROM boards r1 WHERE (r1.owner_id = (select auth.user_id()) AND r1.region = 'eu')))")]
    [InlineData("c.Parent!.Title == \"root\"", "cards.parent_id = ANY (ARRAY(SELECT r1.id FROM cards r1 WHERE r1.title = 'root'))")]
    [InlineData("c.Parent?.Title == \"root\"", "cards.parent_id = ANY (ARRAY(SELECT r1.id FROM cards r1 WHERE r1.title = 'root'))")]
    [InlineData("c.Parent == null", "cards.parent_id IS NULL")]
    [InlineData("c.Board.Cards.Any(o => o.Pinned)", "cards.board_id = ANY (ARRAY(SELECT r1.id FROM boards r1 WHERE r1.id = ANY (ARRAY(SELECT r2.board_id FROM cards r2 WHERE r2.board_id IS NOT NULL AND r2.pinned))))")]
    [InlineData("c.CreatedAt > DateTimeOffset.UtcNow.AddHours(-24)", "cards.created_at > (select now() - interval '24 hours')")]
    [InlineData("c.CreatedAt > DateTimeOffset.UtcNow.AddDays(-1.5)", "cards.created_at > (select now() - interval '36 hours')")]
    [InlineData("c.CreatedAt >= DateTimeOffset.UtcNow - TimeSpan.FromMinutes(30)", "cards.created_at >= (select now() - interval '30 minutes')")]
    [InlineData("c.CreatedAt <= DateTimeOffset.UtcNow", "cards.created_at <= (select now())")]
    [InlineData("c.DueAt < DateTime.UtcNow.AddSeconds(90).AddMinutes(-1)", "cards.due_at < (select now() + interval '90 seconds' - interval '1 minutes')")]
    [InlineData("!(c.DueAt < DateTime.UtcNow + TimeSpan.FromHours(2))", "(cards.due_at < (select now() + interval '2 hours')) IS NOT TRUE")]
    [InlineData("c.Day == DateOnly.FromDateTime(DateTime.UtcNow)", "cards.day = (select (now() AT TIME ZONE 'UTC')::date)")]
    [InlineData("c.Day >= DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-7)", "cards.day >= (select ((now() AT TIME ZONE 'UTC') - interval '7 days')::date)")]
    [InlineData("c.Board.Region != c.Label", "EXISTS (SELECT FROM boards r1 WHERE r1.id = cards.board_id AND r1.region IS DISTINCT FROM cards.label)")]
    [InlineData("c.Title == c.Board.OwnerId", "EXISTS (SELECT FROM boards r1 WHERE r1.id = cards.board_id AND cards.title = r1.owner_id)")]
    [InlineData("c.Rank < c.Board.Limit", "EXISTS (SELECT FROM boards r1 WHERE r1.id = cards.board_id AND cards.rank < r1.\"limit\")")]
    [InlineData("!(c.Score < c.Board.Limit)", "EXISTS (SELECT FROM boards r1 WHERE r1.id = cards.board_id AND (cards.score < r1.\"limit\") IS NOT TRUE)")]
    [InlineData("c.Parent!.Board.OwnerId == c.Title", "EXISTS (SELECT FROM cards r1 WHERE r1.id = cards.parent_id AND EXISTS (SELECT FROM boards r2 WHERE r2.id = r1.board_id AND r2.owner_id = cards.title))")]
    [InlineData("App.FeatureEnabled(\"cards\")", "(select app.feature_enabled('cards'))")]
    [InlineData("!App.FeatureEnabled(\"cards\")", "(select app.feature_enabled('cards')) IS NOT TRUE")]
    [InlineData("c.Label == App.RegionOf(Auth.UserId)", "cards.label IS NOT DISTINCT FROM (select app.region_of((select auth.user_id())))")]
    [InlineData("App.Weight(c.Rank, \"x\") > 3", "\"Weight\"(cards.rank, 'x') > 3")]
    [InlineData("c.Board.Region == App.RegionOf(Auth.UserId)", "cards.board_id = ANY (ARRAY(SELECT r1.id FROM boards r1 WHERE r1.region IS NOT DISTINCT FROM (select app.region_of((select auth.user_id())))))")]
    [InlineData("true", "true")]
    [InlineData("(c.Pinned && c.Rank > 1)", "(cards.pinned AND cards.rank > 1)")]
    public void Translates(string predicate, string sql) => Assert.Equal(sql, Using(predicate));

    [Fact]
    public void Any_over_a_collection_is_one_uncorrelated_subquery_and_its_negation_stays_two_valued()
    {
        string source = Source
            .Replace("[CrudPolicy(Role = \"authenticated\", Read = Policies.True, Modify = Policies.None)]\n        public class Board", "public class Board", StringComparison.Ordinal)
            .Replace("public List<Card> Cards { get; set; } = new();", """
                public List<Card> Cards { get; set; } = new();

                [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
                static bool WithoutPinned(Board b) => !b.Cards.Any(c => c.Pinned);
                """, StringComparison.Ordinal)
            .Replace("PREDICATE", "true", StringComparison.Ordinal);

        GenerationResult result = GeneratorHarness.Run(source);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Contains("USING (NOT (boards.id = ANY (ARRAY(SELECT r1.board_id FROM cards r1 WHERE r1.board_id IS NOT NULL AND r1.pinned))));", result.Sql);
    }

    [Theory]
    [InlineData("Update", "UPDATE")]
    [InlineData("All", "ALL")]
    public void A_command_with_both_clauses_checks_the_new_row_with_the_same_condition_it_filters_the_old_one_with(string command, string sqlCommand)
    {
        string source = Source
            .Replace("[Policy(Command = PolicyCommand.Select", "[Policy(Command = PolicyCommand." + command, StringComparison.Ordinal)
            .Replace("PREDICATE", "c.Board.OwnerId == Auth.UserId && c.Rank > 0", StringComparison.Ordinal);

        GenerationResult result = GeneratorHarness.Run(source);

        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        string sql = result.Sql!;
        int start = sql.IndexOf("CREATE POLICY \"p\" ON cards", StringComparison.Ordinal);
        string policy = sql.Substring(start, sql.IndexOf(";\n", start, StringComparison.Ordinal) + 1 - start);
        const string condition = "(cards.board_id = ANY (ARRAY(SELECT r1.id FROM boards r1 WHERE r1.owner_id = (select auth.user_id()))) AND cards.rank > 0)";
        Assert.Equal(
            $"CREATE POLICY \"p\" ON cards\n  AS PERMISSIVE FOR {sqlCommand}\n  TO authenticated\n  USING ({condition})\n  WITH CHECK ({condition});",
            policy);
    }
}
