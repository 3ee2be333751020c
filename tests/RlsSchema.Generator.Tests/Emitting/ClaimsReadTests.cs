using System.Text.RegularExpressions;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>
/// <c>RlsSchemaScript.ClaimsRead</c>: the claims the model's own SQL reads, which lets sessions set the subject alone; any
/// SQL that may read a claim not known at compile time makes it <c>*</c>, and sessions keep the whole payload.
/// </summary>
public class ClaimsReadTests
{
    private static string ClaimsRead(string source)
    {
        GenerationResult result = GeneratorHarness.Run(source);
        Assert.Empty(result.GeneratorDiagnostics);
        return Regex.Match(result.Source("RlsSchemaScript.g.cs")!, "public const string ClaimsRead = \"([^\"]*)\";").Groups[1].Value;
    }

    private static string Doc(string members) => """
        using System;
        using System.ComponentModel.DataAnnotations;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;
        namespace Docs;

        public static class Flags
        {
            [SqlFunction("app.feature_enabled")]
            public static bool FeatureEnabled(string feature) => throw new NotSupportedException();
        }

        [Table("docs")]
        public class Doc
        {
            public long Id { get; set; }
            [Index] public string Region { get; set; } = "";
        """ + "\n" + members + "\n}\n";

    [Fact]
    public void An_owner_policy_and_an_auth_user_id_default_read_the_subject_alone()
    {
        Assert.Equal("sub", ClaimsRead(Entities.SeedTodo));
    }

    [Fact]
    public void A_typed_claim_names_its_claim()
    {
        Assert.Equal("region,sub", ClaimsRead(Doc("""
            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool Read(Doc d) => d.Region == Auth.Claim("region");
            """)));
    }

    [Fact]
    public void A_permission_check_reads_the_permissions_claim()
    {
        Assert.Equal("permissions,sub", ClaimsRead(Doc("""
            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool Read(Doc d) => Auth.HasPermission("docs:read");
            """)));
    }

    [Fact]
    public void A_default_naming_a_claim_is_read_too()
    {
        Assert.Equal("region,sub", ClaimsRead(Doc("""
            [DefaultSql("auth.claim('region')")] public string Home { get; set; } = "";
            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool Read(Doc d) => d.Region == "eu";
            """)));
    }

    [Fact]
    public void Raw_sql_reading_the_whole_payload_is_unknown()
    {
        Assert.Equal("*", ClaimsRead(Doc("""
            [DefaultSql("'x'")] public string Note { get; set; } = "";
            """).Replace("[Table(\"docs\")]", "[Table(\"docs\")]\n[Policy(\"admins\", Command = PolicyCommand.Select, Roles = \"authenticated\", Using = \"((select auth.session()) ->> 'role') = 'admin'\")]")));
    }

    [Fact]
    public void An_application_function_may_read_any_claim_so_it_is_unknown()
    {
        Assert.Equal("*", ClaimsRead(Doc("""
            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool Read(Doc d) => Flags.FeatureEnabled("docs");
            """)));
    }
}
