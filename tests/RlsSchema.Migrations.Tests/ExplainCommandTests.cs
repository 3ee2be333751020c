extern alias generator;

using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Cli;
using RlsSchema.Testing;
using generator::RlsSchema.Generator.Emitting;
using generator::RlsSchema.Generator.Model;
using Xunit;
using static RlsSchema.Migrations.Tests.Models;

namespace RlsSchema.Migrations.Tests;

/// <summary><c>rlsschema explain</c> and <see cref="PolicyExplainer"/> against a real database, with tokens from a real JWKS.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ExplainCommandTests(PostgresFixture fixture)
{
    private const string Alice = "user_alice";
    private const string Owned = "(select auth.user_id()) = owner";

    private static readonly SchemaModel Model = SchemaOf(
        Entity("notes",
            [Key(), Column("owner", "text", defaultSql: "auth.user_id()"), Column("body", "text")],
            [
                Policy("own-read", "SELECT", Owned),
                Policy("own-insert", "INSERT", null, Owned),
                Policy("own-update", "UPDATE", Owned, Owned),
                Policy("own-delete", "DELETE", Owned),
            ]),
        Entity("cards",
            [Key(), Column("owner", "text"), Column("archived", "boolean")],
            [Policy("own-open-read", "SELECT", Owned + " AND NOT archived"), Policy("anyone-insert", "INSERT", null, "true")]));

    [Fact]
    public async Task Explain_allows_alice_to_read_her_note_and_exits_0()
    {
        var (database, issuer, id) = await SeedAsync();
        await using var _ = issuer;

        var (code, output) = await ExplainAsync(new ExplainRequest(database.OwnerConnectionString, issuer.IssueToken(Alice), false, issuer.JwksUri.ToString(), "notes", "select", id, null));

        Assert.Equal(0, code);
        Assert.Contains("role:    authenticated (token of " + Alice + ")", output);
        Assert.Contains("grant:   SELECT granted to authenticated", output);
        Assert.Contains("permissive  own-read  USING", output);
        Assert.Contains("-> true", output);
        Assert.Contains("verdict: allowed: `own-read` passed", output);
    }

    [Fact]
    public async Task Explain_refuses_bob_alices_note_with_the_policy_that_was_false_and_exits_1()
    {
        var (database, issuer, id) = await SeedAsync();
        await using var _ = issuer;
        string bob = issuer.IssueToken("user_bob");

        var (read, readOutput) = await ExplainAsync(new ExplainRequest(database.OwnerConnectionString, bob, false, issuer.JwksUri.ToString(), "notes", "SELECT", id, null));
        var (delete, deleteOutput) = await ExplainAsync(new ExplainRequest(database.OwnerConnectionString, bob, false, issuer.JwksUri.ToString(), "public.notes", "delete", id, null));

        Assert.Equal(1, read);
        Assert.Contains("-> false", readOutput);
        Assert.Contains("verdict: filtered: no permissive policy passed; `own-read` USING was false", readOutput);
        Assert.Equal(1, delete);
        Assert.Contains("verdict: filtered: the row is not visible: no permissive policy passed; `own-read` USING was false", deleteOutput);
        Assert.Equal(1L, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT count(*) FROM notes"));
    }

    [Fact]
    public async Task Explain_checks_a_new_row_with_its_defaults_and_refuses_one_naming_another_user()
    {
        var (database, issuer, _) = await SeedAsync();
        await using var __ = issuer;
        string bob = issuer.IssueToken("user_bob");

        var (own, ownOutput) = await ExplainAsync(new ExplainRequest(database.OwnerConnectionString, bob, false, issuer.JwksUri.ToString(), "notes", "insert", null, "{\"body\": \"mine\"}"));
        var (forged, forgedOutput) = await ExplainAsync(new ExplainRequest(database.OwnerConnectionString, bob, false, issuer.JwksUri.ToString(), "notes", "insert", null, "{\"body\": \"hers\", \"owner\": \"" + Alice + "\"}"));

        Assert.Equal(0, own);
        Assert.Contains("\"owner\":\"user_bob\"", ownOutput);
        Assert.Equal(1, forged);
        Assert.Contains("verdict: refused: no permissive policy passed; `own-insert` WITH CHECK was false (new row violates row-level security policy, 42501)", forgedOutput);
        Assert.Equal(1L, await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT count(*) FROM notes"));
    }

    [Fact]
    public async Task Explain_refuses_a_request_without_a_token_for_want_of_a_grant()
    {
        var (database, issuer, id) = await SeedAsync();
        await using var _ = issuer;

        var (code, output) = await ExplainAsync(new ExplainRequest(database.OwnerConnectionString, null, true, null, "notes", "select", id, null));

        Assert.Equal(1, code);
        Assert.Contains("role:    anonymous (no token)", output);
        Assert.Contains("verdict: refused: anonymous has no SELECT privilege on public.notes", output);
    }

    [Fact]
    public async Task Explain_rejects_a_token_the_issuer_did_not_sign()
    {
        var (database, issuer, id) = await SeedAsync();
        await using var _ = issuer;
        await using var other = await DevTokenIssuer.StartAsync();

        var error = await Assert.ThrowsAsync<CliException>(() => Commands.ExplainAsync(Console(new StringWriter()), new ExplainRequest(
            database.OwnerConnectionString, other.IssueToken(Alice), false, issuer.JwksUri.ToString(), "notes", "select", id, null), CancellationToken.None));

        Assert.Contains("The token is not valid", error.Message);
    }

    [Fact]
    public async Task PolicyExplainer_gives_the_same_verdict_from_code()
    {
        var (database, issuer, id) = await SeedAsync();
        await using var _ = issuer;

        var allowed = await PolicyExplainer.ExplainAsync(database.OwnerConnectionString, "notes", "UPDATE", "{\"sub\": \"" + Alice + "\"}", id, new Dictionary<string, string?> { ["body"] = "edited" });
        var refused = await PolicyExplainer.ExplainAsync(database.OwnerConnectionString, "notes", "UPDATE", "{\"sub\": \"" + Alice + "\"}", id, new Dictionary<string, string?> { ["owner"] = "user_bob" });

        Assert.True(allowed.Allowed, allowed.ToString());
        Assert.Equal("authenticated", allowed.Role);
        Assert.False(refused.Allowed);
        Assert.StartsWith("refused: no permissive policy passed; `own-update` WITH CHECK was false", refused.Verdict);
        Assert.Contains("\"body\":\"kept\"", refused.ToString());
        Assert.Equal("kept", await Migrations.ScalarAsync(database.OwnerConnectionString, "SELECT body FROM notes"));
    }

    [Fact]
    public async Task PolicyExplainer_names_the_part_of_a_condition_that_was_false()
    {
        var (database, issuer, _) = await SeedAsync();
        await using var __ = issuer;
        var card = await Migrations.ScalarAsync(database.OwnerConnectionString, $"INSERT INTO cards (owner, archived) VALUES ('{Alice}', true) RETURNING id::text");

        var archived = await PolicyExplainer.ExplainAsync(database.OwnerConnectionString, "cards", "select", "{\"sub\": \"" + Alice + "\"}", (string)card!);

        Assert.False(archived.Allowed);
        Assert.Equal("filtered: no permissive policy passed; `own-open-read` USING was false (NOT archived is false) (the statement finds no row; no error)", archived.Verdict);
    }

    [Fact]
    public async Task PolicyExplainer_refuses_a_write_whose_row_RETURNING_could_not_see()
    {
        var (database, issuer, _) = await SeedAsync();
        await using var __ = issuer;
        string alice = "{\"sub\": \"" + Alice + "\"}";

        var own = await PolicyExplainer.ExplainAsync(database.OwnerConnectionString, "cards", "insert", alice, values: new Dictionary<string, string?> { ["owner"] = Alice, ["archived"] = "false" });
        var others = await PolicyExplainer.ExplainAsync(database.OwnerConnectionString, "cards", "insert", alice, values: new Dictionary<string, string?> { ["owner"] = "user_bob", ["archived"] = "false" });

        Assert.True(own.Allowed, own.ToString());
        Assert.False(others.Allowed);
        Assert.StartsWith("refused: the written row would not be visible, which RETURNING (as the repositories write) needs: no permissive policy passed; `own-open-read` USING was false", others.Verdict);
        Assert.Contains("own-open-read (SELECT: the row must be visible)", others.ToString());
    }

    private async Task<(TestDatabase Database, DevTokenIssuer Issuer, string Id)> SeedAsync()
    {
        var database = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(database.OwnerConnectionString, SqlScriptEmitter.Emit(Model));
        var id = await Migrations.ScalarAsync(database.OwnerConnectionString, $"INSERT INTO notes (owner, body) VALUES ('{Alice}', 'kept') RETURNING id::text");
        return (database, await DevTokenIssuer.StartAsync(), (string)id!);
    }

    private static ToolConsole Console(StringWriter output) => new(output, new StringWriter());

    private static async Task<(int Code, string Output)> ExplainAsync(ExplainRequest request)
    {
        var output = new StringWriter();
        int code = await Commands.ExplainAsync(Console(output), request, CancellationToken.None);
        return (code, output.ToString());
    }
}
