using System;
using System.Linq;
using System.Threading.Tasks;
using Dapper;
using Microsoft.CodeAnalysis;
using Npgsql;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>
/// Enums are integers by default, as in EF Core; a membership role, or a column marked <c>[Column(TypeName = "text")]</c>,
/// stores the enum's name, checked against its names.
/// </summary>
public sealed class EnumStorageTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;

        namespace Teams;

        public enum MemberRole { Owner, Member = 5 }

        public enum Priority { Low, High }

        [Table("members")]
        [Membership(Tenant = nameof(TeamId), Member = nameof(UserId), Role = nameof(Role))]
        public class Member
        {
            public long Id { get; set; }
            public long TeamId { get; set; }
            public string UserId { get; set; } = "";
            public MemberRole Role { get; set; }

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool Read(Member m) => Auth.IsMemberOf(m.TeamId);
        }

        [Table("tickets")]
        public class Ticket
        {
            public long Id { get; set; }
            public long TeamId { get; set; }
            [Column(TypeName = "text")] public Priority Priority { get; set; }
            [Column(TypeName = "text")] public Priority? Escalation { get; set; }
            public Priority Stored { get; set; }

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool OwnersReadAll(Ticket t) => Auth.HasMemberRole(t.TeamId, nameof(MemberRole.Owner)) || (Auth.IsMemberOf(t.TeamId) && t.Priority == Priority.High);

            [Policy(Command = PolicyCommand.Update, Roles = "authenticated")]
            static bool Escalated(Ticket t) => Auth.IsMemberOf(t.TeamId) && new Priority?[] { Priority.High }.Contains(t.Escalation) && t.Stored != Priority.High;
        }
        """;

    private static GenerationResult Generate()
    {
        GenerationResult result = GeneratorHarness.Run(Source);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(result.OutputErrors);
        return result;
    }

    [Fact]
    public void A_membership_role_and_a_column_marked_text_store_the_name_checked_against_the_enums_names()
    {
        string sql = Generate().Sql!;

        Assert.Contains("role text not null check (\"role\" IN ('Owner', 'Member'))", sql);
        Assert.Contains("priority text not null check (\"priority\" IN ('Low', 'High'))", sql);
        Assert.Contains("escalation text check (\"escalation\" IN ('Low', 'High'))", sql);
        Assert.Contains("stored integer not null", sql);
    }

    [Fact]
    public void A_typed_policy_compares_a_column_stored_by_name_with_the_name_and_one_stored_as_integer_with_the_integer()
    {
        string sql = Generate().Sql!;

        Assert.Contains("tickets.priority = 'High'", sql);
        Assert.Contains("tickets.escalation IN ('High')", sql);
        Assert.Contains("tickets.stored <> 1", sql);
    }

    [Fact]
    public void HasMemberRole_takes_the_enum_member_itself_and_checks_its_name()
    {
        GenerationResult byEnum = GeneratorHarness.Run(Source.Replace("nameof(MemberRole.Owner)", "MemberRole.Owner"));

        Assert.DoesNotContain(byEnum.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(byEnum.OutputErrors);
        Assert.Contains("auth.member_tenants('Owner')", byEnum.Sql!);
        Assert.Equal(Generate().Sql, byEnum.Sql);
    }

    [Fact]
    public void HasMemberRole_with_an_enum_value_that_is_not_a_constant_member_is_reported()
    {
        GenerationResult result = GeneratorHarness.Run(Source.Replace("nameof(MemberRole.Owner)", "(MemberRole)t.TeamId"));

        Assert.Contains(result.GeneratorDiagnostics, d => d.Id == "RLS0207" && d.GetMessage().Contains("a member of the enum", StringComparison.Ordinal));
    }

    [Fact]
    public void The_repository_writes_the_name_of_the_integer_Dapper_sends()
    {
        string repository = Generate().Generator.GeneratedSources.Single(s => s.HintName.Contains("TicketRepository", StringComparison.Ordinal)).SourceText.ToString();

        Assert.Contains("(CASE @Priority WHEN 0 THEN 'Low' WHEN 1 THEN 'High' END)", repository);
        Assert.Contains("@Stored", repository);
        Assert.DoesNotContain("CASE @Stored", repository);
    }

    [Fact]
    public async Task On_a_real_server_the_role_is_stored_by_name_the_check_refuses_other_names_and_the_role_check_matches_it()
    {
        await using PostgresServer server = await PostgresServer.StartAsync();
        TestDatabase database = await server.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync(Generate().Sql!);
        await connection.ExecuteAsync("""
            INSERT INTO members (team_id, user_id, role) VALUES (1, 'olga', 'Owner'), (2, 'mo', 'Member');
            INSERT INTO tickets (id, team_id, priority, stored) VALUES (1, 1, 'Low', 0), (2, 2, 'Low', 0), (3, 2, 'High', 0);
            """);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("INSERT INTO members (team_id, user_id, role) VALUES (1, 'x', 'owner')"));
        long[] owner = await SignedInQuery.IdsAsync(connection, "olga", "SELECT id FROM tickets ORDER BY id");
        long[] member = await SignedInQuery.IdsAsync(connection, "mo", "SELECT id FROM tickets ORDER BY id");

        Assert.Equal("23514", refused.SqlState);
        Assert.Equal([1L], owner);
        Assert.Equal([3L], member);
    }
}
