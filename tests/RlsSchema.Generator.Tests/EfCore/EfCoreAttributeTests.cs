using System.Linq;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>
/// EF Core's own mapping attributes mean here what they mean to EF Core, so an EF Core model needs only
/// <c>[CrudPolicy]</c>; and <c>[Index]</c> compiles in a file that imports both Microsoft.EntityFrameworkCore and
/// RlsSchema, while projects without EF Core keep RlsSchema's <c>[Index]</c>.
/// </summary>
public class EfCoreAttributeTests
{
    internal const string BothUsings = """
        using System;
        using System.ComponentModel.DataAnnotations;
        using System.ComponentModel.DataAnnotations.Schema;
        using Microsoft.EntityFrameworkCore;
        using RlsSchema;
        namespace Shop;

        """;

    // A join row keyed by EF Core's [PrimaryKey], in an order that is not the declaration order.
    internal const string AccountMember = """
        [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
        [PrimaryKey(nameof(UserId), nameof(AccountId))]
        public class AccountMember
        {
            public long AccountId { get; set; }
            public Guid UserId { get; set; }
            public string Role { get; set; } = "";
        }
        """;

    // What the build adds to a project that references EF Core (RlsSchema.Generator.targets, RlsSchemaEfCoreIndexAlias).
    internal const string BuildAlias = "global using IndexAttribute = global::Microsoft.EntityFrameworkCore.IndexAttribute;";

    [Fact]
    public void Without_the_builds_alias_a_file_importing_both_namespaces_cannot_write_Index()
    {
        var result = GeneratorHarness.Run(BothUsings + """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            [Index(nameof(Sku))]
            public class Item
            {
                public int Id { get; set; }
                public string Sku { get; set; } = "";
            }
            """, withEfCore: true);

        Assert.Contains(result.OutputErrors, d => d.Id == "CS0104");
    }

    [Fact]
    public void Index_compiles_in_a_file_that_imports_EF_Core_and_RlsSchema_and_means_EF_Cores_index()
    {
        var result = GeneratorHarness.Run(new[] { BuildAlias, BothUsings + """
            [CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
            [Index(nameof(Sku), IsUnique = true)]
            [Index(nameof(Shelf), nameof(Slot))]
            [Index(nameof(OwnerId), Name = "items_by_owner")]
            public class Item
            {
                public int Id { get; set; }
                public string OwnerId { get; set; } = "";
                public string Sku { get; set; } = "";
                public int Shelf { get; set; }
                public int Slot { get; set; }
            }
            """ }, withEfCore: true);

        Assert.Empty(result.OutputErrors.Select(d => d.ToString()));
        Assert.Empty(result.GeneratorDiagnostics);
        string sql = result.Sql!;
        Assert.Contains("CREATE UNIQUE INDEX IF NOT EXISTS ix_item_sku ON item (sku);", sql);
        Assert.Contains("CREATE INDEX IF NOT EXISTS ix_item_shelf_slot ON item (shelf, slot);", sql);
        Assert.Contains("CREATE INDEX IF NOT EXISTS items_by_owner ON item (owner_id);", sql);
        Assert.DoesNotContain("item_owner_id_idx", sql);
    }

    [Fact]
    public void Without_EF_Core_RlsSchemas_index_keeps_both_its_forms()
    {
        var result = GeneratorHarness.Run("""
            using RlsSchema;
            namespace Shop;

            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            [Index(nameof(Shelf), nameof(Slot), Unique = true)]
            public class Item
            {
                public int Id { get; set; }
                [Index(Unique = true)] public string Sku { get; set; } = "";
                public int Shelf { get; set; }
                public int Slot { get; set; }
            }
            """);

        Assert.Empty(result.OutputErrors.Select(d => d.ToString()));
        Assert.Contains("CREATE UNIQUE INDEX IF NOT EXISTS item_sku_idx ON item (sku);", result.Sql);
        Assert.Contains("CREATE UNIQUE INDEX IF NOT EXISTS item_shelf_slot_idx ON item (shelf, slot);", result.Sql);
    }

    [Fact]
    public void With_EF_Core_RlsSchemas_property_index_is_still_there_by_its_full_name()
    {
        var result = GeneratorHarness.Run(new[] { BuildAlias, BothUsings + """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Item
            {
                public int Id { get; set; }
                [RlsSchema.Index(Unique = true)] public string Sku { get; set; } = "";
            }
            """ }, withEfCore: true);

        Assert.Empty(result.OutputErrors.Select(d => d.ToString()));
        Assert.Contains("CREATE UNIQUE INDEX IF NOT EXISTS item_sku_idx ON item (sku);", result.Sql);
    }

    [Theory]
    [InlineData("IsDescending = new[] { true }")]
    [InlineData("AllDescending = true")]
    public void A_descending_EF_Core_index_is_refused_rather_than_made_ascending(string argument) =>
        AssertReported("RLS0017", $$"""
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            [Index(nameof(Sku), {{argument}})] //!RLS0017
            public class Item
            {
                public int Id { get; set; }
                public string Sku { get; set; } = "";
            }
            """);

    [Fact]
    public void DbFunction_is_called_as_the_function_it_names_as_SqlFunction_is()
    {
        string sql = Generate("""
            public static class App
            {
                [DbFunction("feature_enabled", "app")]
                public static bool FeatureEnabled(string feature) => throw new NotSupportedException();

                [DbFunction]
                public static string? Region() => throw new NotSupportedException();
            }

            [Table("items")]
            public class Item
            {
                public int Id { get; set; }
                public string? Region { get; set; }

                [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
                static bool Read(Item i) => App.FeatureEnabled("items") && i.Region == App.Region();
            }
            """);

        Assert.Contains("((select app.feature_enabled('items')) AND items.region IS NOT DISTINCT FROM (select \"Region\"()))", sql);
    }

    [Fact]
    public void PrimaryKey_names_the_key_as_Key_does()
    {
        string sql = Generate("""
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            [PrimaryKey(nameof(Code))]
            public class Item
            {
                public int Id { get; set; }
                public string Code { get; set; } = "";
            }
            """);

        Assert.Contains("id integer not null,", sql);
        Assert.Contains("code text primary key", sql);
    }

    // The key is the attribute's order, not the declaration order; its columns get no identity and no default.
    [Fact]
    public void Composite_PrimaryKey_script()
    {
        string sql = Generate(AccountMember);

        Snapshot.Verify(sql, "sql");
        Assert.Contains("primary key (user_id, account_id)", sql);
        Assert.DoesNotContain("identity", sql);
        Assert.DoesNotContain("gen_random_uuid", sql);
    }

    // GetAsync and DeleteAsync take every part of the key, UpdateAsync matches on all of them, and paging compares rows.
    [Fact]
    public void Composite_PrimaryKey_repository()
    {
        var result = GeneratorHarness.Run(new[] { BothUsings + AccountMember, BuildAlias }, withEfCore: true);

        string source = result.Source("Shop.AccountMemberRepository.g.cs")!;
        Assert.Empty(result.OutputErrors.Select(d => d.ToString()));
        Snapshot.Verify(source, "cs");
        Assert.Contains("GetAsync(global::System.Guid userId, long accountId, ", source);
        Assert.Contains("WHERE (\\\"user_id\\\", \\\"account_id\\\") > (@AfterUserId, @AfterAccountId) ORDER BY \\\"user_id\\\", \\\"account_id\\\" LIMIT @Limit", source);
    }

    [Fact]
    public void A_Membership_keyed_by_tenant_and_member_reads_the_members_tenants_from_those_columns()
    {
        string sql = Generate("""
            [Table("account_members")]
            [PrimaryKey(nameof(AccountId), nameof(UserId))]
            [Membership(Tenant = nameof(AccountId), Member = nameof(UserId))]
            public partial class AccountMember
            {
                public long AccountId { get; set; }
                public string UserId { get; set; } = "";

                [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
                static bool CoMembersRead(AccountMember m) => Auth.IsMemberOf(m.AccountId);
            }
            """);

        Assert.Contains("primary key (account_id, user_id)", sql);
        Assert.Contains("SELECT m.account_id FROM public.account_members m WHERE m.user_id = auth.user_id()", sql);
        Assert.Contains("USING (account_members.account_id = ANY (ARRAY(SELECT auth.member_tenants())))", sql);
    }

    [Fact]
    public void Two_Keys_are_refused_and_told_to_use_PrimaryKey()
    {
        var result = AssertReported("RLS0003", """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Item
            {
                [Key] public int A { get; set; }
                [Key] public int B { get; set; } //!RLS0003
            }
            """);

        Assert.Contains("[PrimaryKey(", result.GeneratorDiagnostics.Single(d => d.Id == "RLS0003").GetMessage());
    }

    [Fact]
    public void A_PrimaryKey_naming_no_property_is_reported_on_the_name() =>
        AssertReported("RLS0017", """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            [PrimaryKey(nameof(A),
                "Missing")] //!RLS0017
            public class Item
            {
                public int A { get; set; }
                public int B { get; set; }
            }
            """);

    [Fact]
    public void A_PrimaryKey_naming_a_property_twice_is_reported() =>
        AssertReported("RLS0017", """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            [PrimaryKey(nameof(A),
                nameof(A))] //!RLS0017
            public class Item
            {
                public int A { get; set; }
                public int B { get; set; }
            }
            """);

    [Fact]
    public void Key_beside_PrimaryKey_is_reported_on_the_Key()
    {
        var result = AssertReported("RLS0017", """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            [PrimaryKey(nameof(A), nameof(B))]
            public class Item
            {
                [Key] public int A { get; set; } //!RLS0017
                public int B { get; set; }
            }
            """);

        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id == "RLS0003" || d.Id == "RLS0002");
    }

    [Fact]
    public void Keyless_is_refused_since_an_RLS_table_needs_a_key()
    {
        var result = AssertReported("RLS0022", """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            [Keyless]
            public class Item
            {
                public int Id { get; set; }
            }
            """);

        Assert.Equal(DiagnosticSeverity.Error, result.GeneratorDiagnostics.Single(d => d.Id == "RLS0022").Severity);
    }

    [Fact]
    public void Precision_gives_the_numeric_and_time_types_the_Npgsql_provider_gives()
    {
        string sql = Generate("""
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Item
            {
                public int Id { get; set; }
                [Precision(10, 2)] public decimal Price { get; set; }
                [Precision(12)] public decimal? Weight { get; set; }
                [Precision(3)] public DateTime At { get; set; }
                [Precision(0)] public DateTimeOffset? Until { get; set; }
                [Precision(6)] public TimeOnly Opens { get; set; }
                [Precision(2)] public TimeSpan Took { get; set; }
                [Precision(4, 1), Column(TypeName = "numeric(8,3)")] public decimal Typed { get; set; }
            }
            """);

        string[] expected =
        [
            "price numeric(10,2) not null", "weight numeric(12),", "at timestamptz(3) not null", "until timestamptz(0),",
            "opens time(6) not null", "took interval(2) not null", "typed numeric(8,3) not null",
        ];
        Assert.All(expected, column => Assert.Contains(column, sql));
    }

    [Theory]
    [InlineData("[Precision(3)] public string Name { get; set; } = \"\";")]
    [InlineData("[Precision(7)] public DateTime At { get; set; }")]
    [InlineData("[Precision(3, 1)] public DateTime At { get; set; }")]
    [InlineData("[Precision(2, 3)] public decimal Price { get; set; }")]
    public void Precision_that_the_type_cannot_take_is_refused(string property) =>
        AssertReported("RLS0017", $$"""
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Item
            {
                public int Id { get; set; }
                {{property}} //!RLS0017
            }
            """);

    [Fact]
    public void Comment_comments_the_table_and_its_columns()
    {
        string sql = Generate("""
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            [Comment("Things on shelves")]
            public class Item
            {
                public int Id { get; set; }
                [Comment("The shelf's code; it's printed on the label")] public string Shelf { get; set; } = "";
            }
            """);

        Assert.Contains("COMMENT ON TABLE item IS 'Things on shelves';", sql);
        Assert.Contains("COMMENT ON COLUMN item.shelf IS 'The shelf''s code; it''s printed on the label';", sql);
    }

    [Fact]
    public void Unicode_changes_nothing_since_PostgreSQL_text_is_always_Unicode()
    {
        string sql = Generate("""
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Item
            {
                public int Id { get; set; }
                [Unicode(false)] public string Code { get; set; } = "";
                [Unicode(false), MaxLength(5)] public string Short { get; set; } = "";
            }
            """);

        Assert.Contains("code text not null", sql);
        Assert.Contains("short varchar(5) not null", sql);
    }

    private const string Organization = """

        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Organization
        {
            public long Id { get; set; }
        }
        """;

    // The ON DELETE action EF Core 10's migrations give each DeleteBehavior with the Npgsql provider; the conformance
    // tests check the same against the catalog of a database EF Core created.
    [Theory]
    [InlineData("Cascade", "long", "cascade")]
    [InlineData("Cascade", "long?", "cascade")]
    [InlineData("SetNull", "long?", "set null")]
    [InlineData("Restrict", "long", "restrict")]
    [InlineData("NoAction", "long", "no action")]
    [InlineData("ClientSetNull", "long?", "no action")]
    [InlineData("ClientCascade", "long", "no action")]
    [InlineData("ClientNoAction", "long?", "no action")]
    public void DeleteBehavior_on_a_navigation_sets_the_ON_DELETE_action_EF_Core_creates(string behavior, string keyType, string expected)
    {
        string sql = Generate($$"""
            [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
            public class Project
            {
                public long Id { get; set; }
                public {{keyType}} OrganizationId { get; set; }
                [DeleteBehavior(DeleteBehavior.{{behavior}})] public Organization{{(keyType.EndsWith('?') ? "?" : "")}} Organization { get; set; } = null!;
            }
            """ + Organization);

        Assert.Contains("FOREIGN KEY (organization_id) REFERENCES organization (id) ON DELETE " + expected.ToUpperInvariant() + ";", sql);
    }

    [Fact]
    public void DeleteBehavior_script()
    {
        string sql = Generate("""
            [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
            public class Organization
            {
                public long Id { get; set; }
                [DeleteBehavior(DeleteBehavior.Restrict)] public System.Collections.Generic.List<Project> Projects { get; set; } = new();
            }

            [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
            public class Project
            {
                public long Id { get; set; }
                public long OrganizationId { get; set; }
                public Organization Organization { get; set; } = null!;
                public long? LeadId { get; set; }
                [DeleteBehavior(DeleteBehavior.SetNull)] public Person? Lead { get; set; }
                public long? ReviewerId { get; set; }
                public Person? Reviewer { get; set; }
            }

            [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
            public class Person
            {
                public long Id { get; set; }
                public long OrganizationId { get; set; }
                [OnDelete(ReferentialAction.NoAction)]
                [DeleteBehavior(DeleteBehavior.ClientSetNull)] public Organization Organization { get; set; } = null!;
            }
            """);

        Snapshot.Verify(sql, "sql");
    }

    [Fact]
    public void DeleteBehavior_on_the_principals_collection_sets_the_action_as_EF_Core_reads_it()
    {
        string sql = Generate("""
            [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
            public class Organization
            {
                public long Id { get; set; }
                [DeleteBehavior(DeleteBehavior.Restrict)] public System.Collections.Generic.List<Project> Projects { get; set; } = new();
            }

            [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
            public class Project
            {
                public long Id { get; set; }
                public long OrganizationId { get; set; }
                public Organization Organization { get; set; } = null!;
            }
            """);

        Assert.Contains("FOREIGN KEY (organization_id) REFERENCES organization (id) ON DELETE RESTRICT;", sql);
    }

    [Fact]
    public void OnDelete_and_DeleteBehavior_that_agree_are_one_action()
    {
        string sql = Generate("""
            [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
            public class Project
            {
                public long Id { get; set; }
                [OnDelete(ReferentialAction.NoAction)] public long? OrganizationId { get; set; }
                [DeleteBehavior(DeleteBehavior.ClientNoAction)] public Organization? Organization { get; set; }
            }
            """ + Organization);

        Assert.Contains("FOREIGN KEY (organization_id) REFERENCES organization (id) ON DELETE NO ACTION;", sql);
    }

    [Fact]
    public void OnDelete_and_DeleteBehavior_that_disagree_are_refused() =>
        AssertReported("RLS0023", """
            [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
            public class Project
            {
                public long Id { get; set; }
                [OnDelete(ReferentialAction.Restrict)] public long OrganizationId { get; set; }
                [DeleteBehavior(DeleteBehavior.Cascade)] //!RLS0023
                public Organization Organization { get; set; } = null!;
            }
            """ + Organization);

    [Fact]
    public void DeleteBehavior_on_both_ends_that_disagree_is_refused()
    {
        var result = AssertReported("RLS0023", """
            [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
            public class Organization
            {
                public long Id { get; set; }
                [DeleteBehavior(DeleteBehavior.Restrict)] //!RLS0023
                public System.Collections.Generic.List<Project> Projects { get; set; } = new();
            }

            [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
            public class Project
            {
                public long Id { get; set; }
                public long OrganizationId { get; set; }
                [DeleteBehavior(DeleteBehavior.Cascade)] public Organization Organization { get; set; } = null!;
            }
            """);

        string message = result.GeneratorDiagnostics.Single(d => d.Id == "RLS0023").GetMessage();
        Assert.Contains("[DeleteBehavior(DeleteBehavior.Cascade)] on 'Project.Organization' means CASCADE", message);
        Assert.Contains("[DeleteBehavior(DeleteBehavior.Restrict)] on 'Organization.Projects' means RESTRICT", message);
    }

    [Fact]
    public void DeleteBehavior_SetNull_on_a_required_key_is_refused_as_OnDelete_SetNull_is()
    {
        var result = AssertReported("RLS0205", """
            [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
            public class Project
            {
                public long Id { get; set; }
                public long OrganizationId { get; set; }
                [DeleteBehavior(DeleteBehavior.SetNull)] //!RLS0205
                public Organization Organization { get; set; } = null!;
            }
            """ + Organization);

        Assert.StartsWith("[DeleteBehavior(DeleteBehavior.SetNull)] needs the foreign key 'Project.OrganizationId' to be nullable",
            result.GeneratorDiagnostics.Single(d => d.Id == "RLS0205").GetMessage());
    }

    [Fact]
    public void DeleteBehavior_on_the_foreign_key_property_is_refused_as_EF_Core_refuses_it() =>
        AssertReported("RLS0017", """
            [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
            public class Project
            {
                public long Id { get; set; }
                [DeleteBehavior(DeleteBehavior.Restrict)] //!RLS0017
                public long OrganizationId { get; set; }
                public Organization Organization { get; set; } = null!;
            }
            """ + Organization);

    [Fact]
    public void A_DeleteBehavior_EF_Core_does_not_define_is_refused_rather_than_guessed()
    {
        var result = AssertReported("RLS0017", """
            [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
            public class Project
            {
                public long Id { get; set; }
                public long OrganizationId { get; set; }
                [DeleteBehavior((DeleteBehavior)42)] //!RLS0017
                public Organization Organization { get; set; } = null!;
            }
            """ + Organization);

        Assert.DoesNotContain("references organization ", result.Sql ?? "");
    }

    internal static string Generate(string source)
    {
        var result = GeneratorHarness.Run(new[] { BothUsings + source, BuildAlias }, withEfCore: true);
        Assert.Empty(result.GeneratorDiagnostics.Select(d => d.Id + " " + d.GetMessage()));
        Assert.Empty(result.OutputErrors.Select(d => d.ToString()));
        return result.Sql!;
    }

    internal static GenerationResult AssertReported(string id, string source)
    {
        string text = BothUsings + source;
        var result = GeneratorHarness.Run(new[] { text, BuildAlias }, withEfCore: true);
        var diagnostic = Assert.Single(result.GeneratorDiagnostics, d => d.Id == id);
        int marked = System.Array.FindIndex(text.Split('\n'), l => l.Contains("//!" + id));
        if (marked >= 0)
        {
            Assert.Equal(marked, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        }

        return result;
    }
}
