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
            public List<Card> Cards { get; set; } = new();
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
