using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Npgsql;
using Xunit;

namespace RlsSchema.Npgsql.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void A_postgres_url_becomes_an_npgsql_connection_string()
    {
        var converted = PostgresConnectionString.ToNpgsql(
            "postgresql://neondb_owner:p%40ss%3Aword@ep-cool-bird-123.eu-central-1.aws.neon.tech:6543/neondb?sslmode=require&channel_binding=require");

        var builder = new NpgsqlConnectionStringBuilder(converted);
        Assert.Equal("ep-cool-bird-123.eu-central-1.aws.neon.tech", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("neondb_owner", builder.Username);
        Assert.Equal("p@ss:word", builder.Password);
        Assert.Equal("neondb", builder.Database);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal(ChannelBinding.Require, builder.ChannelBinding);
    }

    [Fact]
    public void An_npgsql_connection_string_is_kept_as_given()
    {
        const string keywords = "Host=localhost;Username=app;Database=todos";

        Assert.Equal(keywords, PostgresConnectionString.ToNpgsql(keywords));
    }

    [Fact]
    public void An_unknown_url_parameter_is_refused_rather_than_dropped()
    {
        var refused = Assert.Throws<ArgumentException>(() => PostgresConnectionString.ToNpgsql("postgres://u@h/db?sslmod=require"));

        Assert.Contains("sslmod", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_names_the_workos_jwks_from_the_client_id()
    {
        var options = RlsDataSourceOptions.FromEnvironment(Variables(new()
        {
            ["DATABASE_URL"] = "postgres://owner@db/app",
            ["DATABASE_AUTHENTICATED_URL"] = "postgres://authenticated@db/app",
            ["WORKOS_CLIENT_ID"] = "client_12345",
            ["RLS_JWT_ISSUER"] = "https://api.workos.com",
        }));

        Assert.Equal("postgres://owner@db/app", options.OwnerConnectionString);
        Assert.Equal("postgres://authenticated@db/app", options.AuthenticatedConnectionString);
        Assert.Equal(new Uri("https://api.workos.com/sso/jwks/client_12345"), options.Jwt!.JwksUri);
        Assert.Equal("https://api.workos.com", options.Jwt.Issuer);
        Assert.Null(options.Jwt.Audience);
    }

    [Fact]
    public void An_explicit_jwks_url_wins_over_the_client_id()
    {
        var options = RlsDataSourceOptions.FromEnvironment(Variables(new()
        {
            ["RLS_JWKS_URL"] = "https://issuer.example/.well-known/jwks.json",
            ["WORKOS_CLIENT_ID"] = "client_12345",
            ["RLS_JWT_AUDIENCE"] = "api",
        }));

        Assert.Equal(new Uri("https://issuer.example/.well-known/jwks.json"), options.Jwt!.JwksUri);
        Assert.Equal("api", options.Jwt.Audience);
    }

    [Fact]
    public async Task Without_a_jwks_only_anonymous_sessions_are_possible()
    {
        var options = RlsDataSourceOptions.FromEnvironment(Variables(new() { ["DATABASE_AUTHENTICATED_URL"] = "Host=127.0.0.1;Port=1;Username=x" }));
        await using var dataSource = new RlsDataSource(options);

        Assert.Null(options.Jwt);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await dataSource.OpenSessionAsync("a.b.c"));
        await using var anonymous = await dataSource.OpenAnonymousSessionAsync();
        Assert.True(anonymous.IsAnonymous);
    }

    [Fact]
    public async Task Sessions_need_their_own_connection_never_the_owners()
    {
        await using var dataSource = new RlsDataSource(new RlsDataSourceOptions { OwnerConnectionString = "Host=127.0.0.1;Port=1;Username=owner" });

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await dataSource.OpenAnonymousSessionAsync());
    }

    private static Func<string, string?> Variables(Dictionary<string, string> values) =>
        name => values.TryGetValue(name, out var value) ? value : null;
}
