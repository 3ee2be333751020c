using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Generated;
using RlsSchema.Testing;
using RlsSchema.Tests.Seed;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Sessions;

/// <summary>
/// <see cref="RlsDataSourceBuilder.UseClaimsRead"/>: a session sets the subject alone only where neither the model nor the
/// application reads another claim and the server's auth functions read the subject's own setting; otherwise the whole
/// payload, so that no claim anything reads turns into null.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClaimsReadTests(PostgresFixture fixture)
{
    private const string PayloadSql = "SELECT current_setting('request.jwt.claims', true)";
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<(string? UserId, string? Payload, string? OrgId)> StateAsync(RlsDataSource dataSource, string token)
    {
        await using var session = await dataSource.OpenSessionAsync(token);
        var userId = await session.QuerySingleOrDefaultAsync<string>("SELECT auth.user_id()", null, None);
        var payload = await session.QuerySingleOrDefaultAsync<string>(PayloadSql, null, None);
        var orgId = await session.QuerySingleOrDefaultAsync<string>("SELECT auth.claim('org_id')", null, None);
        return (userId, payload, orgId);
    }

    private RlsDataSource Build(TestDatabase database, Action<RlsDataSourceBuilder>? configure)
    {
        var builder = database.CreateDataSourceBuilder(fixture.Issuer.ValidationOptions);
        configure?.Invoke(builder);
        return builder.Build();
    }

    [Fact]
    public void The_seed_model_reads_the_subject_alone()
    {
        Assert.Equal("sub", RlsSchemaScript.ClaimsRead);
    }

    [Fact]
    public async Task Without_UseClaimsRead_a_session_sets_the_whole_payload()
    {
        var database = await fixture.DatabaseFor(GetType());
        await using var dataSource = Build(database, null);
        var alice = DevTokenIssuer.NewUserId();

        var state = await StateAsync(dataSource, fixture.Issuer.IssueToken(alice, new DevTokenOptions { OrganizationId = "org_1" }));

        Assert.Equal(alice, state.UserId);
        Assert.Contains(alice, state.Payload);
        Assert.Equal("org_1", state.OrgId);
    }

    [Fact]
    public async Task When_nothing_reads_a_claim_but_sub_a_session_sets_the_subject_alone_and_the_policies_still_decide()
    {
        var database = await fixture.DatabaseFor(GetType());
        await using var dataSource = Build(database, b => b.UseClaimsRead(RlsSchemaScript.ClaimsRead));
        var alice = DevTokenIssuer.NewUserId();
        var bob = DevTokenIssuer.NewUserId();
        await using (var session = await dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(alice)))
        {
            await new TodoRepository(session).InsertAsync(new Todo { Task = "Alice's" }, None);
        }

        var state = await StateAsync(dataSource, fixture.Issuer.IssueToken(alice, new DevTokenOptions { OrganizationId = "org_1" }));
        await using var bobs = await dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(bob));
        var bobSees = await new TodoRepository(bobs).ListAsync(None);
        await using var alices = await dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(alice));
        var aliceSees = await new TodoRepository(alices).ListMineAsync(None);

        Assert.Equal(alice, state.UserId);
        Assert.True(string.IsNullOrEmpty(state.Payload), "the payload was set: " + state.Payload);
        Assert.Null(state.OrgId);
        Assert.Empty(bobSees);
        Assert.Equal("Alice's", Assert.Single(aliceSees).Task);
    }

    [Fact]
    public async Task A_claim_the_application_names_keeps_the_whole_payload()
    {
        var database = await fixture.DatabaseFor(GetType());
        await using var dataSource = Build(database, b => b.UseClaimsRead(RlsSchemaScript.ClaimsRead, "org_id"));
        var alice = DevTokenIssuer.NewUserId();

        var state = await StateAsync(dataSource, fixture.Issuer.IssueToken(alice, new DevTokenOptions { OrganizationId = "org_1" }));

        Assert.Equal(alice, state.UserId);
        Assert.Equal("org_1", state.OrgId);
    }

    [Fact]
    public async Task A_model_that_may_read_any_claim_keeps_the_whole_payload()
    {
        var database = await fixture.DatabaseFor(GetType());
        await using var dataSource = Build(database, b => b.UseClaimsRead("*"));
        var alice = DevTokenIssuer.NewUserId();

        var state = await StateAsync(dataSource, fixture.Issuer.IssueToken(alice, new DevTokenOptions { OrganizationId = "org_1" }));

        Assert.Contains(alice, state.Payload);
        Assert.Equal("org_1", state.OrgId);
    }

    [Fact]
    public async Task Where_the_servers_auth_user_id_reads_the_payload_a_session_sets_the_payload()
    {
        // As pg_session_jwt's functions do: the subject's own setting is not what they read.
        var database = await fixture.CreateSeededAsync();
        await using (var owner = new NpgsqlConnection(PostgresConnectionString.ToNpgsql(database.OwnerConnectionString)))
        {
            await owner.OpenAsync();
            await using var replace = new NpgsqlCommand(
                "CREATE OR REPLACE FUNCTION auth.user_id() RETURNS text LANGUAGE sql STABLE AS $fn$ SELECT auth.session() ->> 'sub' $fn$",
                owner);
            await replace.ExecuteNonQueryAsync();
        }

        await using var dataSource = Build(database, b => b.UseClaimsRead(RlsSchemaScript.ClaimsRead));
        var alice = DevTokenIssuer.NewUserId();

        var state = await StateAsync(dataSource, fixture.Issuer.IssueToken(alice));

        Assert.Equal(alice, state.UserId);
        Assert.Contains(alice, state.Payload);
    }

    [Fact]
    public void A_claim_name_that_is_empty_is_refused()
    {
        var builder = new RlsDataSourceBuilder("Host=localhost;Username=app");

        Assert.Throws<ArgumentException>(() => builder.UseClaimsRead("sub", " "));
        Assert.Throws<ArgumentException>(() => builder.UseClaimsRead(""));
    }
}
