using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Threading.Tasks;
using CsCheck;
using Dapper;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Npgsql;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Generation;
using Xunit;
using Xunit.Abstractions;

namespace RlsSchema.Generator.Tests;

/// <summary>
/// Random typed-policy conditions over a small graph (boards and their cards), each translated by the generator and run
/// on a real PostgreSQL, must select exactly the cards that the same C# method selects when compiled and run in memory
/// over the same rows with the same claims. The C# side is the compiler's own semantics, not a model of them.
/// </summary>
public sealed class TranslationPropertyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int PoliciesPerSample = 24;

    private const string Model = """
        using System;
        using System.Linq;
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;

        namespace Graph;

        public enum Level { Low, High }

        [Table("boards")]
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Board
        {
            public long Id { get; set; }
            public string OwnerId { get; set; } = "";
            public string? Region { get; set; }
            public int Rank { get; set; }
            public List<Card> Cards { get; set; } = new();
        }

        [Table("cards")]
        public partial class Card
        {
            public long Id { get; set; }
            public long BoardId { get; set; }
            public Board Board { get; set; } = null!;
            public string Title { get; set; } = "";
            public string? Label { get; set; }
            public int Rank { get; set; }
            public int? Score { get; set; }
            public bool Pinned { get; set; }
            public Level Level { get; set; }
        }
        """;

    private static readonly string[] Texts = ["a", "b", "u1"];

    private static readonly (string Sub, string? Team)[] Users = [("u1", "a"), ("u2", null), ("b", "u1")];

    private static readonly Board[] Boards =
    [
        new(1, "u1", "eu", 1), new(2, "u2", null, 2), new(3, "b", "us", 3), new(4, "u1", null, 0),
    ];

    private static readonly Card[] Cards = Enumerable.Range(1, 36).Select(i => new Card(
        i,
        Boards[i % Boards.Length].Id,
        Texts[i % 3],
        (i % 4) switch { 0 => null, 1 => "a", 2 => "u1", _ => "b" },
        i % 5,
        (i % 3) switch { 0 => null, 1 => i % 7, _ => 2 },
        i % 2 == 0,
        i % 3 == 1 ? 1 : 0)).ToArray();

    private PostgresServer? _server;
    private TestDatabase? _database;

    private sealed record Board(long Id, string OwnerId, string? Region, int Rank);

    private sealed record Card(long Id, long BoardId, string Title, string? Label, int Rank, int? Score, bool Pinned, int Level);

    private static Gen<string> Pick(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static Gen<string> Condition(int depth)
    {
        Gen<string> text = Pick(Texts.Select(t => "\"" + t + "\"").ToArray());
        Gen<string> equality = Pick("==", "!=");
        Gen<string> order = Pick("<", "<=", ">", ">=", "==", "!=");
        Gen<string> atom = Gen.OneOf(
            Gen.Select(equality, text, (op, t) => $"c.Title {op} {t}"),
            Gen.Select(equality, Gen.OneOf(text, Pick("null", "Auth.UserId", "Auth.Claim(\"team\")")), (op, t) => $"c.Label {op} {t}"),
            Gen.Select(order, Gen.Int[0, 4], (op, n) => $"c.Rank {op} {n}"),
            Gen.Select(order, Gen.OneOf(Gen.Int[0, 6].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), Gen.Const("null")), (op, n) => $"c.Score {op} {n}"),
            Pick("c.Pinned", "c.Level == Level.High", "c.Level != Level.Low", "c.Label is null", "c.Score is not null"),
            Pick("new[] { \"a\", \"b\" }.Contains(c.Label)", "new[] { \"u1\" }.Contains(c.Title)"),
            Gen.Select(equality, Gen.OneOf(text, Gen.Const("Auth.UserId")), (op, t) => $"c.Board.OwnerId {op} {t}"),
            Gen.Select(equality, Pick("\"eu\"", "null", "Auth.Claim(\"team\")"), (op, t) => $"c.Board.Region {op} {t}"),
            Gen.Select(order, Gen.Int[0, 3], (op, n) => $"c.Board.Rank {op} {n}"),
            Gen.Select(order, Pick("c.Rank", "c.Score"), (op, x) => $"{x} {op} c.Board.Rank"),
            Gen.Select(equality, Pick("c.Label", "c.Title"), (op, x) => $"c.Board.Region {op} {x}"),
            Gen.Select(equality, Pick("c.Label", "c.Title"), (op, x) => $"{x} {op} c.Board.OwnerId"),
            Pick("c.Board.Cards.Any(o => o.Pinned && o.Score > 3)", "c.Board.Cards.Any(o => o.Label == Auth.UserId)", "c.Board.Cards.Any()"));
        if (depth == 0)
        {
            return atom;
        }

        Gen<string> inner = Condition(depth - 1);
        return Gen.Frequency(
            (3, atom),
            (2, Gen.Select(inner, inner, (l, r) => $"({l} && {r})")),
            (2, Gen.Select(inner, inner, (l, r) => $"({l} || {r})")),
            (1, inner.Select(x => $"!({x})")));
    }

    [Fact]
    public async Task Random_conditions_select_in_the_database_exactly_the_rows_they_select_in_memory()
    {
        int policies = 0;
        int rows = 0;
        await Check.SampleAsync(
            Condition(3).Array[PoliciesPerSample],
            async conditions =>
            {
                (int p, int r) = await CompareAsync(conditions);
                policies += p;
                rows += r;
            },
            iter: 8,
            threads: 1,
            print: c => string.Join("\n", c));

        output.WriteLine($"{policies} random conditions, {rows} row decisions compared under {Users.Length} sets of claims: none differed.");
        Assert.True(policies >= 8 * PoliciesPerSample);
    }

    private async Task<(int Policies, int Rows)> CompareAsync(string[] conditions)
    {
        var source = new StringBuilder(Model);
        source.AppendLine().AppendLine("public partial class Card").AppendLine("{");
        for (int i = 0; i < conditions.Length; i++)
        {
            source.AppendLine($"    [Policy(\"p{i}\", Command = PolicyCommand.Select, Roles = \"authenticated\")]");
            source.AppendLine($"    static bool P{i}(Card c) => {conditions[i]};");
        }

        source.AppendLine("}");
        GenerationResult generated = GeneratorHarness.Run(source.ToString());
        Assert.DoesNotContain(generated.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        string sql = generated.Sql!;

        Assembly inMemory = CompileForMemory(source.ToString(), out AssemblyLoadContext context);
        try
        {
            int compared = 0;
            await using var connection = new NpgsqlConnection(_database!.OwnerConnectionString);
            await connection.OpenAsync();
            for (int i = 0; i < conditions.Length; i++)
            {
                string condition = Using(sql, "p" + i);
                foreach ((string sub, string? team) in Users)
                {
                    long[] expected = Evaluate(inMemory, "P" + i, sub, team);
                    await using var transaction = await connection.BeginTransactionAsync();
                    string claims = team is null ? $"{{\"sub\":\"{sub}\"}}" : $"{{\"sub\":\"{sub}\",\"team\":\"{team}\"}}";
                    await connection.ExecuteAsync("SELECT set_config('request.jwt.claims', @claims, true)", new { claims }, transaction);
                    long[] actual = (await connection.QueryAsync<long>("SELECT cards.id FROM cards WHERE " + condition + " ORDER BY cards.id", null, transaction)).ToArray();
                    await transaction.RollbackAsync();
                    Assert.True(expected.SequenceEqual(actual),
                        $"{conditions[i]}\nSQL: {condition}\nclaims {claims}\nC# selects [{string.Join(", ", expected)}]\nSQL selects [{string.Join(", ", actual)}]");
                    compared += Cards.Length;
                }
            }

            return (conditions.Length, compared);
        }
        finally
        {
            context.Unload();
        }
    }

    private static string Using(string sql, string policy)
    {
        int at = sql.IndexOf("CREATE POLICY \"" + policy + "\" ON cards", StringComparison.Ordinal);
        int start = sql.IndexOf("  USING (", at, StringComparison.Ordinal) + "  USING (".Length;
        int end = sql.IndexOf(");\n", start, StringComparison.Ordinal);
        return sql.Substring(start, end - start);
    }

    // The same source, with Auth swapped for settable test values, compiled and loaded: the policy methods run as C#.
    private static Assembly CompileForMemory(string source, out AssemblyLoadContext context)
    {
        string runnable = source.Replace("Auth.", "TestAuth.", StringComparison.Ordinal) + """

            public static class TestAuth
            {
                public static string UserId { get; set; } = "";
                public static string? Team { get; set; }
                public static string? Claim(string name) => name == "team" ? Team : null;
            }
            """;
        CSharpCompilation compilation = GeneratorHarness.Compile(new[] { runnable }, withRuntime: false)
            .WithOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        context = new AssemblyLoadContext("policies", isCollectible: true);
        return context.LoadFromStream(image);
    }

    private static long[] Evaluate(Assembly assembly, string method, string sub, string? team)
    {
        Type auth = assembly.GetType("Graph.TestAuth")!;
        auth.GetProperty("UserId")!.SetValue(null, sub);
        auth.GetProperty("Team")!.SetValue(null, team);
        Type boardType = assembly.GetType("Graph.Board")!;
        Type cardType = assembly.GetType("Graph.Card")!;
        Type levelType = assembly.GetType("Graph.Level")!;
        var boards = Boards.ToDictionary(b => b.Id, b =>
        {
            object board = Activator.CreateInstance(boardType)!;
            Set(board, "Id", b.Id);
            Set(board, "OwnerId", b.OwnerId);
            Set(board, "Region", b.Region);
            Set(board, "Rank", b.Rank);
            return board;
        });
        var cards = Cards.Select(c =>
        {
            object card = Activator.CreateInstance(cardType)!;
            Set(card, "Id", c.Id);
            Set(card, "BoardId", c.BoardId);
            Set(card, "Board", boards[c.BoardId]);
            Set(card, "Title", c.Title);
            Set(card, "Label", c.Label);
            Set(card, "Rank", c.Rank);
            Set(card, "Score", c.Score);
            Set(card, "Pinned", c.Pinned);
            Set(card, "Level", Enum.ToObject(levelType, c.Level));
            var list = (System.Collections.IList)boardType.GetProperty("Cards")!.GetValue(boards[c.BoardId])!;
            list.Add(card);
            return (c.Id, Card: card);
        }).ToList();
        MethodInfo policy = cardType.GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!;
        return cards.Where(c => (bool)policy.Invoke(null, [c.Card])!).Select(c => c.Id).ToArray();
    }

    private static void Set(object target, string property, object? value) => target.GetType().GetProperty(property)!.SetValue(target, value);

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        _database = await _server.CreateDatabaseAsync();
        GenerationResult schema = GeneratorHarness.Run(Model + "\npublic partial class Card { [Policy(\"p\", Command = PolicyCommand.Select, Roles = \"authenticated\")] static bool P(Card c) => true; }");
        await using var connection = new NpgsqlConnection(_database.OwnerConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync(schema.Sql!);
        foreach (Board board in Boards)
        {
            await connection.ExecuteAsync("INSERT INTO boards (id, owner_id, region, rank) VALUES (@Id, @OwnerId, @Region, @Rank)", board);
        }

        foreach (Card card in Cards)
        {
            await connection.ExecuteAsync(
                "INSERT INTO cards (id, board_id, title, label, rank, score, pinned, level) VALUES (@Id, @BoardId, @Title, @Label, @Rank, @Score, @Pinned, @Level)", card);
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
