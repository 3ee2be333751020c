using System;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Sessions;

[Collection(PostgresCollection.Name)]
public sealed class SessionRoleTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_session_role_that_does_not_exist_names_the_option_to_change()
    {
        var database = await fixture.DatabaseFor(GetType());
        var builder = database.CreateDataSourceBuilder(fixture.Issuer.ValidationOptions);
        builder.AnonymousRole = "anon";
        await using var dataSource = builder.Build();
        await using var session = await dataSource.OpenAnonymousSessionAsync();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => session.QueryAsync<long>("SELECT 1"));

        Assert.Contains("RlsDataSourceBuilder.AnonymousRole", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'anon'", refused.Message, StringComparison.Ordinal);
        Assert.IsType<PostgresException>(refused.InnerException);
    }

    [Fact]
    public async Task A_role_the_login_may_not_switch_to_says_what_to_grant()
    {
        var database = await fixture.DatabaseFor(GetType());
        await using (var owner = NpgsqlDataSource.Create(database.OwnerConnectionString))
        {
            await owner.CreateCommand("DO $$ BEGIN CREATE ROLE not_granted NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$").ExecuteNonQueryAsync();
        }

        var builder = database.CreateDataSourceBuilder(fixture.Issuer.ValidationOptions);
        builder.AuthenticatedRole = "not_granted";
        await using var dataSource = builder.Build();
        await using var session = await dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId()));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => session.QueryAsync<long>("SELECT 1"));

        Assert.Contains("RlsDataSourceBuilder.AuthenticatedRole", refused.Message, StringComparison.Ordinal);
        Assert.Contains("GRANT", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_whose_login_is_its_role_sets_only_the_claims()
    {
        var database = await fixture.DatabaseFor(GetType());
        var builder = database.CreateDataSourceBuilder(fixture.Issuer.ValidationOptions);
        builder.AuthenticatedRole = database.AuthenticatorRole;
        await using var dataSource = builder.Build();
        var user = DevTokenIssuer.NewUserId();
        await using var session = await dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(user));

        var state = await session.QuerySingleOrDefaultAsync<LoginState>(
            """SELECT current_setting('role') AS "Role", current_user::text AS "CurrentUser", current_setting('request.jwt.claim.sub') AS "UserId" """);

        // No role was set: the login role holds no privileges of its own here, so only the settings are looked at.
        Assert.Equal("none", state!.Role);
        Assert.Equal(database.AuthenticatorRole, state.CurrentUser);
        Assert.Equal(user, state.UserId);
    }

    [Fact]
    public async Task A_session_that_switches_role_sets_the_role_and_the_subject()
    {
        var database = await fixture.DatabaseFor(GetType());
        await using var dataSource = database.CreateDataSource(fixture.Issuer.ValidationOptions);
        var user = DevTokenIssuer.NewUserId();
        await using var session = await dataSource.OpenSessionAsync(fixture.Issuer.IssueToken(user));

        var state = await session.QuerySingleOrDefaultAsync<LoginState>(
            """SELECT current_setting('role') AS "Role", current_user::text AS "CurrentUser", current_setting('request.jwt.claim.sub') AS "UserId" """);

        Assert.Equal("authenticated", state!.Role);
        Assert.Equal("authenticated", state.CurrentUser);
        Assert.Equal(user, state.UserId);
    }

    private sealed record LoginState(string Role, string CurrentUser, string? UserId);
}
