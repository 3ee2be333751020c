using System.Linq;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>
/// A reference navigation to an entity keyed by EF Core's <c>[PrimaryKey]</c> of several properties is a foreign key of
/// as many columns, found as EF Core finds it: <c>[ForeignKey("A,B")]</c> on the navigation, else
/// <c>&lt;Navigation&gt;&lt;Key&gt;</c>, <c>&lt;Principal&gt;&lt;Key&gt;</c> or the key's own names. Misuse is reported on the line.
/// </summary>
public class CompositeForeignKeyTests
{
    // Keyed (UserId, AccountId), not in the declaration order: the foreign key follows the key's order.
    private const string AccountMember = EfCoreAttributeTests.AccountMember + "\n\n";

    [Fact]
    public void Composite_ForeignKey_script()
    {
        string sql = Generate(AccountMember + """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Permit
            {
                public long Id { get; set; }
                public long MemberAccountId { get; set; }
                public Guid MemberUserId { get; set; }
                public AccountMember Member { get; set; } = null!;
            }
            """);

        Snapshot.Verify(sql, "sql");
        Assert.Contains("ADD CONSTRAINT permit_member_user_id_member_account_id_fkey FOREIGN KEY (member_user_id, member_account_id) REFERENCES account_member (user_id, account_id) ON DELETE CASCADE;", sql);
        Assert.Contains("permit_member_user_id_member_account_id_idx", sql);
    }

    [Fact]
    public void ForeignKey_on_the_navigation_names_the_properties_in_the_keys_order_and_a_nullable_one_makes_it_optional()
    {
        string sql = Generate(AccountMember + """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Permit
            {
                public long Id { get; set; }
                public long? Account { get; set; }
                public Guid? Person { get; set; }
                [ForeignKey("Person, Account")] public AccountMember? Member { get; set; }
            }
            """);

        Assert.Contains("FOREIGN KEY (person, account) REFERENCES account_member (user_id, account_id) ON DELETE NO ACTION;", sql);
    }

    [Fact]
    public void Properties_named_as_the_principals_key_or_prefixed_by_its_class_are_found()
    {
        string sql = Generate(AccountMember + """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Permit
            {
                public long Id { get; set; }
                public long AccountId { get; set; }
                public Guid UserId { get; set; }
                public AccountMember Member { get; set; } = null!;
            }

            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Audit
            {
                public long Id { get; set; }
                public long AccountMemberAccountId { get; set; }
                public Guid AccountMemberUserId { get; set; }
                public AccountMember Subject { get; set; } = null!;
            }
            """);

        Assert.Contains("FOREIGN KEY (user_id, account_id) REFERENCES account_member (user_id, account_id)", sql);
        Assert.Contains("FOREIGN KEY (account_member_user_id, account_member_account_id) REFERENCES account_member (user_id, account_id)", sql);
    }

    // The key's columns lead the dependent's primary key: that index serves the foreign key, so none is added.
    [Fact]
    public void A_foreign_key_leading_the_primary_key_gets_no_index_of_its_own()
    {
        string sql = Generate(AccountMember + """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            [PrimaryKey(nameof(MemberUserId), nameof(MemberAccountId), nameof(Scope))]
            public class Permit
            {
                public long MemberAccountId { get; set; }
                public Guid MemberUserId { get; set; }
                public string Scope { get; set; } = "";
                public AccountMember Member { get; set; } = null!;
            }
            """);

        Assert.Contains("FOREIGN KEY (member_user_id, member_account_id) REFERENCES account_member (user_id, account_id)", sql);
        Assert.DoesNotContain("permit_member_user_id_member_account_id_idx", sql);
    }

    [Fact]
    public void ForeignKey_naming_fewer_properties_than_the_key_has_is_reported_on_the_attribute()
    {
        var result = AssertReported("RLS0215", AccountMember + """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Permit
            {
                public long Id { get; set; }
                public long MemberId { get; set; }
                [ForeignKey(nameof(MemberId))] public AccountMember Member { get; set; } = null!; //!RLS0215
            }
            """);

        Assert.Contains("(UserId, AccountId)", result.GeneratorDiagnostics.Single(d => d.Id == "RLS0215").GetMessage());
        Assert.DoesNotContain("REFERENCES account_member", result.Sql ?? "");
    }

    [Fact]
    public void A_navigation_without_a_property_per_key_column_is_reported() =>
        AssertReported("RLS0215", AccountMember + """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Permit
            {
                public long Id { get; set; }
                public long AccountMemberId { get; set; }
                public AccountMember AccountMember { get; set; } = null!; //!RLS0215
            }
            """);

    [Fact]
    public void ForeignKey_on_each_property_of_a_composite_key_is_reported_as_EF_Core_refuses_it() =>
        AssertReported("RLS0215", AccountMember + """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Permit
            {
                public long Id { get; set; }
                [ForeignKey(nameof(Member))] public long A { get; set; }
                [ForeignKey(nameof(Member))] public Guid U { get; set; }
                public AccountMember Member { get; set; } = null!; //!RLS0215
            }
            """);

    [Fact]
    public void A_key_column_of_another_type_is_reported_on_its_property()
    {
        var result = AssertReported("RLS0204", AccountMember + """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Permit
            {
                public long Id { get; set; }
                public long MemberAccountId { get; set; }
                public string MemberUserId { get; set; } = ""; //!RLS0204
                public AccountMember Member { get; set; } = null!;
            }
            """);

        Assert.Contains("'AccountMember.UserId', which is uuid", result.GeneratorDiagnostics.Single(d => d.Id == "RLS0204").GetMessage());
    }

    [Fact]
    public void SetNull_with_a_required_key_column_is_reported() =>
        AssertReported("RLS0205", AccountMember + """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Permit
            {
                public long Id { get; set; }
                public long MemberAccountId { get; set; }
                public Guid? MemberUserId { get; set; }
                [DeleteBehavior(DeleteBehavior.SetNull)] //!RLS0205
                public AccountMember? Member { get; set; }
            }
            """);

    [Fact]
    public void A_typed_policy_navigating_to_a_composite_key_is_reported_on_the_navigation() =>
        AssertReported("RLS0214", AccountMember + """
            [Table("permits")]
            public partial class Permit
            {
                public long Id { get; set; }
                public long MemberAccountId { get; set; }
                public Guid MemberUserId { get; set; }
                public AccountMember Member { get; set; } = null!;

                [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
                static bool Admins(Permit g) =>
                    g.Member.Role == "admin"; //!RLS0214
            }
            """);

    [Fact]
    public void A_collection_on_a_composite_keyed_entity_maps_and_a_typed_policy_reading_it_is_reported_on_the_collection() =>
        AssertReported("RLS0214", """
            [Table("teams")]
            [PrimaryKey(nameof(OrgId), nameof(Code))]
            public partial class Team
            {
                public long OrgId { get; set; }
                public string Code { get; set; } = "";
                public System.Collections.Generic.List<Player> Players { get; set; } = new();

                [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
                static bool WithPlayers(Team t) =>
                    System.Linq.Enumerable.Any(t.Players, p => p.UserId == Auth.UserId); //!RLS0214
            }

            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Player
            {
                public long Id { get; set; }
                public long TeamOrgId { get; set; }
                public string TeamCode { get; set; } = "";
                public Team Team { get; set; } = null!;
                public string UserId { get; set; } = "";
            }
            """);

    // A [PrimaryKey] of one name beside an Id property: the key is the named one, for the convention and the type check.
    [Fact]
    public void A_single_name_PrimaryKey_beside_an_Id_is_the_key_a_foreign_key_is_found_by_and_checked_against()
    {
        const string Item = """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            [PrimaryKey(nameof(Code))]
            public class Item
            {
                public long Id { get; set; }
                public string Code { get; set; } = "";
            }

            """;
        string sql = Generate(Item + """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Line
            {
                public long Id { get; set; }
                public string ItemCode { get; set; } = "";
                public Item Item { get; set; } = null!;
            }
            """);
        var mismatch = AssertReported("RLS0204", Item + """
            [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
            public class Line
            {
                public long Id { get; set; }
                public long ItemCode { get; set; } //!RLS0204
                [ForeignKey(nameof(ItemCode))] public Item Item { get; set; } = null!;
            }
            """);

        Assert.Contains("FOREIGN KEY (item_code) REFERENCES item (code)", sql);
        Assert.Contains("'Item.Code', which is text", mismatch.GeneratorDiagnostics.Single(d => d.Id == "RLS0204").GetMessage());
    }

    private static string Generate(string source) => EfCoreAttributeTests.Generate(source);

    private static GenerationResult AssertReported(string id, string source) => EfCoreAttributeTests.AssertReported(id, source);
}
