using System;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Testing;
using Xunit;

namespace RlsSchema.Npgsql.Tests.Sessions;

/// <summary>
/// A session role that row-level security would not filter (a superuser, BYPASSRLS, the owner of a table whose row-level
/// security is not forced) is refused when the data source's first session opens, with the role and the fix named.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BypassingRoleTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_superuser_session_role_is_refused_at_the_first_session_naming_the_role_and_the_fix()
    {
        var role = await CreateRoleAsync("SUPERUSER");
        var refused = await RefusedAsync(builder => builder.AuthenticatedRole = role);

        Assert.Contains($"'{role}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("RlsDataSourceBuilder.AuthenticatedRole", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"ALTER ROLE \"{role}\" NOSUPERUSER", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_BYPASSRLS_anonymous_role_is_refused_as_well()
    {
        var role = await CreateRoleAsync("BYPASSRLS");
        var refused = await RefusedAsync(builder => builder.AnonymousRole = role);

        Assert.Contains($"'{role}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("RlsDataSourceBuilder.AnonymousRole", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"ALTER ROLE \"{role}\" NOBYPASSRLS", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_owning_a_table_whose_row_level_security_is_not_forced_is_refused_until_it_is_forced()
    {
        var database = await fixture.CreateDatabaseAsync();
        var role = await CreateRoleAsync("");
        var table = "owned_" + role;
        await AdminAsync($"CREATE TABLE {table} (id int); ALTER TABLE {table} OWNER TO {role}; ALTER TABLE {table} ENABLE ROW LEVEL SECURITY", database.Name);

        var builder = database.CreateDataSourceBuilder(fixture.Issuer.ValidationOptions);
        builder.AuthenticatedRole = role;
        await using (var dataSource = builder.Build())
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await dataSource.OpenSessionAsync(Token()));
            Assert.Contains($"'{role}'", refused.Message, StringComparison.Ordinal);
            Assert.Contains($"public.{table}", refused.Message, StringComparison.Ordinal);
            Assert.Contains("FORCE ROW LEVEL SECURITY", refused.Message, StringComparison.Ordinal);
        }

        await AdminAsync($"ALTER TABLE {table} FORCE ROW LEVEL SECURITY", database.Name);

        await using var forced = builder.Build();
        await using var session = await forced.OpenSessionAsync(Token());
        Assert.Equal(role, session.Role);
    }

    [Fact]
    public async Task The_roles_are_checked_once_per_data_source_at_its_first_session()
    {
        var database = await fixture.DatabaseFor(GetType());
        var role = await CreateRoleAsync("");
        var builder = database.CreateDataSourceBuilder(fixture.Issuer.ValidationOptions);
        builder.AnonymousRole = role;
        await using var checkedAlready = builder.Build();
        await using (await checkedAlready.OpenAnonymousSessionAsync())
        {
        }

        await AdminAsync($"ALTER ROLE {role} BYPASSRLS");

        // The data source that checked keeps opening sessions without asking again; a new one asks, and refuses.
        await using (var session = await checkedAlready.OpenAnonymousSessionAsync())
        {
            Assert.Equal(role, session.Role);
        }

        await using var fresh = builder.Build();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await fresh.OpenAnonymousSessionAsync());
        Assert.Contains("NOBYPASSRLS", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await fresh.OpenSessionAsync(Token()));
    }

    private async Task<InvalidOperationException> RefusedAsync(Action<RlsDataSourceBuilder> configure)
    {
        var database = await fixture.DatabaseFor(GetType());
        var builder = database.CreateDataSourceBuilder(fixture.Issuer.ValidationOptions);
        configure(builder);
        await using var dataSource = builder.Build();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await dataSource.OpenSessionAsync(Token()));
        Assert.Contains("No session was opened", refused.Message, StringComparison.Ordinal);

        // Every later session is refused too, anonymous or not.
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await dataSource.OpenAnonymousSessionAsync());
        return refused;
    }

    private async Task<string> CreateRoleAsync(string attributes)
    {
        var role = "bypass_" + Guid.NewGuid().ToString("N")[..10];
        await AdminAsync($"CREATE ROLE {role} NOLOGIN {attributes}");
        return role;
    }

    // As the server's administrator, in the server's default database or in the one named.
    private async Task AdminAsync(string sql, string? database = null)
    {
        var connection = new NpgsqlConnectionStringBuilder(fixture.Server.ConnectionString);
        connection.Database = database ?? connection.Database;
        await using var admin = NpgsqlDataSource.Create(connection.ConnectionString);
        await admin.CreateCommand(sql).ExecuteNonQueryAsync();
    }

    private string Token() => fixture.Issuer.IssueToken(DevTokenIssuer.NewUserId());
}
