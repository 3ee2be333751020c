using System;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Npgsql.Tests;

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
}
