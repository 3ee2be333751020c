using Microsoft.CodeAnalysis;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>
/// One test per construct a typed policy cannot translate, and per membership mistake; <c>//!RLSxxxx</c> marks the line
/// the diagnostic must point at.
/// </summary>
public class TypedPolicyDiagnosticTests
{
    private const string Header = """
        using System;
        using System.Linq;
        using System.ComponentModel.DataAnnotations;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;
        namespace Shop;

        """;

    private const string Model = """

        [Membership(Tenant = nameof(OrganizationId), Member = nameof(UserId), Role = nameof(Role))]
        public class Member
        {
            public long Id { get; set; }
            public long OrganizationId { get; set; }
            public string UserId { get; set; } = "";
            public string Role { get; set; } = "";
        }

        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Project
        {
            public long Id { get; set; }
            public long OrganizationId { get; set; }
            public string OwnerId { get; set; } = "";
            public System.Collections.Generic.List<Item> Items { get; set; } = new();
        }
        """;

    private static void Item(string policy) => Reported("RLS0207", $$"""
        public class Item
        {
            public int Id { get; set; }
            public string Title { get; set; } = "";
            public int Rank { get; set; }
            public string? OwnerId { get; set; }
            public long ProjectId { get; set; }
            public Project Project { get; set; } = null!;
            static readonly string[] Colors = { "red" };
            public static string Current = "";
            public DateTimeOffset Created { get; set; }
            static readonly TimeSpan Ttl = TimeSpan.FromHours(1);

            [SqlFunction("a.b.c")]
            static bool Bad(string title) => false;

            [SqlFunction("app.two")]
            static bool Two(string title, string owner) => false;

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            {{policy}}
        }
        """ + Model);

    [Fact]
    public void A_string_method_is_refused() =>
        Item("static bool P(Item i) => i.Title.StartsWith(\"a\"); //!RLS0207");

    [Fact]
    public void Arithmetic_is_refused() =>
        Item("static bool P(Item i) => i.Rank + 1 > 2; //!RLS0207");

    [Fact]
    public void A_static_field_read_at_run_time_is_refused() =>
        Item("static bool P(Item i) => i.Title == Current; //!RLS0207");

    [Fact]
    public void Contains_on_an_array_not_written_in_place_is_refused() =>
        Item("static bool P(Item i) => Colors.Contains(i.Title); //!RLS0207");

    [Fact]
    public void A_claim_name_that_is_not_a_constant_is_refused() =>
        Item("static bool P(Item i) => i.Title == Auth.Claim(i.Title); //!RLS0207");

    [Fact]
    public void A_related_value_compared_with_a_related_collection_is_refused() =>
        Item("static bool P(Item i) => i.Project.OwnerId == i.Project.Items; //!RLS0207");

    [Fact]
    public void A_time_moved_by_a_non_constant_is_refused() =>
        Item("static bool P(Item i) => i.Created > DateTimeOffset.UtcNow.AddHours(i.Rank); //!RLS0207");

    [Fact]
    public void A_time_method_that_is_not_translated_is_refused() =>
        Item("static bool P(Item i) => i.Created > DateTimeOffset.UtcNow.AddMonths(-1); //!RLS0207");

    [Fact]
    public void The_local_time_is_refused() =>
        Item("static bool P(Item i) => i.Created > DateTimeOffset.Now; //!RLS0207");

    [Fact]
    public void A_column_moved_by_an_interval_is_refused() =>
        Item("static bool P(Item i) => i.Created.AddHours(1) > DateTimeOffset.UtcNow; //!RLS0207");

    [Fact]
    public void A_time_span_that_is_not_a_constant_is_refused() =>
        Item("static bool P(Item i) => i.Created > DateTimeOffset.UtcNow - Ttl; //!RLS0207");

    [Fact]
    public void A_sql_function_with_a_malformed_name_is_refused() =>
        Item("static bool P(Item i) => Bad(i.Title); //!RLS0207");

    [Fact]
    public void A_sql_function_reading_two_rows_is_refused() =>
        Item("static bool P(Item i) => Two(i.Title, i.Project.OwnerId); //!RLS0207");

    [Fact]
    public void A_lambda_that_reads_the_outer_row_is_refused() => Reported("RLS0207", """
        public class Item
        {
            public int Id { get; set; }
            public string? OwnerId { get; set; }
            public long BoardId { get; set; }
            public Board Board { get; set; } = null!;
        }

        public class Board
        {
            public long Id { get; set; }
            public string OwnerId { get; set; } = "";
            public System.Collections.Generic.List<Item> Items { get; set; } = new();

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool P(Board b) => b.Items.Any(i => i.OwnerId == b.OwnerId); //!RLS0207
        }
        """);

    [Fact]
    public void A_conditional_expression_is_refused() =>
        Item("static bool P(Item i) => i.Rank > 0 ? i.Title == \"a\" : i.Title == \"b\"; //!RLS0207");

    [Fact]
    public void An_instance_method_is_refused() => Reported("RLS0208", """
        public class Item
        {
            public int Id { get; set; }

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            bool P(Item i) => true; //!RLS0208
        }
        """);

    [Fact]
    public void A_method_taking_another_type_is_refused() => Reported("RLS0208", """
        public class Item
        {
            public int Id { get; set; }

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool P(string s) => true; //!RLS0208
        }
        """);

    [Fact]
    public void A_method_with_statements_is_refused() => Reported("RLS0208", """
        public class Item
        {
            public int Id { get; set; }

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool P(Item i) //!RLS0208
            {
                var x = i.Id;
                return x > 0;
            }
        }
        """);

    [Fact]
    public void Sql_clauses_on_a_typed_policy_are_refused() => Reported("RLS0017", """
        public class Item
        {
            public int Id { get; set; }

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated", Using = "true")] //!RLS0017
            static bool P(Item i) => true;
        }
        """);

    [Fact]
    public void Membership_checked_without_a_membership_entity_is_refused() => Reported("RLS0209", """
        public class Item
        {
            public int Id { get; set; }
            public long OrganizationId { get; set; }

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool P(Item i) => Auth.IsMemberOf(i.OrganizationId); //!RLS0209
        }
        """);

    [Fact]
    public void A_tenant_id_of_another_type_is_refused() => Reported("RLS0209", """
        public class Item
        {
            public int Id { get; set; }
            public string OrganizationId { get; set; } = "";

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool P(Item i) => Auth.IsMemberOf(i.OrganizationId); //!RLS0209
        }
        """ + Model);

    [Fact]
    public void A_member_role_check_without_a_role_property_is_refused() => Reported("RLS0209", """
        public class Item
        {
            public int Id { get; set; }
            public long OrganizationId { get; set; }

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool P(Item i) => Auth.HasMemberRole(i.OrganizationId, "admin"); //!RLS0209
        }
        """ + Model.Replace(", Role = nameof(Role)", ""));

    [Fact]
    public void A_membership_naming_a_missing_property_is_refused() => Reported("RLS0209", """
        [Membership(Tenant = "Nope", Member = nameof(UserId))] //!RLS0209
        public class Seat
        {
            public long Id { get; set; }
            public string UserId { get; set; } = "";
        }
        """);

    [Fact]
    public void A_membership_entity_that_forces_row_level_security_is_refused() => Reported("RLS0210", """
        [ForceRowLevelSecurity]
        [Membership(Tenant = nameof(OrganizationId), Member = nameof(UserId))] //!RLS0210
        public class Seat
        {
            public long Id { get; set; }
            public long OrganizationId { get; set; }
            public string UserId { get; set; } = "";
        }
        """);

    [Fact]
    public void Two_membership_entities_are_refused() => Reported("RLS0209", """
        [Membership(Tenant = nameof(OrganizationId), Member = nameof(UserId))] //!RLS0209
        public class Account
        {
            public long Id { get; set; }
            public long OrganizationId { get; set; }
            public string UserId { get; set; } = "";
        }
        """ + Model);

    private static void Reported(string id, string source, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        DiagnosticTests.AssertReported(id, Header + source, severity, prefixUsings: false);

    [Fact]
    public void A_typed_modify_policy_that_is_always_true_warns() => Reported("RLS0019", """
        public class Item
        {
            public int Id { get; set; }

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool Read(Item i) => true;

            [Policy(Command = PolicyCommand.Delete, Roles = "authenticated")] //!RLS0019
            static bool AnyoneDeletes(Item i) => true;
        }
        """, DiagnosticSeverity.Warning);
}
