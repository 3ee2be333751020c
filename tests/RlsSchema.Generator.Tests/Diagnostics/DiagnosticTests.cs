using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>
/// One test per diagnostic. A <c>//!RLSxxxx</c> comment marks the line the diagnostic must point at.
/// </summary>
public class DiagnosticTests
{
    private const string Usings = """
        using System;
        using System.ComponentModel.DataAnnotations;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;
        namespace Shop;

        """;

    [Theory]
    [InlineData("public abstract class Item //!RLS0001")]
    [InlineData("public class Item<T> //!RLS0001")]
    [InlineData("public static class Outer { [CrudPolicy(Role = \"authenticated\", Read = \"true\", Modify = Policies.None)] public class Item //!RLS0001\n{ public int Id { get; set; } } }\n public class Unused")]
    public void Generic_nested_or_abstract_entities_are_refused(string declaration) => AssertReported("RLS0001", $$"""
        [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
        {{declaration}}
        {
            public int Id { get; set; }
        }
        """);

    [Fact]
    public void An_entity_without_a_key_is_refused() => AssertReported("RLS0002", """
        [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
        public class Item //!RLS0002
        {
            public string Name { get; set; } = "";
        }
        """);

    [Fact]
    public void A_composite_key_is_refused() => AssertReported("RLS0003", """
        [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
        public class Item
        {
            [Key] public int A { get; set; }
            [Key] public int B { get; set; } //!RLS0003
        }
        """);

    [Fact]
    public void A_property_type_without_a_column_type_is_refused() => AssertReported("RLS0004", """
        [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
        public class Item
        {
            public int Id { get; set; }
            public Uri Link { get; set; } = null!; //!RLS0004
        }
        """);

    [Fact]
    public void An_owner_that_is_not_a_property_is_refused() => AssertReported("RLS0005", """
        [CrudPolicy(Role = "authenticated",
            Owner = "Nobody")] //!RLS0005
        public class Item
        {
            public int Id { get; set; }
        }
        """);

    [Fact]
    public void An_owner_that_is_not_text_or_uuid_is_refused() => AssertReported("RLS0006", """
        [CrudPolicy(Role = "authenticated",
            Owner = nameof(Count))] //!RLS0006
        public class Item
        {
            public int Id { get; set; }
            public int Count { get; set; }
        }
        """);

    [Fact]
    public void A_crud_policy_without_a_role_is_refused() => AssertReported("RLS0007", """
        [CrudPolicy(Read = "true")] //!RLS0007
        public class Item
        {
            public int Id { get; set; }
        }
        """);

    [Fact]
    public void A_raw_policy_with_empty_roles_is_refused() => AssertReported("RLS0007", """
        [Policy("p", Command = PolicyCommand.Select, Using = "true",
            Roles = " , ")] //!RLS0007
        public class Item
        {
            public int Id { get; set; }
        }
        """);

    [Fact]
    public void A_role_name_that_is_not_an_identifier_is_refused() => AssertReported("RLS0008", """
        [CrudPolicy(Read = "true",
            Role = "authenticated; drop role x")] //!RLS0008
        public class Item
        {
            public int Id { get; set; }
        }
        """);

    [Fact]
    public void An_empty_policy_expression_is_refused() => AssertReported("RLS0009", """
        [CrudPolicy(Role = "authenticated", Modify = Policies.None,
            Read = "  ")] //!RLS0009
        public class Item
        {
            public int Id { get; set; }
        }
        """);

    [Theory]
    [InlineData("true); DROP TABLE items; --")]
    [InlineData("true -- rest of line")]
    [InlineData("owner = 'unclosed")]
    [InlineData("(true")]
    [InlineData("true) OR (true")]
    [InlineData("true /* open")]
    [InlineData("$$ body $$")]
    [InlineData("true \\\\! rm -rf /")]
    public void An_expression_that_could_break_out_of_its_policy_is_never_emitted(string expression)
    {
        string source = Usings + $$"""
            [CrudPolicy(Role = "anonymous", Modify = Policies.None,
                Read = {{Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(expression, true)}})] //!RLS0010
            public class Item
            {
                public int Id { get; set; }
            }
            """;
        GenerationResult result = AssertReported("RLS0010", source, prefixUsings: false);
        Assert.DoesNotContain(expression, result.Sql ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain("CREATE", result.Sql ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_postgres_would_truncate_is_refused() => AssertReported("RLS0011", """
        [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
        [Table(
            "a_table_name_that_is_much_longer_than_the_sixty_three_bytes_postgres_keeps")] //!RLS0011
        public class Item
        {
            public int Id { get; set; }
        }
        """);

    [Fact]
    public void A_role_whose_crud_policy_names_postgres_would_truncate_is_refused() => AssertReported("RLS0011", """
        [CrudPolicy(
            Role = "a_role_name_long_enough_that_crud_policy_names_pass_63_bytes", //!RLS0011
            Read = "true", Modify = Policies.None)]
        public class Item
        {
            public int Id { get; set; }
        }
        """);

    [Fact]
    public void Two_entities_on_one_table_are_refused()
    {
        GenerationResult result = AssertReported("RLS0012", """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            [Table("items")] //!RLS0012
            public class Item
            {
                public int Id { get; set; }
            }

            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            [Table("items")]
            public class OtherItem
            {
                public int Id { get; set; }
            }
            """);
        Assert.Equal(2, result.GeneratorDiagnostics.Count(d => d.Id == "RLS0012"));
        Assert.Contains("Shop.OtherItem", result.GeneratorDiagnostics.First(d => d.Id == "RLS0012").GetMessage());
    }

    [Fact]
    public void Two_policies_with_one_name_are_refused() => AssertReported("RLS0013", """
        [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
        [CrudPolicy(Role = "authenticated", Read = "false", Modify = Policies.None)] //!RLS0013
        public class Item
        {
            public int Id { get; set; }
        }
        """);

    [Fact]
    public void Two_properties_on_one_column_are_refused() => AssertReported("RLS0014", """
        [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
        public class Item
        {
            public int Id { get; set; }
            [Column("name")] public string First { get; set; } = "";
            [Column("name")] public string Second { get; set; } = ""; //!RLS0014
        }
        """);

    [Fact]
    public void An_index_on_an_unknown_property_is_refused() => AssertReported("RLS0015", """
        [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
        [Index(nameof(Id),
            "Missing")] //!RLS0015
        public class Item
        {
            public int Id { get; set; }
        }
        """);

    [Fact]
    public void Using_on_an_insert_policy_is_refused() => AssertReported("RLS0016", """
        [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
        [Policy("inserts", Command = PolicyCommand.Insert, Roles = "authenticated", WithCheck = "false",
            Using = "true")] //!RLS0016
        public class Item
        {
            public int Id { get; set; }
        }
        """);

    [Fact]
    public void A_non_positive_max_length_is_refused() => AssertReported("RLS0017", """
        [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
        public class Item
        {
            public int Id { get; set; }
            [MaxLength(
                0)] //!RLS0017
            public string Name { get; set; } = "";
        }
        """);

    [Fact]
    public void A_server_generated_key_is_refused() => AssertReported("RLS0017", """
        [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
        public class Item
        {
            [ServerGenerated] //!RLS0017
            public int Id { get; set; }
        }
        """);

    [Fact]
    public void An_auth_call_evaluated_per_row_is_a_warning() => AssertReported("RLS0018", """
        [CrudPolicy(Role = "authenticated", Modify = Policies.None,
            Read = "auth.user_id() = owner")] //!RLS0018
        public class Item
        {
            public int Id { get; set; }
            public string Owner { get; set; } = "";
        }
        """, severity: DiagnosticSeverity.Warning);

    [Fact]
    public void A_modify_policy_always_true_for_authenticated_is_a_warning() => AssertReported("RLS0019", """
        [CrudPolicy(Role = "authenticated", Read = "true",
            Modify = Policies.True)] //!RLS0019
        public class Item
        {
            public int Id { get; set; }
        }
        """, severity: DiagnosticSeverity.Warning);

    [Fact]
    public void An_update_policy_without_a_select_policy_is_a_warning() => AssertReported("RLS0020", """
        [Policy("updates", Command = PolicyCommand.Update, Roles = "authenticated", Using = "false")] //!RLS0020
        public class Item
        {
            public int Id { get; set; }
        }
        """, severity: DiagnosticSeverity.Warning);

    [Fact]
    public void The_initplan_form_raises_no_warning()
    {
        GenerationResult result = GeneratorHarness.Run(Entities.SeedTodo);
        Assert.Empty(result.GeneratorDiagnostics);
    }

    [Fact]
    public void Diagnostics_name_the_users_symbols()
    {
        GenerationResult result = GeneratorHarness.Run(Usings + """
            [CrudPolicy(Role = "authenticated", Owner = "Nobody")]
            public class Basket { public int Id { get; set; } }
            """);
        Diagnostic diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Contains("'Basket'", diagnostic.GetMessage());
        Assert.Contains("'Nobody'", diagnostic.GetMessage());
    }

    [Fact]
    public void A_generator_error_is_the_only_error_the_users_references_to_the_generated_namespace_compile()
    {
        GenerationResult result = AssertReported("RLS0002", """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Item //!RLS0002
            {
                public string Name { get; set; } = "";
            }

            public static class Startup
            {
                public static string Script => RlsSchema.Generated.RlsSchemaScript.Sql;

                public static int Migrations => RlsSchema.Generated.RlsMigrations.All.Count;
            }
            """);

        Assert.Empty(result.OutputErrors.Select(d => d.Id + " " + d.GetMessage()));
    }

    internal static GenerationResult AssertReported(string id, string source, DiagnosticSeverity severity = DiagnosticSeverity.Error, bool prefixUsings = true)
    {
        string text = prefixUsings ? Usings + source : source;
        string[] lines = text.Split('\n');
        int expectedLine = Array.FindIndex(lines, l => l.Contains("//!" + id, StringComparison.Ordinal));
        Assert.True(expectedLine >= 0, "the source marks no line for " + id);

        GenerationResult result = GeneratorHarness.Run(text);
        Assert.Null(result.Generator.Exception);
        Diagnostic[] matching = result.GeneratorDiagnostics.Where(d => d.Id == id).ToArray();
        Assert.True(matching.Length > 0, $"expected {id}; got: {string.Join("; ", result.GeneratorDiagnostics.Select(d => d.Id + " " + d.GetMessage()))}");
        Diagnostic diagnostic = matching[0];
        Assert.Equal(severity, diagnostic.Severity);
        Assert.True(diagnostic.Location.IsInSource);
        Assert.Equal(expectedLine, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.Descriptor.Title.ToString()));
        if (severity == DiagnosticSeverity.Error)
        {
            Assert.DoesNotContain(result.Generator.GeneratedSources, s => s.HintName.Contains("ItemRepository"));
        }

        return result;
    }
}
